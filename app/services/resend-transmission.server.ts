import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { appendAuditEvent } from "../models/audit.server";
import { CircuitError, requireRedacteurOfParty, type Actor } from "./circuit-shared.server";
import { rebuildTransmission } from "./transmit-act.server";

/** Puts a failed (or lost) transmission back in the outbox: same message, same Message-ID. */
export async function resendTransmission(db: Database, actor: Actor, conventionId: string, transmissionId: string, config: Config) {
  return db.transaction().execute(async (trx) => {
    const isAdmin = await trx.selectFrom("people").select("id").where("id", "=", actor.id).where((eb) => eb(eb.val("administrateur"), "=", eb.fn.any("roles"))).executeTakeFirst();
    if (!isAdmin) await requireRedacteurOfParty(trx, actor.id, conventionId);
    const row = await trx
      .selectFrom("transmissions")
      .innerJoin("outbox_messages", "outbox_messages.id", "transmissions.outbox_message_id")
      .select(["transmissions.id", "transmissions.outbox_message_id", "transmissions.recipient_email", "outbox_messages.status", "outbox_messages.body_text"])
      .where("transmissions.id", "=", transmissionId)
      .where("transmissions.convention_id", "=", conventionId)
      .forUpdate("outbox_messages")
      .executeTakeFirst();
    if (!row) throw new CircuitError("Transmission introuvable.");
    if (row.status === "pending") throw new CircuitError("Ce message est déjà en cours d'envoi.");
    // A delivered message was purged (body and links): it is rebuilt with fresh links.
    if (row.body_text === null) await rebuildTransmission(trx, config, row.id);
    await trx
      .updateTable("outbox_messages")
      .set({ status: "pending", attempts: 0, next_attempt_at: sql`now()`, locked_until: null, last_error: null, sent_at: null })
      .where("id", "=", row.outbox_message_id)
      .execute();
    await appendAuditEvent(trx, { conventionId, type: "transmission_renvoyee", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { to: row.recipient_email } });
  });
}
