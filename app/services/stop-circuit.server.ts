import type { Database } from "../../db/connect";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { circuitStoppedEmail } from "../email/messages";
import { appendAuditEvent } from "../models/audit.server";
import { personName } from "../models/people.server";
import { guard, lockConvention, requireRedacteurOfParty, type Actor, type CircuitDeps } from "./circuit-shared.server";

/** The rédacteur stops a running circuit: the act returns to draft; waiting signatories are told. */
export async function stopCircuit(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string, reason: string) {
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    await requireRedacteurOfParty(trx, actor.id, conventionId);
    const to = guard(convention.status, { type: "interrompre_circuit" });
    await trx.updateTable("conventions").set({ status: to, decline_reason: null, updated_at: new Date() }).where("id", "=", conventionId).execute();
    await appendAuditEvent(trx, { conventionId, type: "circuit_interrompu", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, documentSha256: convention.frozen_sha256, payload: { motif: reason.trim() } });
    const waiting = await trx
      .selectFrom("step_members")
      .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
      .innerJoin("people", "people.id", "step_members.person_id")
      .select(["people.id", "people.email", "people.first_name"])
      .where("circuit_steps.convention_id", "=", conventionId)
      .where("circuit_steps.status", "=", "en_cours")
      .where("step_members.status", "=", "en_attente")
      .execute();
    const by = await personName(trx, actor.id);
    for (const p of waiting) {
      await enqueueEmail(
        trx,
        { kind: "circuit_interrompu", to: p.email, conventionId, dedupeKey: `interrompu:${conventionId}:${convention.circuit_round}:${p.id}`, ...circuitStoppedEmail({ firstName: p.first_name, title: convention.title, by, reason: reason.trim() }) },
        mailDomainOf(deps.config.mailFrom),
      );
    }
  });
}

// Shared by several use cases: it lives with the other shared circuit pieces.
export { requireRedacteurOfParty } from "./circuit-shared.server";
