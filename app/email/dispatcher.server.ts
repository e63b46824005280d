import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { OutboxMessage } from "../../db/schema";
import type { Config } from "../config.server";
import { createMailTransport, type DeliveryResult, type MailTransport } from "./transport.server";
import { recordDeliveryOutcome } from "./delivery-outcome.server";
import { bodySha256, mailDomainOf, renderOutboxMessage, OutboxSecretError } from "./outbox.server";
import { DATAGOUV_KIND, dispatchDueUpload, type DatagouvTarget } from "../services/upload-datagouv.server";

export type DispatcherOptions = {
  maxAttempts: number;
  retryBaseSeconds: number;
  /** How long a claimed message stays reserved: a crashed sender's claim expires after it. */
  leaseSeconds?: number;
  batchSize?: number;
  random?: () => number;
  /** For the alert e-mails and links a failed transmission causes. */
  mailDomain?: string;
  publicUrl?: string;
  /** Decrypts the secrets (links, codes) put into the bodies at send time. */
  sessionSecret: string;
  /** data.gouv.fr, when configured: its upload jobs are outbox rows too (kind `datagouv_upload`). */
  datagouv?: DatagouvTarget;
};

/**
 * Claims due messages with FOR UPDATE SKIP LOCKED (any number of dispatchers may run), sends them
 * outside the transaction, then records the outcome. A crash between send and record leaves the
 * claim to expire: the message goes once more (same Message-ID) — at most one duplicate, never a loss.
 */
export async function dispatchDueMessages(db: Database, transport: MailTransport, options: DispatcherOptions): Promise<number> {
  const lease = options.leaseSeconds ?? 120;
  const claimed = await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom("outbox_messages")
      .selectAll()
      .where("status", "=", "pending")
      .where("kind", "!=", DATAGOUV_KIND)
      .where("next_attempt_at", "<=", sql<Date>`now()`)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", sql<Date>`now()`)]))
      .orderBy("next_attempt_at")
      .limit(options.batchSize ?? 10)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    await trx
      .updateTable("outbox_messages")
      .set({ locked_until: sql`now() + make_interval(secs => ${lease})`, attempts: sql`attempts + 1` })
      .where("id", "in", due.map((m) => m.id))
      .execute();
    return due.map((m) => ({ ...m, attempts: m.attempts + 1 }));
  });

  for (const message of claimed) await deliverAndRecord(db, transport, message, options);
  // Upload jobs run one at a time, with the same attempts and backoff as the e-mails.
  const uploads = options.datagouv ? await dispatchDueUpload(db, options.datagouv, options) : 0;
  return claimed.length + uploads;
}

async function deliverAndRecord(db: Database, transport: MailTransport, message: OutboxMessage, options: DispatcherOptions) {
  let content: { text: string; html: string | null };
  let result: DeliveryResult;
  try {
    content = renderOutboxMessage(message, options.sessionSecret);
    result = await transport.deliver({ ...message, ...content });
  } catch (error) {
    if (!(error instanceof OutboxSecretError)) throw error;
    content = { text: "", html: null };
    result = { ok: false, permanent: true, error: error.message };
  }
  const context = { mailDomain: options.mailDomain ?? "paraphe.localhost", publicUrl: options.publicUrl ?? "" };
  if (result.ok) {
    await db.transaction().execute(async (trx) => {
      // Delivered: the body and its secrets are forgotten; what remains proves what was sent.
      await trx
        .updateTable("outbox_messages")
        .set({
          status: "sent",
          sent_at: sql`now()`,
          locked_until: null,
          last_error: null,
          body_sha256: bodySha256(content.text),
          body_text: null,
          body_html: null,
          secrets: null,
          attachments: "[]",
        })
        .where("id", "=", message.id)
        .execute();
      if (transport.kind === "capture") {
        // Dev only: no SMTP, the dev mailbox is where the person reads the message.
        await trx
          .insertInto("dev_mailbox_messages")
          .values({ to_address: message.to_address, subject: message.subject, body_text: content.text, attachments: message.attachments.map((a) => a.filename) })
          .execute();
      }
      await recordDeliveryOutcome(trx, message, { sent: true }, context);
    });
    return;
  }
  const final = result.permanent || message.attempts >= options.maxAttempts;
  if (final) {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("outbox_messages")
        .set({ status: "failed", locked_until: null, last_error: result.error.slice(0, 2000) })
        .where("id", "=", message.id)
        .execute();
      await recordDeliveryOutcome(trx, message, { sent: false, error: result.error.slice(0, 500) }, context);
    });
    console.error(`[e-mail] échec définitif vers ${message.to_address} (${message.message_id}) : ${result.error}`);
    return;
  }
  const delaySeconds = backoffSeconds(message.attempts, options.retryBaseSeconds, options.random ?? Math.random);
  await db
    .updateTable("outbox_messages")
    .set({
      locked_until: null,
      last_error: result.error.slice(0, 2000),
      next_attempt_at: sql`now() + make_interval(secs => ${delaySeconds})`,
    })
    .where("id", "=", message.id)
    .execute();
}

/** Exponential backoff with full jitter between 50 % and 100 %, capped at one hour. */
export function backoffSeconds(attempt: number, baseSeconds: number, random: () => number): number {
  const ceiling = Math.min(3600, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return ceiling * (0.5 + random() / 2);
}

/** Runs the dispatcher in the server process until stopped. */
export function startDispatcher(db: Database, transport: MailTransport, options: DispatcherOptions & { intervalMs: number }) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = (async () => {
      try {
        while (!stopped && (await dispatchDueMessages(db, transport, options)) > 0) {
          /* drain the backlog before sleeping */
        }
      } catch (error) {
        console.error("[e-mail] le distributeur a rencontré une erreur :", (error as Error).message);
      }
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Dev mailbox only (e-mail captured, no SMTP): delivers what is due before the mailbox is read,
 * so that a message just requested is there without waiting for the dispatcher's next round.
 */
export async function deliverCapturedMailNow(db: Database, config: Config) {
  if (!config.devMailbox) return;
  const transport = createMailTransport({ mailFrom: config.mailFrom });
  const options = { maxAttempts: config.mailMaxAttempts, retryBaseSeconds: config.mailRetryBaseSeconds, sessionSecret: config.sessionSecret, mailDomain: mailDomainOf(config.mailFrom), publicUrl: config.publicUrl };
  while ((await dispatchDueMessages(db, transport, options)) > 0) {
    /* until nothing is due */
  }
}
