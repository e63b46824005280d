import { createHash } from "node:crypto";
import type { OutboxAttachment } from "../../db/schema";
import type { Executor } from "../models/people.server";

export type EmailDraft = {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: OutboxAttachment[];
  conventionId?: string | null;
  /** What makes this message unique (act + recipient…): the Message-ID derives from it. */
  dedupeKey: string;
};

/**
 * Writes an e-mail in the caller's transaction: it leaves only if the change that causes it commits.
 * Re-enqueuing the same dedupeKey is a no-op, so a replayed use case never mails twice.
 */
export async function enqueueEmail(trx: Executor, draft: EmailDraft, mailDomain: string) {
  const messageId = `<${createHash("sha256").update(draft.dedupeKey).digest("hex").slice(0, 32)}@${mailDomain}>`;
  return trx
    .insertInto("outbox_messages")
    .values({
      message_id: messageId,
      kind: draft.kind,
      to_address: draft.to.trim().toLowerCase(),
      subject: draft.subject,
      body_text: draft.text,
      body_html: draft.html ?? null,
      attachments: JSON.stringify(draft.attachments ?? []),
      convention_id: draft.conventionId ?? null,
      locked_until: null,
      last_error: null,
      sent_at: null,
    })
    .onConflict((oc) => oc.column("message_id").doNothing())
    .returning(["id", "message_id"])
    .executeTakeFirst();
}

export function listCapturedMessages(db: Executor, limit = 100) {
  return db
    .selectFrom("outbox_messages")
    .select(["id", "to_address", "subject", "status", "created_at", "sent_at", "kind"])
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

export function getOutboxMessage(db: Executor, id: string) {
  return db.selectFrom("outbox_messages").selectAll().where("id", "=", id).executeTakeFirst();
}

export function mailDomainOf(from: string): string {
  const match = /@([^>\s]+)/.exec(from);
  return match ? match[1] : "paraphe.localhost";
}
