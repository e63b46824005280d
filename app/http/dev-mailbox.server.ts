import type { AppLoadContext } from "@remix-run/node";

/** The dev mailbox exists only while e-mail is captured (no SMTP_URL, loopback PUBLIC_URL). */
export function requireDevMailbox(context: AppLoadContext) {
  if (!context.config.devMailbox) throw new Response("Page non trouvée", { status: 404 });
}
