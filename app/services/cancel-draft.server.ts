import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { CircuitError, guard, lockConvention, type Actor } from "./circuit-shared.server";
import { requireRedacteurOfParty } from "./stop-circuit.server";

/**
 * « Abandonner ce brouillon »: a rédacteur of a party gives up a draft. It is kept (status
 * « annulee », listed under the « Annulées » filter, its versions and history intact), never
 * deleted; an audit event records who and why. A circuit in progress must be stopped first (the
 * signatories are then told), so only a draft can be abandoned here.
 */
export async function cancelDraft(db: Database, actor: Actor, conventionId: string, reason: string) {
  const motif = reason.trim().slice(0, 2000);
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    await requireRedacteurOfParty(trx, actor.id, conventionId);
    if (convention.status === "en_signature") throw new CircuitError("Un circuit de signature est en cours : interrompez-le d'abord, les signataires seront prévenus.");
    if (convention.status === "annulee") throw new CircuitError("Ce brouillon a déjà été abandonné.");
    const to = guard(convention.status, { type: "annuler" });
    await trx.updateTable("conventions").set({ status: to, updated_at: new Date() }).where("id", "=", conventionId).execute();
    await appendAuditEvent(trx, {
      conventionId,
      type: "annulation",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      payload: motif ? { motif } : {},
    });
  });
}
