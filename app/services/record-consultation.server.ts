import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import type { Actor } from "./circuit-shared.server";

/** Same person, same round: one « consultation » event per quarter of an hour is enough proof. */
const QUIET_MINUTES = 15;

/**
 * « Document consulté »: an invited person (or their delegate) opened the signing page of a
 * document in signature. Recorded in the convention's audit chain with the frozen document's hash.
 */
export async function recordConsultation(db: Database, actor: Actor, conventionId: string) {
  return db.transaction().execute(async (trx) => {
    const convention = await trx
      .selectFrom("conventions")
      .select(["id", "status", "frozen_sha256", "circuit_round"])
      .where("id", "=", conventionId)
      .forUpdate()
      .executeTakeFirst();
    if (!convention || convention.status !== "en_signature") return false;
    const recent = await trx
      .selectFrom("audit_events")
      .select("id")
      .where("convention_id", "=", conventionId)
      .where("type", "=", "consultation")
      .where("actor_id", "=", actor.id)
      .where("document_sha256", "=", convention.frozen_sha256)
      .where("created_at", ">", sql<Date>`now() - make_interval(mins => ${QUIET_MINUTES})`)
      .executeTakeFirst();
    if (recent) return false;
    await appendAuditEvent(trx, {
      conventionId,
      type: "consultation",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      documentSha256: convention.frozen_sha256,
      payload: { round: convention.circuit_round },
    });
    return true;
  });
}
