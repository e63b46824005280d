import type { Database } from "../../db/connect";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { declinedEmail } from "../email/messages";
import { addAlert } from "../models/alerts.server";
import { appendAuditEvent } from "../models/audit.server";
import { personName } from "../models/people.server";
import { actingMember, CircuitError, followers, guard, lockConvention, type Actor, type CircuitDeps } from "./circuit-shared.server";

/** « Refuser »: a reason is required; the act goes back to the rédacteurs as a draft, reason shown, e-mailed and put in their portal alerts. */
export async function declineStep(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string, reason: string) {
  const motif = reason.trim();
  if (!motif) throw new CircuitError("Indiquez le motif du refus : il sera transmis aux rédacteurs.");
  if (motif.length > 2000) throw new CircuitError("Le motif ne peut pas dépasser 2 000 caractères.");
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    const to = guard(convention.status, { type: "refuser", motif });
    const { step, member } = await actingMember(trx, conventionId, actor.id);
    await trx.updateTable("step_members").set({ status: "refuse", acted_at: new Date(), acted_by: actor.id, decline_reason: motif }).where("id", "=", member.id).execute();
    await trx.updateTable("conventions").set({ status: to, decline_reason: motif, updated_at: new Date() }).where("id", "=", conventionId).execute();
    await appendAuditEvent(trx, {
      conventionId,
      type: "refus",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      documentSha256: convention.frozen_sha256,
      payload: { step: step.position, motif },
    });
    const by = await personName(trx, actor.id);
    for (const p of await followers(trx, convention)) {
      await addAlert(trx, { personId: p.id, conventionId, message: `${by} a refusé de signer « ${convention.title} » : le document est revenu à l'état de brouillon. Motif : ${motif}` });
      await enqueueEmail(
        trx,
        {
          kind: "refus",
          to: p.email,
          conventionId,
          dedupeKey: `refus:${convention.id}:${convention.circuit_round}:${p.id}`,
          ...declinedEmail({ firstName: p.first_name, title: convention.title, by, reason: motif, link: `${deps.config.publicUrl}/conventions/${conventionId}` }),
        },
        mailDomainOf(deps.config.mailFrom),
      );
    }
  });
}
