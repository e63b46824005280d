import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { UUID_RE } from "../models/conventions.server";
import { CircuitError, currentStep, inviteMember, lockConvention, requireRedacteurOfParty, type Actor, type CircuitDeps } from "./circuit-shared.server";

export const RESEND_MINUTES = 15;

/** Sends the invitation of the current step again to one person who has not acted yet. */
export async function resendInvitation(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string, memberId: string) {
  // A forged id is not a uuid: PostgreSQL would refuse the cast (a 500); it is simply not found.
  if (!UUID_RE.test(memberId)) throw new CircuitError("Cette personne n'a pas d'invitation en attente.");
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    await requireRedacteurOfParty(trx, actor.id, conventionId);
    if (convention.status !== "en_signature") throw new CircuitError("Ce document n'est pas en cours de signature.");
    const step = await currentStep(trx, conventionId);
    const member = step
      ? await trx
          .selectFrom("step_members")
          .innerJoin("people", "people.id", "step_members.person_id")
          .select(["step_members.id", "step_members.status", "step_members.invited_at", "people.id as person_id", "people.email", "people.first_name", "people.last_name"])
          .where("step_members.id", "=", memberId)
          .where("step_members.step_id", "=", step.id)
          .executeTakeFirst()
      : undefined;
    if (!step || !member || member.status !== "en_attente") throw new CircuitError("Cette personne n'a pas d'invitation en attente.");
    // One invitation per person per quarter of an hour: a re-send button is not a mail cannon.
    // The convention row is locked above, so two clicks at once cannot both pass.
    const nextAllowed = member.invited_at ? new Date(new Date(member.invited_at).getTime() + RESEND_MINUTES * 60_000) : null;
    if (nextAllowed && nextAllowed > new Date()) {
      const at = new Intl.DateTimeFormat("fr-FR", { timeStyle: "short", timeZone: "Europe/Paris" }).format(nextAllowed);
      throw new CircuitError(`Une invitation a été envoyée à ${member.first_name} ${member.last_name} il y a moins de ${RESEND_MINUTES} minutes. Vous pourrez la renvoyer à partir de ${at}.`);
    }
    await inviteMember(trx, deps.config, convention, step, member, `renvoi:${Date.now()}`);
    await appendAuditEvent(trx, { conventionId, type: "invitation_renvoyee", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { to: member.email } });
  });
}
