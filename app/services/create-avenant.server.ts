/**
 * « Préparer un avenant » on a convention in force: a draft act « Avenant n° k » (numbered per
 * convention), one at a time, whose base is the convention as consolidated by its signed acts and
 * which names every act it amends with the SHA-256 of its signed PDF.
 * One transaction: the convention row locked, the workflow guard (`preparer_avenant`), the new row
 * and its parties, version 1, audit events on both acts. Refusals are French and change nothing.
 */
import type { Database } from "../../db/connect";
import type { AvenantInput } from "../domain/avenant";
import { formatDateLongue, type Convention } from "../domain/convention";
import { isStatus, transition, type WorkflowEvent } from "../domain/workflow";
import { appendAuditEvent } from "../models/audit.server";
import { listConsolidations } from "../models/consolidations.server";
import { insertConventionVersion, lockConvention } from "../models/convention-versions.server";
import type { Executor } from "../models/people.server";
import { requireConventionAccess, type ConventionUser } from "./convention-access.server";

export type Meta = { ip?: string | null; userAgent?: string | null };
export type CreateActResult = { ok: true; id: string } | { ok: false; message: string; existingId?: string };

type Parent = NonNullable<Awaited<ReturnType<typeof lockConvention>>>;

/**
 * Locks the convention and checks that a child act (avenant or notice) may be prepared on it:
 * a convention (not an act amending one), the workflow's answer, and none of that kind in preparation.
 */
export async function lockParentFor(trx: Executor, conventionId: string, kind: "avenant" | "resiliation", event: WorkflowEvent): Promise<{ ok: true; parent: Parent } | { ok: false; message: string; existingId?: string }> {
  const parent = await lockConvention(trx, conventionId);
  if (!parent) return { ok: false, message: "Cette convention n'existe pas." };
  if (parent.kind !== "convention")
    return { ok: false, message: kind === "avenant" ? "Un avenant modifie une convention, pas un autre acte." : "Une résiliation porte sur une convention, pas sur un autre acte." };
  const guard = isStatus(parent.status) ? transition(parent.status, event) : { ok: false as const, reason: "Statut inconnu." };
  if (!guard.ok) return { ok: false, message: guard.reason };
  const existing = await trx
    .selectFrom("conventions")
    .select(["id", "avenant_number"])
    .where("parent_id", "=", parent.id)
    .where("kind", "=", kind)
    .where("status", "in", ["brouillon", "en_signature"])
    .executeTakeFirst();
  if (existing) {
    return {
      ok: false,
      existingId: existing.id,
      message:
        kind === "avenant"
          ? `L'avenant n° ${existing.avenant_number} est déjà en préparation pour cette convention : terminez-le ou annulez-le avant d'en préparer un autre.`
          : "Une notification de résiliation est déjà en préparation pour cette convention.",
    };
  }
  return { ok: true, parent };
}

/** The consolidated convention an act starts from, its signature date and the acts (with their SHA-256) it relates to. */
export async function actBasis(trx: Executor, parent: Parent) {
  const versions = await listConsolidations(trx, parent.id);
  const latest = versions.at(-1);
  const base = (latest?.data ?? parent.data) as Convention;
  const actesModifies = versions.map((v) => ({
    libelle: v.number === 0 ? `${parent.title}, signée le ${formatDateLongue(v.signed_on)}` : `Avenant n° ${v.number}, signé le ${formatDateLongue(v.signed_on)}`,
    sha256: v.act_sha256,
  }));
  return { base, baseSigneeLe: parent.signed_on ?? versions[0]?.signed_on ?? "", actesModifies };
}

/** A new child act row: parties copied from the convention, version 1, audit events on both acts. */
export async function insertChildAct(
  trx: Executor,
  user: ConventionUser,
  parent: Parent,
  values: { kind: "avenant" | "resiliation"; title: string; template: string; data: unknown; avenantNumber: number | null; summary: string; event: string },
  meta: Meta,
) {
  const row = await trx
    .insertInto("conventions")
    .values({
      kind: values.kind,
      parent_id: parent.id,
      status: "brouillon",
      title: values.title,
      reference: parent.reference,
      delegant_organisation_id: parent.delegant_organisation_id,
      template: values.template,
      data: JSON.stringify(values.data),
      version: 1,
      frozen_sha256: null,
      created_by: user.id,
      decline_reason: null,
      avenant_number: values.avenantNumber,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const parties = await trx.selectFrom("convention_organisations").selectAll().where("convention_id", "=", parent.id).execute();
  await trx.insertInto("convention_organisations").values(parties.map((p) => ({ ...p, convention_id: row.id }))).execute();
  await insertConventionVersion(trx, { conventionId: row.id, version: 1, data: values.data, authorId: user.id, summary: values.summary });
  const common = { type: values.event, actorId: user.id, ip: meta.ip ?? null, userAgent: meta.userAgent ?? null };
  await appendAuditEvent(trx, { ...common, conventionId: row.id, payload: { parentId: parent.id, numero: values.avenantNumber } });
  await appendAuditEvent(trx, { ...common, conventionId: parent.id, payload: { actId: row.id, numero: values.avenantNumber } });
  return row.id;
}

/** A unique index violation: another request created the act in preparation first. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "23505";

export async function createAvenant(db: Database, user: ConventionUser, conventionId: string, meta: Meta = {}): Promise<CreateActResult> {
  await requireConventionAccess(db, user, conventionId, "edit");
  try {
    return await db.transaction().execute(async (trx): Promise<CreateActResult> => {
      const locked = await lockParentFor(trx, conventionId, "avenant", { type: "preparer_avenant" });
      if (!locked.ok) return locked;
      const { parent } = locked;
      const { max } = await trx
        .selectFrom("conventions")
        .select((eb) => eb.fn.max<number | null>("avenant_number").as("max"))
        .where("parent_id", "=", parent.id)
        .where("kind", "=", "avenant")
        .executeTakeFirstOrThrow();
      const numero = (max ?? 0) + 1;
      const { base, baseSigneeLe, actesModifies } = await actBasis(trx, parent);
      const data: Omit<AvenantInput, "operations"> & { operations: [] } = {
        modele: "avenant",
        numero,
        base,
        baseSigneeLe,
        actesModifies,
        objet: "",
        operations: [],
        lieuSignature: base.lieuSignature ?? "Paris",
        signatures: base.signatures,
      };
      const id = await insertChildAct(
        trx,
        user,
        parent,
        { kind: "avenant", title: `Avenant n° ${numero} — ${parent.title}`, template: "avenant", data, avenantNumber: numero, summary: `Avenant n° ${numero} créé sur la version consolidée de la convention`, event: "avenant_cree" },
        meta,
      );
      return { ok: true, id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, message: "Un avenant est déjà en préparation pour cette convention (créé à l'instant par une autre personne)." };
    throw error;
  }
}
