import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { OutboxAttachment, OutboxMessage } from "../../db/schema";
import type { Executor } from "../models/people.server";

export type EmailDraft = {
  kind: string;
  to: string;
  /** Never a secret: subjects show on lock screens and stay in the outbox after delivery. */
  subject: string;
  /** Where a secret goes, the text has secretSlot(name) and `secrets` has its value. */
  text: string;
  html?: string;
  attachments?: OutboxAttachment[];
  conventionId?: string | null;
  /** What makes this message unique (act + recipient…): the Message-ID derives from it. */
  dedupeKey: string;
  /** Sign-in tokens, codes, personal links: stored encrypted, put into the body at send time. */
  secrets?: Record<string, string>;
};

/** The placeholder standing for a secret in a stored body. */
export const secretSlot = (name: string) => `⟦secret:${name}⟧`;

const keys = new Map<string, Buffer>();

/** AES-256 key for outbox secrets, derived from the session secret (HKDF-SHA-256, its own label). */
function outboxKey(sessionSecret: string): Buffer {
  let key = keys.get(sessionSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", sessionSecret, "paraphe", "paraphe outbox secrets v1", 32));
    keys.set(sessionSecret, key);
  }
  return key;
}

/** iv (12 bytes) | tag (16 bytes) | AES-256-GCM ciphertext of the JSON secrets; bound to the Message-ID. */
export function encryptSecrets(secrets: Record<string, string>, sessionSecret: string, messageId: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", outboxKey(sessionSecret), iv);
  cipher.setAAD(Buffer.from(messageId));
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function decryptSecrets(sealed: Uint8Array, sessionSecret: string, messageId: string): Record<string, string> {
  const bytes = Buffer.from(sealed);
  const decipher = createDecipheriv("aes-256-gcm", outboxKey(sessionSecret), bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(messageId));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8")) as Record<string, string>;
}

export class OutboxSecretError extends Error {}

/** The message as it is delivered: the stored body with its secrets put back (only into the body). */
export function renderOutboxMessage(message: OutboxMessage, sessionSecret: string | undefined): { text: string; html: string | null } {
  if (message.body_text === null) throw new OutboxSecretError("Le message a déjà été distribué : son contenu n'est plus conservé.");
  let secrets: Record<string, string> = {};
  if (message.secrets) {
    if (!sessionSecret) throw new OutboxSecretError("Clé de chiffrement des secrets absente : message non envoyé.");
    try {
      secrets = decryptSecrets(message.secrets, sessionSecret, message.message_id);
    } catch {
      throw new OutboxSecretError("Les secrets du message ne se déchiffrent pas (le secret de session a changé ?) : message non envoyé.");
    }
  }
  const fill = (value: string, escape: (s: string) => string) =>
    Object.entries(secrets).reduce((out, [name, secret]) => out.split(secretSlot(name)).join(escape(secret)), value);
  return { text: fill(message.body_text, (s) => s), html: message.body_html === null ? null : fill(message.body_html, escapeSecretHtml) };
}

const escapeSecretHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const bodySha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Writes an e-mail in the caller's transaction: it leaves only if the change that causes it commits.
 * Re-enqueuing the same dedupeKey is a no-op, so a replayed use case never mails twice.
 * `sessionSecret` is needed when the draft has secrets.
 */
export async function enqueueEmail(trx: Executor, draft: EmailDraft, mailDomain: string, sessionSecret?: string) {
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
      secrets: sealSecrets(draft.secrets, sessionSecret, messageId),
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

export function sealSecrets(secrets: Record<string, string> | undefined, sessionSecret: string | undefined, messageId: string): Uint8Array | null {
  if (!secrets || Object.keys(secrets).length === 0) return null;
  if (!sessionSecret) throw new OutboxSecretError("Un message qui porte un secret demande la clé de chiffrement (secret de session).");
  return encryptSecrets(secrets, sessionSecret, messageId);
}

/** Dev mailbox (e-mail captured, no SMTP): the messages as they were delivered. */
export function listCapturedMessages(db: Executor, limit = 100) {
  return db
    .selectFrom("dev_mailbox_messages")
    .select(["id", "to_address", "subject", "created_at"])
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

export function getCapturedMessage(db: Executor, id: string) {
  return db.selectFrom("dev_mailbox_messages").selectAll().where("id", "=", id).executeTakeFirst();
}

export function mailDomainOf(from: string): string {
  const match = /@([^>\s]+)/.exec(from);
  return match ? match[1] : "paraphe.localhost";
}
