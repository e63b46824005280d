import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "./people.server";

export type AuditInput = {
  conventionId: string | null;
  type: string;
  actorId: string | null;
  authMethod?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  documentSha256?: string | null;
  payload?: Record<string, unknown>;
};

/**
 * Appends one event to the hash chain of its convention (or to the portal-wide chain).
 * Must run inside the transaction of the change it records; an advisory lock keeps the chain linear.
 */
export async function appendAuditEvent(trx: Executor, input: AuditInput) {
  const chain = input.conventionId ?? "portal";
  await sql`select pg_advisory_xact_lock(hashtextextended(${"audit:" + chain}, 0))`.execute(trx);
  const previous = await trx
    .selectFrom("audit_events")
    .select("hash")
    .where((eb) => (input.conventionId ? eb("convention_id", "=", input.conventionId) : eb("convention_id", "is", null)))
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  const createdAt = new Date();
  const record = {
    convention_id: input.conventionId,
    type: input.type,
    actor_id: input.actorId,
    auth_method: input.authMethod ?? null,
    ip: input.ip ?? null,
    user_agent: input.userAgent ?? null,
    document_sha256: input.documentSha256 ?? null,
    payload: input.payload ?? {},
    prev_hash: previous?.hash ?? null,
    created_at: createdAt.toISOString(),
  };
  const hash = createHash("sha256").update(canonicalJson(record)).digest("hex");
  return trx
    .insertInto("audit_events")
    .values({ ...record, payload: JSON.stringify(record.payload), hash, created_at: createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Recomputes every hash of a chain: true when nothing was altered or removed. */
export async function verifyAuditChain(db: Executor, conventionId: string | null): Promise<boolean> {
  const events = await db
    .selectFrom("audit_events")
    .selectAll()
    .where((eb) => (conventionId ? eb("convention_id", "=", conventionId) : eb("convention_id", "is", null)))
    .orderBy("id")
    .execute();
  let prev: string | null = null;
  for (const e of events) {
    const record: Record<string, unknown> = {
      convention_id: e.convention_id,
      type: e.type,
      actor_id: e.actor_id,
      auth_method: e.auth_method,
      ip: e.ip,
      user_agent: e.user_agent,
      document_sha256: e.document_sha256,
      payload: e.payload,
      prev_hash: prev,
      created_at: new Date(e.created_at).toISOString(),
    };
    if (e.prev_hash !== prev) return false;
    if (createHash("sha256").update(canonicalJson(record)).digest("hex") !== e.hash) return false;
    prev = e.hash;
  }
  return true;
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
