import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { latestDocument } from "../models/circuit.server";
import { actingMember, CircuitError, lockConvention, type Actor, type CircuitDeps } from "./circuit-shared.server";
import { finishCircuit } from "./finish-circuit.server";
import { advance } from "./sign-step.server";

/** A « visa »: a recorded approval (legal or financial review) that adds no PDF signature. */
export async function approveStep(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string) {
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    if (convention.status !== "en_signature") throw new CircuitError("Ce document n'est pas en cours de signature.");
    const { step, member, delegation } = await actingMember(trx, conventionId, actor.id);
    if (step.kind !== "visa") throw new CircuitError("Cette étape demande une signature, pas un visa.");
    await trx.updateTable("step_members").set({ status: "vise", acted_at: new Date(), acted_by: actor.id }).where("id", "=", member.id).execute();
    await appendAuditEvent(trx, {
      conventionId,
      type: "visa",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      documentSha256: convention.frozen_sha256,
      payload: { step: step.position, onBehalfOf: delegation ? member.person_id : null },
    });
    if (await advance(trx, deps, convention, step)) {
      const current = await latestDocument(trx, conventionId, convention.circuit_round);
      if (!current || current.kind === "fige") throw new CircuitError("Un circuit ne peut pas se terminer par un visa sans aucune signature.");
      await finishCircuit(trx, deps, convention, new Uint8Array(current.bytes));
    }
  });
}
