import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { sql } from "kysely";
import * as oidc from "openid-client";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { openSession } from "../models/sessions.server";

/**
 * Sign-in with ProConnect (OpenID Connect, authorization code flow with PKCE S256, state and
 * nonce). The provider vouches for an e-mail address; the portal opens a session only for an
 * active person already registered with that address.
 *
 * Between the redirect to the provider and its return, the flow's secrets (state, nonce, PKCE
 * code_verifier, where to go afterwards) live in a short-lived HttpOnly, SameSite=Lax cookie,
 * encrypted and authenticated (AES-256-GCM, key derived from SESSION_SECRET): the browser carries
 * them but can neither read nor alter them, and nothing secret ever appears in a URL.
 */

export const PROCONNECT_AUTH_METHOD = "proconnect";
const FLOW_COOKIE = "paraphe_proconnect";
const FLOW_COOKIE_PATH = "/connexion/proconnect";
const FLOW_TTL_SECONDS = 600;
const NOTICE_COOKIE = "paraphe_proconnect_avis";
const NOTICE_COOKIE_PATH = "/connexion";
const NOTICE_TTL_SECONDS = 120;

export const PROCONNECT_MESSAGES = {
  notConfigured: "La connexion avec ProConnect n'est pas activée sur ce portail. Recevez un lien de connexion par e-mail.",
  unavailable: "ProConnect ne répond pas pour le moment : vous n'êtes pas connecté. Réessayez dans quelques minutes, ou recevez un lien de connexion par e-mail.",
  expired:
    "Votre demande de connexion avec ProConnect a expiré, a déjà servi ou a été ouverte dans un autre navigateur : vous n'êtes pas connecté. Recommencez la connexion.",
  invalid: "La réponse de ProConnect n'a pas pu être vérifiée : vous n'êtes pas connecté. Recommencez la connexion.",
  cancelled: "La connexion avec ProConnect a été annulée ou refusée : vous n'êtes pas connecté. Vous pouvez recommencer, ou recevoir un lien de connexion par e-mail.",
  insufficientAcr:
    "Votre connexion ProConnect n'a pas le niveau de sécurité demandé par Paraphe : vous n'êtes pas connecté. Reconnectez-vous avec une authentification plus forte (par exemple à deux facteurs), ou recevez un lien de connexion par e-mail.",
  noEmail: "ProConnect n'a pas transmis votre adresse électronique : vous n'êtes pas connecté. Recevez un lien de connexion par e-mail.",
  unknownAccount: (email: string) =>
    `Aucun compte Paraphe actif ne correspond à l'adresse ${email} : demandez à un administrateur de vous inscrire.`,
};

/** A refused ProConnect sign-in: `message` is for the person (French), `reason` for the log. */
export class ProConnectError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly title = "Connexion avec ProConnect impossible",
  ) {
    super(message);
  }
}

type ProConnectSettings = NonNullable<Config["proconnect"]>;
type Flow = { state: string; nonce: string; codeVerifier: string; retour: string; expiresAt: number };

function settings(config: Config): ProConnectSettings {
  if (!config.proconnect) throw new ProConnectError(PROCONNECT_MESSAGES.notConfigured, "ProConnect non configuré");
  return config.proconnect;
}

// ---------------------------------------------------------------------------------------------
// Discovery, once per process (a failed attempt is forgotten so the next sign-in retries).

const discoveries = new Map<string, Promise<oidc.Configuration>>();

function isLoopback(url: URL) {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname.startsWith("127.");
}

async function providerConfiguration(pc: ProConnectSettings): Promise<oidc.Configuration> {
  const key = `${pc.issuer}\n${pc.clientId}\n${pc.clientSecret}`;
  let pending = discoveries.get(key);
  if (!pending) {
    const issuer = new URL(pc.issuer);
    // Plain http is accepted only for a provider on this machine (tests); config.server refuses it otherwise.
    const execute = issuer.protocol === "http:" && isLoopback(issuer) ? [oidc.allowInsecureRequests] : [];
    pending = oidc.discovery(issuer, pc.clientId, { client_secret: pc.clientSecret }, oidc.ClientSecretPost(pc.clientSecret), { execute, timeout: 10 });
    pending.then(
      (configuration) => {
        configuration.timeout = 10;
      },
      () => discoveries.delete(key),
    );
    discoveries.set(key, pending);
  }
  try {
    return await pending;
  } catch (error) {
    throw new ProConnectError(PROCONNECT_MESSAGES.unavailable, `découverte du fournisseur ${pc.issuer} impossible : ${describe(error)}`);
  }
}

/** Tests only: forget cached discovery documents. */
export function resetProConnectDiscovery() {
  discoveries.clear();
}

// ---------------------------------------------------------------------------------------------
// Step 1: redirect to the provider.

export async function startProConnect(config: Config, input: { retour: string }): Promise<{ url: string; setCookie: string }> {
  const pc = settings(config);
  const configuration = await providerConfiguration(pc);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const flow: Flow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier,
    retour: input.retour,
    expiresAt: Date.now() + FLOW_TTL_SECONDS * 1000,
  };
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: pc.redirectUri,
    scope: pc.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
    acr_values: pc.acrValues.join(" "),
  });
  return { url: url.href, setCookie: serializeCookie(config, FLOW_COOKIE, seal(config, "flow", flow), FLOW_COOKIE_PATH, FLOW_TTL_SECONDS) };
}

// ---------------------------------------------------------------------------------------------
// Step 2: the provider sends the browser back with ?code&state (or ?error).

/**
 * Marks a state as used, once for all instances (the table is shared; process memory is not): a
 * replayed callback is refused before any exchange. Kept until its sign-in request has expired.
 */
async function consumeState(db: Database, state: string): Promise<boolean> {
  await db.deleteFrom("proconnect_used_states").where("expires_at", "<", sql<Date>`now()`).execute();
  const inserted = await db
    .insertInto("proconnect_used_states")
    .values({ state_hash: createHash("sha256").update(state).digest("hex"), expires_at: new Date(Date.now() + FLOW_TTL_SECONDS * 1000) })
    .onConflict((oc) => oc.column("state_hash").doNothing())
    .returning("state_hash")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function finishProConnect(
  db: Database,
  config: Config,
  input: { search: URLSearchParams; cookieHeader: string | null; ip: string | null; userAgent: string | null },
): Promise<{ sessionToken: string; personId: string; expiresAt: Date; retour: string }> {
  const pc = settings(config);
  const flow = unseal<Flow>(config, "flow", readCookie(input.cookieHeader, FLOW_COOKIE));
  if (!flow) throw new ProConnectError(PROCONNECT_MESSAGES.expired, "retour sans cookie de connexion valable (absent, altéré ou d'une autre clé)");
  if (flow.expiresAt < Date.now()) throw new ProConnectError(PROCONNECT_MESSAGES.expired, "retour après expiration de la demande (10 minutes)");
  const state = input.search.get("state");
  if (!state) throw new ProConnectError(PROCONNECT_MESSAGES.invalid, "retour sans paramètre state");
  if (state !== flow.state) throw new ProConnectError(PROCONNECT_MESSAGES.invalid, "state reçu différent de celui de la demande");
  if (!(await consumeState(db, state))) throw new ProConnectError(PROCONNECT_MESSAGES.expired, "state déjà utilisé (rejeu)");

  const error = input.search.get("error");
  if (error) {
    const detail = `${error}${input.search.get("error_description") ? ` (${input.search.get("error_description")})` : ""}`;
    const message = error === "access_denied" || error === "login_required" ? PROCONNECT_MESSAGES.cancelled : PROCONNECT_MESSAGES.invalid;
    throw new ProConnectError(message, `erreur renvoyée par le fournisseur : ${detail.slice(0, 300)}`);
  }

  const configuration = await providerConfiguration(pc);
  const currentUrl = new URL(pc.redirectUri);
  for (const [k, v] of input.search) currentUrl.searchParams.append(k, v);
  let email: unknown;
  let subject: string;
  let idToken: string | undefined;
  let acr: unknown;
  try {
    // Checks state, the issuer (RFC 9207), PKCE at the token endpoint, then the ID token:
    // signature, iss, aud, exp, iat and nonce.
    const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    subject = claims.sub;
    acr = claims.acr;
    idToken = tokens.id_token;
    email = claims.email;
    if (typeof email !== "string" || !email) {
      // ProConnect gives identity claims at userinfo (as a signed JWT), bound to the ID token's subject.
      const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      email = userinfo.email;
    }
  } catch (err) {
    if (err instanceof oidc.AuthorizationResponseError) {
      throw new ProConnectError(PROCONNECT_MESSAGES.cancelled, `erreur renvoyée par le fournisseur : ${err.error}`);
    }
    throw new ProConnectError(PROCONNECT_MESSAGES.invalid, `échange du code ou vérification du jeton refusé : ${describe(err)}`);
  }
  // The level of authentication the provider vouches for (ID token's acr) must be one this portal accepts.
  if (typeof acr !== "string" || !pc.acrValues.includes(acr)) {
    throw new ProConnectError(PROCONNECT_MESSAGES.insufficientAcr, `niveau d'authentification ${typeof acr === "string" ? JSON.stringify(acr.slice(0, 100)) : "absent"}, attendu : ${pc.acrValues.join(", ")} (sujet ${subject})`);
  }
  if (typeof email !== "string" || !email.includes("@")) throw new ProConnectError(PROCONNECT_MESSAGES.noEmail, `aucune adresse électronique pour le sujet ${subject}`);
  const normalized = email.trim().toLowerCase();

  return db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom("people").select(["id", "active"]).where("email", "=", normalized).executeTakeFirst();
    if (!person || !person.active) {
      throw new ProConnectError(
        PROCONNECT_MESSAGES.unknownAccount(normalized),
        `${person ? "compte désactivé" : "aucun compte"} pour ${normalized} (sujet ${subject})`,
        "Compte Paraphe introuvable",
      );
    }
    const { sessionToken, expiresAt } = await openSession(trx, {
      personId: person.id,
      authMethod: PROCONNECT_AUTH_METHOD,
      ttlHours: config.sessionTtlHours,
      ip: input.ip,
      userAgent: input.userAgent,
      payload: { fournisseur: pc.issuer, sujet: subject },
      idToken,
    });
    return { sessionToken, personId: person.id, expiresAt, retour: flow.retour };
  });
}

// ---------------------------------------------------------------------------------------------
// Logout: leaving Paraphe also ends the ProConnect session, as ProConnect requires of its clients.

/**
 * Where to send the browser after a ProConnect session is ended here: the provider's
 * end_session_endpoint with the session's ID token, coming back to the home page. Null when the
 * provider has no such endpoint or cannot be reached (the Paraphe session is ended anyway).
 */
export async function proConnectLogoutUrl(config: Config, idToken: string): Promise<string | null> {
  const pc = config.proconnect;
  if (!pc) return null;
  try {
    const configuration = await providerConfiguration(pc);
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(configuration, { id_token_hint: idToken, post_logout_redirect_uri: pc.postLogoutRedirectUri, state: oidc.randomState() }).href;
  } catch (error) {
    console.error(`[proconnect] déconnexion auprès du fournisseur impossible : ${describe(error)}`);
    return null;
  }
}

/** Set-Cookie value that forgets the flow (sent on every return, success or not). */
export function clearProConnectFlowCookie(config: Config) {
  return serializeCookie(config, FLOW_COOKIE, "", FLOW_COOKIE_PATH, 0);
}

// ---------------------------------------------------------------------------------------------
// The refusal is shown on the sign-in page: carried there by a one-shot, sealed cookie (sealed so
// that no one can make the portal display a text of their choosing).

type Notice = { title: string; message: string; expiresAt: number };

export function proConnectNoticeCookie(config: Config, error: ProConnectError) {
  const notice: Notice = { title: error.title, message: error.message, expiresAt: Date.now() + NOTICE_TTL_SECONDS * 1000 };
  return serializeCookie(config, NOTICE_COOKIE, seal(config, "notice", notice), NOTICE_COOKIE_PATH, NOTICE_TTL_SECONDS);
}

export function readProConnectNotice(config: Config, cookieHeader: string | null): { notice: { title: string; message: string } | null; clearCookie: string | null } {
  const raw = readCookie(cookieHeader, NOTICE_COOKIE);
  if (raw === null) return { notice: null, clearCookie: null };
  const clearCookie = serializeCookie(config, NOTICE_COOKIE, "", NOTICE_COOKIE_PATH, 0);
  const notice = unseal<Notice>(config, "notice", raw);
  if (!notice || notice.expiresAt < Date.now()) return { notice: null, clearCookie };
  return { notice: { title: notice.title, message: notice.message }, clearCookie };
}

// ---------------------------------------------------------------------------------------------

function key(config: Config, purpose: string) {
  return Buffer.from(hkdfSync("sha256", config.sessionSecret, "paraphe", `proconnect ${purpose} v1`, 32));
}

function seal(config: Config, purpose: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(config, purpose), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

function unseal<T>(config: Config, purpose: string, sealed: string | null): T | null {
  if (!sealed) return null;
  try {
    const raw = Buffer.from(sealed, "base64url");
    if (raw.length < 29) return null;
    const decipher = createDecipheriv("aes-256-gcm", key(config, purpose), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8")) as T;
  } catch {
    return null;
  }
}

function serializeCookie(config: Config, name: string, value: string, path: string, maxAge: number) {
  return [`${name}=${value}`, `Path=${path}`, `Max-Age=${maxAge}`, "HttpOnly", "SameSite=Lax", ...(config.secureCookies ? ["Secure"] : [])].join("; ");
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = error.cause instanceof Error ? ` ← ${error.cause.message}` : "";
    return `${typeof code === "string" ? `${code} ` : ""}${error.message}${cause}`.slice(0, 400);
  }
  return String(error).slice(0, 400);
}
