import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { CircuitError, currentStep, inviteMember, lockConvention, type Actor, type CircuitDeps } from "./circuit-shared.server";
import { requireRedacteurOfParty } from "./stop-circuit.server";

/** Sends the invitation of the current step again to one person who has not acted yet. */
export async function resendInvitation(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string, memberId: string) {
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    await requireRedacteurOfParty(trx, actor.id, conventionId);
    if (convention.status !== "en_signature") throw new CircuitError("Ce document n'est pas en cours de signature.");
    const step = await currentStep(trx, conventionId);
    const member = step
      ? await trx
          .selectFrom("step_members")
          .innerJoin("people", "people.id", "step_members.person_id")
          .select(["step_members.id", "step_members.status", "people.id as person_id", "people.email", "people.first_name", "people.last_name"])
          .where("step_members.id", "=", memberId)
          .where("step_members.step_id", "=", step.id)
          .executeTakeFirst()
      : undefined;
    if (!step || !member || member.status !== "en_attente") throw new CircuitError("Cette personne n'a pas d'invitation en attente.");
    await inviteMember(trx, deps.config, convention, step, member, `renvoi:${Date.now()}`);
    await appendAuditEvent(trx, { conventionId, type: "invitation_renvoyee", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { to: member.email } });
  });
}
