import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { AuditEvent } from "../../db/schema";
import type { TimestampAuthority } from "../pdf/pki/timestamp";
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
  /** The time given when the event's hash was computed ahead (`plannedEventHash`), e.g. to timestamp it outside a lock. */
  createdAt?: Date;
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
  const createdAt = input.createdAt ?? new Date();
  const record = eventRecord(input, previous?.hash ?? null, createdAt);
  const hash = createHash("sha256").update(canonicalJson(record)).digest("hex");
  return trx
    .insertInto("audit_events")
    .values({ ...record, payload: JSON.stringify(record.payload), hash, created_at: createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function eventRecord(input: AuditInput, previousHash: string | null, createdAt: Date) {
  return {
    convention_id: input.conventionId,
    type: input.type,
    actor_id: input.actorId,
    auth_method: input.authMethod ?? null,
    ip: input.ip ?? null,
    user_agent: input.userAgent ?? null,
    document_sha256: input.documentSha256 ?? null,
    payload: input.payload ?? {},
    prev_hash: previousHash,
    created_at: createdAt.toISOString(),
  };
}

/**
 * The hash `appendAuditEvent` will give this event if it follows `previousHash` (with `input.createdAt`):
 * known before the write, so its RFC 3161 anchor can be obtained without holding a lock.
 */
export function plannedEventHash(input: AuditInput & { createdAt: Date }, previousHash: string | null): string {
  return createHash("sha256").update(canonicalJson(eventRecord(input, previousHash, input.createdAt))).digest("hex");
}

/** The last event of a convention's chain (the hash the next one will follow) and how many there are. */
export async function auditHead(db: Executor, conventionId: string): Promise<{ id: string; hash: string; count: number } | undefined> {
  const head = await db.selectFrom("audit_events").select(["id", "hash"]).where("convention_id", "=", conventionId).orderBy("id", "desc").limit(1).executeTakeFirst();
  if (!head) return undefined;
  const { n } = await db.selectFrom("audit_events").select((eb) => eb.fn.countAll<string>().as("n")).where("convention_id", "=", conventionId).executeTakeFirstOrThrow();
  return { id: String(head.id), hash: head.hash, count: Number(n) };
}

/** The hash an event must carry, recomputed from its content and the hash it claims to follow. */
export function eventHash(e: AuditEvent): string {
  const record: Record<string, unknown> = {
    convention_id: e.convention_id,
    type: e.type,
    actor_id: e.actor_id,
    auth_method: e.auth_method,
    ip: e.ip,
    user_agent: e.user_agent,
    document_sha256: e.document_sha256,
    payload: e.payload,
    prev_hash: e.prev_hash,
    created_at: new Date(e.created_at).toISOString(),
  };
  return createHash("sha256").update(canonicalJson(record)).digest("hex");
}

/** Recomputes every hash of a chain: true when nothing was altered or removed. */
export async function verifyAuditChain(db: Executor, conventionId: string | null): Promise<boolean> {
  return (await checkAuditChain(db, conventionId)).ok;
}

/** Checks an anchor's RFC 3161 token: imprint = the head hash, signature and trust. Returns its time or errors. */
export type AnchorTokenCheck = (token: Uint8Array, imprint: Uint8Array) => { ok: boolean; time?: Date; errors: string[] };

export type ChainReport = { conventionId: string | null; events: number; anchors: number; ok: boolean; problems: string[] };

/** How far an anchor's timestamp may lie from the anchored event's recorded time. */
const ANCHOR_CLOCK_TOLERANCE_MS = 10 * 60_000;
/** Events whose recording is anchored (at each signature and at completion). */
export const ANCHORED_EVENT_TYPES = ["signature", "circuit_termine"];

/**
 * Recomputes a chain and says in French what breaks it: an edited event, a gap (removed event),
 * an event out of order, and, against the TSA anchors, a truncation or a rewritten head. With
 * `checkToken`, each anchor's timestamp token is verified too.
 * Not detectable: events appended after the last anchor then removed (with everything after them).
 */
export async function checkAuditChain(db: Executor, conventionId: string | null, checkToken?: AnchorTokenCheck): Promise<ChainReport> {
  const events = await db
    .selectFrom("audit_events")
    .selectAll()
    .where((eb) => (conventionId ? eb("convention_id", "=", conventionId) : eb("convention_id", "is", null)))
    .orderBy("id")
    .execute();
  const problems: string[] = [];
  const position = new Map(events.map((e, i) => [e.hash, i]));
  let prev: string | null = null;
  events.forEach((e, i) => {
    if (eventHash(e) !== e.hash) problems.push(`évènement n° ${e.id} (${e.type}) modifié : son contenu ne correspond plus à son empreinte`);
    if (e.prev_hash !== prev) {
      const at = e.prev_hash === null ? undefined : position.get(e.prev_hash);
      if (e.prev_hash === null) problems.push(`évènement n° ${e.id} (${e.type}) : il se présente comme le premier de la chaîne mais ne l'est pas`);
      else if (at === undefined) problems.push(i === 0 ? `le début de la chaîne manque : l'évènement n° ${e.id} (${e.type}) suit un évènement absent` : `lacune : un ou plusieurs évènements manquent avant l'évènement n° ${e.id} (${e.type})`);
      else problems.push(`ordre modifié : l'évènement n° ${e.id} (${e.type}) suit un évènement placé après lui (n° ${events[at].id})`);
    }
    prev = e.hash;
  });

  const anchors = conventionId
    ? await db.selectFrom("audit_anchors").selectAll().where("convention_id", "=", conventionId).orderBy("id").execute()
    : [];
  for (const a of anchors) {
    const at = events.findIndex((e) => String(e.id) === String(a.event_id));
    const label = `ancrage n° ${a.id} (${a.reason}, ${a.event_count} évènements)`;
    if (at < 0) {
      const last = events.length ? Number(events[events.length - 1].id) : 0;
      problems.push(
        Number(a.event_id) > last
          ? `troncature : la chaîne s'arrête avant l'évènement n° ${a.event_id} horodaté par l'${label}`
          : `l'évènement n° ${a.event_id} horodaté par l'${label} a disparu`,
      );
    } else {
      if (events[at].hash !== a.head_hash) problems.push(`l'évènement n° ${a.event_id} ne porte plus l'empreinte horodatée par l'${label}`);
      if (at + 1 !== a.event_count) problems.push(`${label} : la chaîne compte ${at + 1} évènements jusqu'à lui au lieu de ${a.event_count}`);
    }
    if (checkToken) {
      const result = checkToken(new Uint8Array(a.token), Buffer.from(a.head_hash, "hex"));
      if (!result.ok) problems.push(`${label} : jeton d'horodatage invalide (${result.errors.join(" ; ")})`);
      else if (at >= 0 && result.time && Math.abs(result.time.getTime() - new Date(events[at].created_at).getTime()) > ANCHOR_CLOCK_TOLERANCE_MS) {
        problems.push(`${label} : horodaté le ${result.time.toISOString()}, loin de la date de l'évènement ancré (${new Date(events[at].created_at).toISOString()})`);
      }
    }
  }
  for (const e of events) {
    if (ANCHORED_EVENT_TYPES.includes(e.type) && !anchors.some((a) => String(a.event_id) === String(e.id))) {
      problems.push(`évènement n° ${e.id} (${e.type}) sans ancrage horodaté (acte antérieur à l'ancrage, ou ancrage supprimé)`);
    }
  }
  return { conventionId, events: events.length, anchors: anchors.length, ok: problems.length === 0, problems };
}

/**
 * Timestamps the head of a convention's chain with the TSA and stores the anchor, in the
 * transaction of the change it follows (same advisory lock as appending: the head cannot move).
 */
export async function anchorAuditChain(trx: Executor, tsa: TimestampAuthority, conventionId: string, reason: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${"audit:" + conventionId}, 0))`.execute(trx);
  const head = await trx
    .selectFrom("audit_events")
    .select(["id", "hash"])
    .where("convention_id", "=", conventionId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  const { n } = await trx
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("convention_id", "=", conventionId)
    .executeTakeFirstOrThrow();
  const token = await tsa.timestamp(Buffer.from(head.hash, "hex"));
  return storeAuditAnchor(trx, conventionId, { id: head.id, hash: head.hash, count: Number(n) }, reason, token);
}

/**
 * Stores an anchor whose token was obtained ahead over `event.hash` (see `plannedEventHash`): only when
 * that event is the chain's head, under the chain's lock. Returns undefined when the head is another
 * event (the caller then anchors with `anchorAuditChain`).
 */
export async function storeAnchorAhead(trx: Executor, conventionId: string, eventHash: string, reason: string, token: Uint8Array) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${"audit:" + conventionId}, 0))`.execute(trx);
  const head = await auditHead(trx, conventionId);
  if (!head || head.hash !== eventHash) return undefined;
  return storeAuditAnchor(trx, conventionId, head, reason, token);
}

function storeAuditAnchor(trx: Executor, conventionId: string, head: { id: string | number; hash: string; count: number }, reason: string, token: Uint8Array) {
  return trx
    .insertInto("audit_anchors")
    .values({ convention_id: conventionId, event_id: String(head.id), event_count: head.count, head_hash: head.hash, reason, token })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listAuditAnchors(db: Executor, conventionId: string) {
  return db.selectFrom("audit_anchors").select(["id", "event_id", "event_count", "head_hash", "reason", "created_at"]).where("convention_id", "=", conventionId).orderBy("id").execute();
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
