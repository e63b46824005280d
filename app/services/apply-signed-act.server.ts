/**
 * What a signed act changes, in the transaction of its last signature (called by finishCircuit):
 * - a convention: its signature date, its period in force, consolidation 0, and « en vigueur » at
 *   once when it starts at signature (or on a start date already reached);
 * - an avenant: consolidation k on its convention, whose data and end date become the amended ones;
 * - a termination notice: its convention becomes « résiliation notifiée » with the effective date.
 */
import type { Config } from "../config.server";
import { compareDates, parisDate } from "../domain/dates";
import { appendAuditEvent } from "../models/audit.server";
import { insertConsolidation } from "../models/consolidations.server";
import { CircuitError, guard, type Trx } from "./circuit-shared.server";
import { longDate, tellParties } from "./lifecycle-shared.server";

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
  throw new CircuitError(`Type d'acte inconnu : ${act.kind}`);
}

async function applyConvention(trx: Trx, config: Config, act: SignedAct, actSha256: string, signedOn: string) {
  const { startsOn, endsOn } = periodInForce(act.data, signedOn);
  await trx.updateTable("conventions").set({ starts_on: startsOn, ends_on: endsOn }).where("id", "=", act.id).execute();
  await insertConsolidation(trx, { conventionId: act.id, number: 0, avenantId: null, data: act.data, actSha256, signedOn });
  if (compareDates(startsOn, signedOn) <= 0) await enterIntoForce(trx, config, { id: act.id, title: act.title, status: "signee", starts_on: startsOn });
}

/** signée -> en vigueur (at signature, or by the scheduler on the start date). */
export async function enterIntoForce(trx: Trx, config: Config, convention: { id: string; title: string; status: string; starts_on: string | null }) {
  const to = guard(convention.status, { type: "entrer_en_vigueur" });
  await trx.updateTable("conventions").set({ status: to, updated_at: new Date() }).where("id", "=", convention.id).execute();
  await appendAuditEvent(trx, { conventionId: convention.id, type: "entree_en_vigueur", actorId: null, payload: { startsOn: convention.starts_on } });
  await tellParties(trx, config, convention, {
    kind: "entree_en_vigueur",
    dedupeKey: `entree_en_vigueur:${convention.id}`,
    what: `est entrée en vigueur${convention.starts_on ? ` le ${longDate(convention.starts_on)}` : ""}`,
  });
}

/** résiliation notifiée -> résiliée, on the effective date. */
export async function terminate(trx: Trx, config: Config, convention: { id: string; title: string; status: string; termination_effective_on: string | null }) {
  const to = guard(convention.status, { type: "resilier" });
  await trx.updateTable("conventions").set({ status: to, updated_at: new Date() }).where("id", "=", convention.id).execute();
  await appendAuditEvent(trx, { conventionId: convention.id, type: "resiliation_effective", actorId: null, payload: { effectiveOn: convention.termination_effective_on } });
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
  await tellParties(trx, config, convention, {
    kind: "expiration",
    dedupeKey: `expiration:${convention.id}:${convention.ends_on}`,
    what: `a expiré${convention.ends_on ? ` : son dernier jour en vigueur était le ${longDate(convention.ends_on)}` : ""}`,
  });
}
