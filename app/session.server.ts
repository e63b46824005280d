import { createCookie, redirect, type AppLoadContext } from "@remix-run/node";
import type { Role } from "../db/schema";
import { findLiveSession, revokeSession, touchSession } from "./models/sessions.server";
import { hashToken } from "./services/request-login-link.server";

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof findLiveSession>>>;

const COOKIE_NAME = "paraphe_session";

function sessionCookie(context: AppLoadContext) {
  const { config } = context;
  return createCookie(COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    secure: config.secureCookies,
    path: "/",
    maxAge: config.sessionTtlHours * 3600,
    secrets: [config.sessionSecret],
  });
}

export async function commitSessionCookie(context: AppLoadContext, sessionToken: string) {
  return sessionCookie(context).serialize(sessionToken);
}

export async function clearSessionCookie(context: AppLoadContext) {
  return sessionCookie(context).serialize("", { maxAge: 0 });
}

async function readSessionToken(request: Request, context: AppLoadContext): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header || !header.includes(`${COOKIE_NAME}=`)) return null;
  const value = await sessionCookie(context).parse(header);
  if (typeof value !== "string" || !value) {
    console.warn(`[session] cookie de session altéré ou signé avec une autre clé, ignoré (${context.clientIp ?? "ip inconnue"})`);
    return null;
  }
  return value;
}

export async function getCurrentUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  const token = await readSessionToken(request, context);
  if (!token) return null;
  const session = await findLiveSession(context.db, hashToken(token), context.config.sessionIdleMinutes);
  if (!session) return null;
  await touchSession(context.db, session.session_id);
  return session;
}

/** Loaders read top to bottom: a missing session throws the redirect to the sign-in page. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  const user = await getCurrentUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/connexion?retour=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireRole(request: Request, context: AppLoadContext, role: Role): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  if (!user.roles.includes(role)) throw forbidden();
  return user;
}

export function forbidden(message = "Vous n'avez pas accès à cette page.") {
  return new Response(message, { status: 403, statusText: "Accès refusé" });
}

/** Ends the current session; returns the ID token of a ProConnect session, for the provider's logout. */
export async function endSession(request: Request, context: AppLoadContext): Promise<{ idToken: string | null }> {
  const user = await getCurrentUser(request, context);
  return user ? revokeSession(context.db, user.session_id) : { idToken: null };
}

/**
 * Only paths of this portal: an open redirect would turn sign-in links into phishing links.
 * A browser drops tabs and newlines and reads `\\` as `/`, so a prefix check is not enough: the
 * URL parser resolves `target` as the browser would, and we keep only its path, query and fragment.
 */
export function safeRedirectPath(target: string | null | undefined, publicUrl: string, fallback = "/tableau-de-bord"): string {
  if (!target) return fallback;
  let url: URL;
  try {
    url = new URL(target, `${publicUrl}/`);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(publicUrl).origin) return fallback;
  const path = url.pathname + url.search + url.hash;
  // `/.//evil.example` resolves to the path `//evil.example`, which a Location header reads as a host.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

export function requestMeta(request: Request, context: AppLoadContext) {
  return { ip: context.clientIp, userAgent: request.headers.get("user-agent")?.slice(0, 500) ?? null };
}
