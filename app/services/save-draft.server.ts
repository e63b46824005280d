/**
 * Save a draft convention edited in the browser.
 *
 * One transaction: row lock on the convention, the workflow guard (`modifier`: brouillon only),
 * optimistic concurrency (the form carries the version it was loaded at; a stale form is refused
 * and nothing is written), a new `convention_versions` row with author, time and a French summary
 * of what changed, and an audit event.
 *
 * Validation with the shared `conventionSchema` (see app/domain/convention-draft.ts for the
 * policy): a present-but-wrong value refuses the save with French messages by field; empty
 * required fields are allowed and make the draft « incomplet » — it is saved, but the preview,
 * the PDF and the signature circuit refuse it and the convention page lists what is missing.
 */
import type { Database } from "../../db/connect";
import type { FieldError } from "../domain/convention";
import { checkDraft, LIMITS, normaliseDraft, summariseChanges, type DraftData } from "../domain/convention-draft";
import { transition, isStatus } from "../domain/workflow";
import { appendAuditEvent } from "../models/audit.server";
import { getVersionAuthor, insertConventionVersion, lockConvention } from "../models/convention-versions.server";
import { templateErrors } from "./render-draft.server";

export type SaveDraftInput = {
  actorId: string;
  /** The actor's organisation: it must be a party to the convention. */
  organisationId: string | null;
  conventionId: string;
  /** Version the form was loaded at. */
  expectedVersion: number;
  intitule: string;
  /** Form object (after `fromFormEntries`) or draft data. */
  data: Record<string, unknown>;
  meta?: { ip?: string | null; userAgent?: string | null };
  /** Set when the data is an earlier version's, brought back (restore-version.server.ts). */
  restoredFrom?: number;
};

export type SaveDraftResult =
  | { status: "saved"; version: number; summary: string; complete: boolean; data: DraftData }
  | { status: "unchanged"; version: number; data: DraftData }
  | { status: "invalid"; errors: FieldError[]; data: DraftData }
  | { status: "stale"; message: string; data: DraftData }
  | { status: "refused"; message: string; data: DraftData }
  | { status: "not_found"; data: DraftData };

export async function saveDraft(db: Database, input: SaveDraftInput): Promise<SaveDraftResult> {
  const data = normaliseDraft(input.data);
  const intitule = input.intitule.trim();
  const check = checkDraft(data);
  const errors: FieldError[] = [...check.blocking];
  if (!intitule) errors.unshift({ path: "intitule", message: "L'intitulé est obligatoire" });
  else if (intitule.length > LIMITS.intitule) errors.unshift({ path: "intitule", message: `L'intitulé ne peut pas dépasser ${LIMITS.intitule} caractères` });
  if (errors.length === 0) errors.push(...templateErrors(data));
  if (errors.length) return { status: "invalid", errors, data };

  return db.transaction().execute(async (trx): Promise<SaveDraftResult> => {
    const convention = await lockConvention(trx, input.conventionId);
    if (!convention || !input.organisationId) return { status: "not_found", data };
    const party = await trx
      .selectFrom("convention_organisations")
      .select("role")
      .where("convention_id", "=", convention.id)
      .where("organisation_id", "=", input.organisationId)
      .executeTakeFirst();
    if (!party) return { status: "not_found", data };
    // The parties are fixed at creation: a form (forged or stale) naming more or fewer délégataires is refused.
    const delegataireOrganisations = await trx
      .selectFrom("convention_organisations")
      .select("organisation_id")
      .where("convention_id", "=", convention.id)
      .where("role", "=", "delegataire")
      .execute();
    if ((data.delegataires ?? []).length !== delegataireOrganisations.length) {
      const n = delegataireOrganisations.length;
      return {
        status: "invalid",
        errors: [{ path: "delegataires", message: `Les organisations parties sont fixées à la création : ce brouillon désigne ${n} délégataire${n > 1 ? "s" : ""}.` }],
        data,
      };
    }
    const guard = isStatus(convention.status) ? transition(convention.status, { type: "modifier" }) : { ok: false as const, reason: "Statut inconnu." };
    if (!guard.ok) return { status: "refused", message: guard.reason, data };
    if (convention.version !== input.expectedVersion) {
      const author = await getVersionAuthor(trx, convention.id, convention.version);
      const who = author ? `${author.first_name} ${author.last_name}` : "une autre personne";
      return { status: "stale", message: `Ce brouillon a été modifié entre-temps par ${who} ; rechargez la page.`, data };
    }
    const before = normaliseDraft((convention.data ?? {}) as Record<string, unknown>);
    // The template (and its version) is chosen at creation: a form cannot switch it.
    data.modele = before.modele;
    data.requis = before.requis;
    if (before.modeleVersion) data.modeleVersion = before.modeleVersion;
    else delete data.modeleVersion;
    const changes = summariseChanges(before, data, { before: convention.title, after: intitule });
    if (changes === "Aucune modification") return { status: "unchanged", version: convention.version, data };
    const summary = input.restoredFrom ? `Restauration de la version ${input.restoredFrom} : ${changes}` : changes;

    const version = convention.version + 1;
    const complete = check.missing.length === 0;
    await trx
      .updateTable("conventions")
      .set({
        data: JSON.stringify(data),
        version,
        title: intitule,
        reference: data.reference || null,
        updated_at: new Date(),
      })
      .where("id", "=", convention.id)
      .execute();
    await insertConventionVersion(trx, { conventionId: convention.id, version, data, authorId: input.actorId, summary });
    await appendAuditEvent(trx, {
      conventionId: convention.id,
      type: "brouillon_modifie",
      actorId: input.actorId,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
      payload: { version, summary, complet: complete, aCompleter: check.missing.length, ...(input.restoredFrom ? { restaureeDepuis: input.restoredFrom } : {}) },
    });
    return { status: "saved", version, summary, complete, data };
  });
}
