import { createHash } from "node:crypto";
import type { Database } from "../../db/connect";
import { circuitProblems, fieldNameOfBlock } from "../domain/circuit";
import { de } from "../domain/elision";
import { checkDraft, normaliseDraft } from "../domain/convention-draft";
import { missingItems } from "../domain/launch-rules";
import { appendAuditEvent } from "../models/audit.server";
import { listMembers, listSteps, resetCircuit } from "../models/circuit.server";
import { renderConventionPdf } from "../pdf/rendering/convention";
import { CircuitError, guard, lockConvention, startStep, type Actor, type CircuitDeps, type Trx } from "./circuit-shared.server";
import { launchReadiness } from "./launch-readiness.server";
import { isAmendingAct, renderActPdf, templateSource } from "./render-draft.server";
import { signatureBlocks } from "./set-circuit.server";

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Freezes the document (rendered once, SHA-256 recorded, no edit possible afterwards) and
 * invites the first step. Refuses, with the reasons, a draft or a circuit that is not complete.
 */
export async function launchCircuit(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string) {
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    const to = guard(convention.status, { type: "lancer_circuit" });
    if (convention.origin === "importe") throw new CircuitError("Une convention signée hors du portail ne passe pas par un circuit de signature : enregistrez-la.");
    if (isAmendingAct(convention.data)) return launchAmendingAct(trx, deps, actor, convention, to);
    const check = checkDraft(normaliseDraft((convention.data ?? {}) as Record<string, unknown>));
    if (!check.convention) {
      const first = missingItems([...check.blocking, ...check.missing]).slice(0, 5).map((e) => e.text);
      throw new CircuitError(`Le brouillon n'est pas complet : ${first.join(" ; ")}.`);
    }
    // End date past, schedule years outside the period, no CBCM for the délégant's ministry.
    const readiness = await launchReadiness(trx, convention);
    if (readiness.period.length || readiness.cbcm) throw new CircuitError(`Le circuit ne peut pas être lancé : ${readiness.items.map((e) => e.text).join(" ; ")}`);
    const steps = await listSteps(trx, conventionId);
    const members = await listMembers(trx, conventionId);
    const blocks = signatureBlocks(check.convention);
    const problems = circuitProblems(
      steps.map((s) => ({ ...s, members: members.filter((m) => m.step_id === s.id).map((m) => ({ personId: m.person_id, fieldName: m.field_name })) })),
      blocks,
    );
    if (steps.length === 0) problems.unshift("Définissez d'abord le circuit de signature.");
    if (problems.length) throw new CircuitError(problems.join(" "));

    // The template through the same path fallback as the drafting pages (the bundled server resolves templates/ from the cwd).
    const { pdf, boxes } = await renderConventionPdf(check.convention, { templateSource: templateSource(check.convention.modele) });
    for (const block of blocks) {
      if (!boxes.some((b) => b.fieldName === fieldNameOfBlock(block.index))) throw new CircuitError(`L'emplacement de signature ${de(block.name)} est absent du document.`);
    }
    return freezeAndStart(trx, deps, actor, convention, to, steps, pdf);
  });
}

/**
 * An avenant or a termination notice: launched only while its convention is still in force, checked
 * and rendered from its own model and template; then frozen and started like a convention.
 */
async function launchAmendingAct(trx: Trx, deps: CircuitDeps, actor: Actor, convention: Awaited<ReturnType<typeof lockConvention>>, to: ReturnType<typeof guard>) {
  const data = convention.data as { modele: "avenant" | "resiliation" | "compte-rendu" };
  if (!convention.parent_id) throw new CircuitError("Cet acte n'est rattaché à aucune convention.");
  const parent = await lockConvention(trx, convention.parent_id);
  // A compte rendu d'exécution is signed once its convention has ended; the other acts while it is in force.
  if (data.modele === "compte-rendu") {
    if (!["expiree", "resiliee"].includes(parent.status)) throw new CircuitError("Le compte rendu d'exécution se signe une fois la convention expirée ou résiliée.");
  } else guard(parent.status, { type: data.modele === "avenant" ? "preparer_avenant" : "preparer_resiliation" });
  const readiness = await launchReadiness(trx, convention);
  if (readiness.items.length) throw new CircuitError(`Le circuit ne peut pas être lancé : ${readiness.items.slice(0, 5).map((e) => e.text).join(" ; ")}`);
  const steps = await listSteps(trx, convention.id);
  const members = await listMembers(trx, convention.id);
  const blocks = signatureBlocks(data);
  const problems = circuitProblems(
    steps.map((s) => ({ ...s, members: members.filter((m) => m.step_id === s.id).map((m) => ({ personId: m.person_id, fieldName: m.field_name })) })),
    blocks,
  );
  if (steps.length === 0) problems.unshift("Définissez d'abord le circuit de signature.");
  if (problems.length) throw new CircuitError(problems.join(" "));
  const rendered = await renderActPdf(data);
  if (!rendered.ok) throw new CircuitError(`Le document ne peut pas être produit : ${rendered.problems.slice(0, 5).map((p) => p.message).join(" ; ")}.`);
  for (const block of blocks) {
    if (!rendered.boxes.some((b) => b.fieldName === fieldNameOfBlock(block.index))) throw new CircuitError(`L'emplacement de signature ${de(block.name)} est absent du document.`);
  }
  return freezeAndStart(trx, deps, actor, convention, to, steps, rendered.pdf);
}

async function freezeAndStart(
  trx: Trx,
  deps: CircuitDeps,
  actor: Actor,
  convention: Awaited<ReturnType<typeof lockConvention>>,
  to: ReturnType<typeof guard>,
  steps: Awaited<ReturnType<typeof listSteps>>,
  pdf: Uint8Array,
) {
  const conventionId = convention.id;
  {
    const round = convention.circuit_round + 1;
    const hash = sha256(pdf);
    await trx.insertInto("documents").values({ convention_id: conventionId, kind: "fige", round, revision: 0, sha256: hash, size: pdf.length, bytes: pdf }).execute();
    const updated = await trx
      .updateTable("conventions")
      .set({ status: to, frozen_sha256: hash, circuit_round: round, decline_reason: null, updated_at: new Date() })
      .where("id", "=", conventionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await resetCircuit(trx, conventionId);
    await appendAuditEvent(trx, {
      conventionId,
      type: "circuit_lance",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      documentSha256: hash,
      payload: { round, steps: steps.length },
    });
    await startStep(trx, deps.config, updated, steps[0].id);
    return { round, sha256: hash };
  }
}
