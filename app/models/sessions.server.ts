import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { appendAuditEvent } from "./audit.server";
import type { Executor } from "./people.server";

/**
 * Opens a server-side session for a person who just proved who they are, and records the sign-in.
 * Returns the random token the cookie carries; only its hash is stored.
 */
export async function openSession(
  trx: Executor,
  input: { personId: string; authMethod: string; ttlHours: number; ip: string | null; userAgent: string | null; payload?: Record<string, unknown>; idToken?: string },
) {
  const sessionToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + input.ttlHours * 3600_000);
  await insertSession(trx, {
    token_hash: createHash("sha256").update(sessionToken).digest("hex"),
    person_id: input.personId,
    auth_method: input.authMethod,
    ip: input.ip,
    user_agent: input.userAgent,
    expires_at: expiresAt,
    id_token: input.idToken ?? null,
  });
  await appendAuditEvent(trx, {
    conventionId: null,
    type: "connexion",
    actorId: input.personId,
    authMethod: input.authMethod,
    ip: input.ip,
    userAgent: input.userAgent,
    payload: input.payload,
  });
  return { sessionToken, expiresAt };
}

export function insertSession(
  db: Executor,
  values: { token_hash: string; person_id: string; auth_method: string; ip: string | null; user_agent: string | null; expires_at: Date; id_token?: string | null },
) {
  return db.insertInto("sessions").values(values).returning(["id", "expires_at"]).executeTakeFirstOrThrow();
}

export const DEFAULT_SESSION_IDLE_MINUTES = 120;

/** A live session: not revoked, not expired, used within the idle limit, and its person still active. */
export function findLiveSession(db: Executor, tokenHash: string, idleMinutes = DEFAULT_SESSION_IDLE_MINUTES) {
  return db
    .selectFrom("sessions")
    .innerJoin("people", "people.id", "sessions.person_id")
    .select([
      "sessions.id as session_id",
      "sessions.auth_method",
      "sessions.expires_at",
      "people.id",
      "people.email",
      "people.first_name",
      "people.last_name",
      "people.job_title",
      "people.organisation_id",
      "people.roles",
    ])
    .where("sessions.token_hash", "=", tokenHash)
    .where("sessions.revoked_at", "is", null)
    .where("sessions.expires_at", ">", sql<Date>`now()`)
    .where("sessions.last_seen_at", ">", sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .where("people.active", "=", true)
    .executeTakeFirst();
}

/** Marks a session as used now (at most once a minute: one write per page would be wasted). */
export async function touchSession(db: Executor, sessionId: string) {
  await db.updateTable("sessions").set({ last_seen_at: sql`now()` }).where("id", "=", sessionId).where("last_seen_at", "<", sql<Date>`now() - interval '1 minute'`).execute();
}

/** Ends a session; returns the ID token a ProConnect session was opened with (for the provider's logout). */
export async function revokeSession(db: Executor, sessionId: string): Promise<{ idToken: string | null }> {
  const live = await db.selectFrom("sessions").select("id_token").where("id", "=", sessionId).where("revoked_at", "is", null).executeTakeFirst();
  await db.updateTable("sessions").set({ revoked_at: sql`now()`, id_token: null }).where("id", "=", sessionId).where("revoked_at", "is", null).execute();
  return { idToken: live?.id_token ?? null };
}

export function revokeSessionsOfPerson(db: Executor, personId: string) {
  return db.updateTable("sessions").set({ revoked_at: sql`now()`, id_token: null }).where("person_id", "=", personId).where("revoked_at", "is", null).execute();
}
