/**
 * What a signed act changes, in the transaction of its last signature (called by finishCircuit):
 * - a convention: its signature date, its period in force, consolidation 0, and « en vigueur » at
 *   once when it starts at signature (or on a start date already reached);
 * - an avenant: consolidation k on its convention, whose data and end date become the amended ones;
 * - a termination notice: its convention becomes « résiliation notifiée » with the effective date;
 * - a compte rendu d'exécution: an audit event on its convention (the report is rendered).
 * Every change of a publishable convention's public status (en vigueur, résiliation notifiée,
 * résiliée, expirée) queues the data.gouv.fr upload in the same transaction: the published file
 * states the status (issue 15).
 */
import type { Config } from "../config.server";
import { applyAvenant, avenantSchema } from "../domain/avenant";
import type { Convention } from "../domain/convention";
import { compareDates, parisDate, terminationEffectiveDate } from "../domain/dates";
import { resiliationSchema } from "../domain/resiliation";
import { appendAuditEvent } from "../models/audit.server";
import { insertConsolidation, latestConsolidation } from "../models/consolidations.server";
import { CircuitError, guard, lockConvention, type Trx } from "./circuit-shared.server";
import { longDate, tellParties } from "./lifecycle-shared.server";
import { enqueueDatagouvUpload } from "./upload-datagouv.server";

type SignedAct = { id: string; kind: string; parent_id: string | null; title: string; data: unknown; avenant_number: number | null };

/** Start and end of a convention's period in force, read from its data and its signature date. */
export function periodInForce(data: unknown, signedOn: string): { startsOn: string; endsOn: string | null } {
  const d = (data ?? {}) as { debut?: { regle?: string; date?: string }; dateFin?: string };
  const startsOn = d.debut?.regle === "date" && d.debut.date ? d.debut.date : signedOn;
  return { startsOn, endsOn: d.dateFin ?? null };
}

export async function applySignedAct(trx: Trx, config: Config, actId: string, actSha256: string, signedAt: Date) {
  const act: SignedAct = await trx.selectFrom("conventions").select(["id", "kind", "parent_id", "title", "data", "avenant_number"]).where("id", "=", actId).executeTakeFirstOrThrow();
  const signedOn = parisDate(signedAt);
  await trx.updateTable("conventions").set({ signed_on: signedOn }).where("id", "=", act.id).execute();
  if (act.kind === "convention") return applyConvention(trx, config, act, actSha256, signedOn);
  if (!act.parent_id) throw new CircuitError("Cet acte n'est rattaché à aucune convention.");
  const parent = await lockConvention(trx, act.parent_id);
  if (act.kind === "avenant") return applyAvenantAct(trx, act, parent, actSha256, signedOn);
  if (act.kind === "resiliation") return applyNotice(trx, config, act, parent, signedOn);
  // The compte rendu d'exécution changes nothing on its convention: it is recorded there as rendered.
  if (act.kind === "compte_rendu")
    return appendAuditEvent(trx, { conventionId: parent.id, type: "compte_rendu_signe", actorId: null, documentSha256: actSha256, payload: { reportId: act.id, signedOn } });
  throw new CircuitError(`Type d'acte inconnu : ${act.kind}`);
}

async function applyConvention(trx: Trx, config: Config, act: SignedAct, actSha256: string, signedOn: string) {
  const { startsOn, endsOn } = periodInForce(act.data, signedOn);
  await trx.updateTable("conventions").set({ starts_on: startsOn, ends_on: endsOn }).where("id", "=", act.id).execute();
  await insertConsolidation(trx, { conventionId: act.id, number: 0, avenantId: null, data: act.data, actSha256, signedOn });
  if (compareDates(startsOn, signedOn) <= 0) await enterIntoForce(trx, config, { id: act.id, title: act.title, status: "signee", starts_on: startsOn }, { atSignature: true });
}

/** The published file states the convention's status: replace it when a publishable one changes. */
async function republish(trx: Trx, config: Config, conventionId: string, reason: string) {
  const row = await trx.selectFrom("conventions").select("publishable").where("id", "=", conventionId).executeTakeFirstOrThrow();
  if (row.publishable) await enqueueDatagouvUpload(trx, config, reason);
}

/** signée -> en vigueur (at signature, or by the scheduler on the start date). */
export async function enterIntoForce(trx: Trx, config: Config, convention: { id: string; title: string; status: string; starts_on: string | null }, options: { atSignature?: boolean } = {}) {
  const to = guard(convention.status, { type: "entrer_en_vigueur" });
  await trx.updateTable("conventions").set({ status: to, updated_at: new Date() }).where("id", "=", convention.id).execute();
  await appendAuditEvent(trx, { conventionId: convention.id, type: "entree_en_vigueur", actorId: null, payload: { startsOn: convention.starts_on } });
  // At signature, finishCircuit queues the upload of the newly signed act (which states this status).
  if (!options.atSignature) await republish(trx, config, convention.id, `Entrée en vigueur : ${convention.title}`);
  await tellParties(trx, config, convention, {
    kind: "entree_en_vigueur",
    dedupeKey: `entree_en_vigueur:${convention.id}`,
    what: `est entrée en vigueur${convention.starts_on ? ` le ${longDate(convention.starts_on)}` : ""}`,
  });
}

async function applyAvenantAct(trx: Trx, act: SignedAct, parent: Awaited<ReturnType<typeof lockConvention>>, actSha256: string, signedOn: string) {
  // The convention must still be in force: an avenant cannot revive an expired or terminated act.
  guard(parent.status, { type: "preparer_avenant" });
  const avenant = avenantSchema.parse(act.data);
  const latest = await latestConsolidation(trx, parent.id);
  if (!latest) throw new CircuitError("La convention n'a pas de version signée : l'avenant ne peut pas s'y appliquer.");
  const applied = applyAvenant(latest.data as Convention, avenant.operations);
  if (!applied.ok) throw new CircuitError(`L'avenant ne s'applique plus à la convention : ${applied.errors.map((e) => e.message).join(" ; ")}`);
  const number = act.avenant_number ?? latest.number + 1;
  await insertConsolidation(trx, { conventionId: parent.id, number, avenantId: act.id, data: applied.data, actSha256, signedOn });
  const endsOn = applied.data.dateFin ?? null;
  await trx
    .updateTable("conventions")
    .set({ data: JSON.stringify(applied.data), ends_on: endsOn, updated_at: new Date() })
    .where("id", "=", parent.id)
    .execute();
  await appendAuditEvent(trx, {
    conventionId: parent.id,
    type: "avenant_applique",
    actorId: null,
    documentSha256: actSha256,
    payload: { avenantId: act.id, numero: number, endsOnBefore: parent.ends_on, endsOn },
  });
}

async function applyNotice(trx: Trx, config: Config, act: SignedAct, parent: Awaited<ReturnType<typeof lockConvention>>, signedOn: string) {
  const to = guard(parent.status, { type: "notifier_resiliation" });
  const notice = resiliationSchema.parse(act.data);
  const latest = await latestConsolidation(trx, parent.id);
  const preavisMois = ((latest?.data ?? parent.data) as { preavisMois?: number }).preavisMois ?? 3;
  const effectiveOn = terminationEffectiveDate({ notifiedOn: signedOn, preavisMois, requested: notice.dateEffetDemandee, communAccord: notice.communAccord });
  await trx.updateTable("conventions").set({ status: to, termination_effective_on: effectiveOn, updated_at: new Date() }).where("id", "=", parent.id).execute();
  await appendAuditEvent(trx, {
    conventionId: parent.id,
    type: "resiliation_notifiee",
    actorId: null,
    payload: { noticeId: act.id, notifiedOn: signedOn, effectiveOn, preavisMois, communAccord: notice.communAccord, partieNotifiante: notice.partieNotifiante },
  });
  await republish(trx, config, parent.id, `Résiliation notifiée : ${parent.title}`);
  await tellParties(trx, config, { id: parent.id, title: parent.title }, {
    kind: "resiliation_notifiee",
    dedupeKey: `resiliation_notifiee:${act.id}`,
    what: `fait l'objet d'une résiliation notifiée le ${longDate(signedOn)} : elle prend effet le ${longDate(effectiveOn)}`,
  });
  // A termination by mutual agreement may take effect the day it is signed.
  if (compareDates(effectiveOn, signedOn) <= 0) await terminate(trx, config, { id: parent.id, title: parent.title, status: to, termination_effective_on: effectiveOn });
}

/** résiliation notifiée -> résiliée, on the effective date. */
export async function terminate(trx: Trx, config: Config, convention: { id: string; title: string; status: string; termination_effective_on: string | null }) {
  const to = guard(convention.status, { type: "resilier" });
  await trx.updateTable("conventions").set({ status: to, updated_at: new Date() }).where("id", "=", convention.id).execute();
  await appendAuditEvent(trx, { conventionId: convention.id, type: "resiliation_effective", actorId: null, payload: { effectiveOn: convention.termination_effective_on } });
  await republish(trx, config, convention.id, `Résiliation effective : ${convention.title}`);
  await tellParties(trx, config, convention, {
    kind: "resiliation_effective",
    dedupeKey: `resiliation_effective:${convention.id}`,
    what: `est résiliée${convention.termination_effective_on ? ` depuis le ${longDate(convention.termination_effective_on)}` : ""}`,
  });
}

/** en vigueur (or résiliation notifiée taking effect later) -> expirée, the day after its end date. */
export async function expire(trx: Trx, config: Config, convention: { id: string; title: string; status: string; ends_on: string | null }) {
  const to = guard(convention.status, { type: "expirer" });
  await trx.updateTable("conventions").set({ status: to, updated_at: new Date() }).where("id", "=", convention.id).execute();
  await appendAuditEvent(trx, { conventionId: convention.id, type: "expiration", actorId: null, payload: { endsOn: convention.ends_on } });
  await republish(trx, config, convention.id, `Expiration : ${convention.title}`);
  await tellParties(trx, config, convention, {
    kind: "expiration",
    dedupeKey: `expiration:${convention.id}:${convention.ends_on}`,
    what: `a expiré${convention.ends_on ? ` : son dernier jour en vigueur était le ${longDate(convention.ends_on)}` : ""}`,
  });
}
