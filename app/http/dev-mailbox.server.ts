import type { AppLoadContext } from "@remix-run/node";
import { isPortalHost } from "./security.server";

/** Who asks for the dev mailbox: the TCP peer, the Host header and any proxy's X-Forwarded-For. */
export type MailboxClient = { remoteAddress: string | null; host: string | null; forwardedFor: string | null };

export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const a = address.trim().toLowerCase().replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/**
 * The dev mailbox holds every magic link and code: it answers only a client on this machine (the
 * peer is loopback and no proxy relayed it from elsewhere) that asked for PUBLIC_URL's host (a
 * page of another site cannot reach it through DNS rebinding).
 */
export function isLocalMailboxClient(client: MailboxClient | undefined, publicUrl: string): boolean {
  if (!client || !isLoopbackAddress(client.remoteAddress)) return false;
  if (client.forwardedFor && !client.forwardedFor.split(",").every((a) => isLoopbackAddress(a))) return false;
  return isPortalHost(client.host ?? undefined, publicUrl);
}

/** The dev mailbox exists only while e-mail is captured (no SMTP_URL, loopback PUBLIC_URL), for local clients. */
export function requireDevMailbox(context: AppLoadContext) {
  if (!context.config.devMailbox || !isLocalMailboxClient(context.mailboxClient, context.config.publicUrl)) {
    throw new Response("Page non trouvée", { status: 404 });
  }
}
