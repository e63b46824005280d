/**
 * The data.gouv.fr upload (issue 15): after each signed, publishable act (or a change of its
 * publication), the open data CSV replaces the configured resource's file
 * (`POST {api}/datasets/{dataset}/resources/{resource}/upload/`, `X-API-KEY`, multipart `file`).
 *
 * It goes through the outbox like the e-mails: a row of kind `datagouv_upload` written in the
 * transaction of the change, claimed by the dispatcher, retried with the same backoff, its status
 * and last error kept on the row (the administrators' page reads them), an alert after the final
 * failure. Never two uploads at once, and the newest export wins:
 * - the file is exported when the job runs, not when it is written, so a job always sends the
 *   state of the register at that moment;
 * - one job runs at a time (claimed under an advisory lock, and not while another's claim holds);
 * - the newest due job is the one run; older waiting ones are marked replaced, since it sends what
 *   they would have sent, and a change made while a job runs writes a new job that runs after it.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { OutboxMessage } from "../../db/schema";
import type { Config } from "../config.server";
import { enqueueEmail } from "../email/outbox.server";
import type { Executor } from "../models/people.server";
import { exportOpenData } from "./export-open-data.server";

export const DATAGOUV_KIND = "datagouv_upload";
export const SUPERSEDED = "Remplacé par un envoi plus récent (le fichier envoyé alors contenait déjà ces données).";
const LOCK = sql`select pg_advisory_xact_lock(hashtextextended('datagouv_upload', 0))`;

export type DatagouvTarget = NonNullable<Config["datagouv"]>;

export const uploadUrl = (t: DatagouvTarget) => `${t.apiUrl}/datasets/${encodeURIComponent(t.datasetId)}/resources/${encodeURIComponent(t.resourceId)}/upload/`;

/**
 * Writes an upload job in the caller's transaction (nothing when data.gouv.fr is not configured).
 * A job already waiting (not yet claimed) covers this change too: it exports when it runs.
 */
export async function enqueueDatagouvUpload(trx: Executor, config: Pick<Config, "datagouv" | "mailFrom">, reason: string): Promise<string | null> {
  if (!config.datagouv) return null;
  await LOCK.execute(trx);
  const waiting = await trx
    .selectFrom("outbox_messages")
    .select("id")
    .where("kind", "=", DATAGOUV_KIND)
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", sql<Date>`now()`)]))
    .executeTakeFirst();
  if (waiting) return waiting.id;
  const domain = /@([^>\s]+)/.exec(config.mailFrom)?.[1] ?? "paraphe.localhost";
  const row = await trx
    .insertInto("outbox_messages")
    .values({
      message_id: `<datagouv-${randomUUID()}@${domain}>`,
      kind: DATAGOUV_KIND,
      to_address: uploadUrl(config.datagouv),
      subject: "Remplacement du fichier des conventions sur data.gouv.fr",
      body_text: reason.slice(0, 500),
      body_html: null,
      attachments: "[]",
      convention_id: null,
      locked_until: null,
      last_error: null,
      sent_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export type UploadOptions = {
  maxAttempts: number;
  retryBaseSeconds: number;
  leaseSeconds?: number;
  random?: () => number;
  mailDomain?: string;
  publicUrl?: string;
};

export type UploadResult = { ok: true } | { ok: false; permanent: boolean; error: string };

/** One POST of the file, bounded by the configured timeout. 4xx: final; 5xx, timeout, network: retried. */
export async function postResourceFile(target: DatagouvTarget, csv: string, fetchImpl: typeof fetch = fetch): Promise<UploadResult> {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv; charset=utf-8" }), "conventions-delegation-gestion.csv");
  try {
    const response = await fetchImpl(uploadUrl(target), {
      method: "POST",
      headers: { "X-API-KEY": target.apiKey, Accept: "application/json" },
      body: form,
      redirect: "error",
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    const text = (await response.text()).slice(0, 300).replace(/\s+/g, " ");
    if (response.ok) return { ok: true };
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    const hint = response.status === 401 || response.status === 403 ? " (clé d'API refusée : vérifiez DATAGOUV_API_KEY)" : "";
    return { ok: false, permanent, error: `data.gouv.fr a répondu ${response.status}${hint}${text ? ` : ${text}` : ""}` };
  } catch (error) {
    const e = error as Error;
    const timeout = e.name === "TimeoutError" || e.name === "AbortError";
    return { ok: false, permanent: false, error: timeout ? `pas de réponse de data.gouv.fr en ${target.timeoutMs} ms` : `data.gouv.fr injoignable : ${e.message}` };
  }
}

/**
 * Claims and runs the due upload job, if any and if none is running; returns 1 when it ran one.
 * Called by the outbox dispatcher at each round.
 */
export async function dispatchDueUpload(db: Database, target: DatagouvTarget, options: UploadOptions, fetchImpl: typeof fetch = fetch): Promise<number> {
  // The claim outlives the request: a live upload never loses it to another dispatcher.
  const lease = Math.max(options.leaseSeconds ?? 120, Math.ceil(target.timeoutMs / 1000) + 30);
  const job = await db.transaction().execute(async (trx) => {
    await LOCK.execute(trx);
    const running = await trx
      .selectFrom("outbox_messages")
      .select("id")
      .where("kind", "=", DATAGOUV_KIND)
      .where("status", "=", "pending")
      .where("locked_until", ">=", sql<Date>`now()`)
      .executeTakeFirst();
    if (running) return null;
    const due = await trx
      .selectFrom("outbox_messages")
      .selectAll()
      .where("kind", "=", DATAGOUV_KIND)
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", sql<Date>`now()`)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!due) return null;
    await trx
      .updateTable("outbox_messages")
      .set({ status: "sent", sent_at: sql`now()`, last_error: SUPERSEDED, locked_until: null })
      .where("kind", "=", DATAGOUV_KIND)
      .where("status", "=", "pending")
      .where("id", "!=", due.id)
      .where("created_at", "<=", due.created_at)
      .execute();
    await trx
      .updateTable("outbox_messages")
      .set({ locked_until: sql`now() + make_interval(secs => ${lease})`, attempts: sql`attempts + 1` })
      .where("id", "=", due.id)
      .execute();
    return { ...due, attempts: due.attempts + 1 };
  });
  if (!job) return 0;

  const exported = await exportOpenData(db, options.publicUrl ?? "", "csv");
  const result = await postResourceFile(target, exported.body, fetchImpl);
  await recordUploadOutcome(db, job, result, exported, options);
  return 1;
}

async function recordUploadOutcome(db: Database, job: OutboxMessage, result: UploadResult, exported: { rows: number; sha256: string }, options: UploadOptions) {
  if (result.ok) {
    await db
      .updateTable("outbox_messages")
      .set({ status: "sent", sent_at: sql`now()`, locked_until: null, last_error: null, body_sha256: exported.sha256, subject: `Fichier remplacé sur data.gouv.fr : ${exported.rows} acte(s)` })
      .where("id", "=", job.id)
      .execute();
    return;
  }
  const error = result.error.slice(0, 2000);
  if (result.permanent || job.attempts >= options.maxAttempts) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("outbox_messages").set({ status: "failed", locked_until: null, last_error: error }).where("id", "=", job.id).execute();
      await alertAdministrators(trx, job, error, options);
    });
    console.error(`[data.gouv.fr] échec définitif après ${job.attempts} tentative(s) : ${error}`);
    return;
  }
  const ceiling = Math.min(3600, options.retryBaseSeconds * 2 ** Math.max(0, job.attempts - 1));
  const delaySeconds = ceiling * (0.5 + (options.random ?? Math.random)() / 2);
  await db
    .updateTable("outbox_messages")
    .set({ locked_until: null, last_error: error, next_attempt_at: sql`now() + make_interval(secs => ${delaySeconds})` })
    .where("id", "=", job.id)
    .execute();
}

async function alertAdministrators(trx: Executor, job: OutboxMessage, error: string, options: UploadOptions) {
  const admins = await trx
    .selectFrom("people")
    .select(["id", "email", "first_name"])
    .where("active", "=", true)
    .where((eb) => eb(eb.val("administrateur"), "=", eb.fn.any("roles")))
    .execute();
  const text = `Le remplacement du fichier des conventions sur data.gouv.fr a définitivement échoué après ${job.attempts} tentative(s) : ${error}`;
  for (const p of admins) {
    await trx.insertInto("alerts").values({ person_id: p.id, convention_id: null, message: text, read_at: null }).execute();
    await enqueueEmail(
      trx,
      {
        kind: "alerte",
        to: p.email,
        conventionId: null,
        dedupeKey: `alerte-datagouv:${job.id}:${p.id}`,
        subject: "Échec de la publication sur data.gouv.fr",
        text: `Bonjour ${p.first_name},\n\n${text}\n\nL'état des envois est sur la page d'administration :\n${options.publicUrl ?? ""}/admin/donnees\n\nParaphe — conventions de délégation de gestion`,
      },
      options.mailDomain ?? "paraphe.localhost",
    );
  }
}

/** The latest upload jobs, for the administrators' page. */
export function listUploadJobs(db: Executor, limit = 20) {
  return db
    .selectFrom("outbox_messages")
    .select(["id", "status", "attempts", "last_error", "next_attempt_at", "locked_until", "sent_at", "created_at", "subject", "body_text", "body_sha256"])
    .where("kind", "=", DATAGOUV_KIND)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}
