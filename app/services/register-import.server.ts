/**
 * Registers an imported act once its data is entered: the uploaded file is the act (never
 * re-rendered); its signature date is required; by its dates it becomes « en vigueur », « signée »
 * (a start date still ahead) or « expirée ». Consolidation 0 holds its data and the file's SHA-256.
 * One transaction: row lock, workflow guard (`enregistrer_import`), audit event.
 */
import type { Database } from "../../db/connect";
import type { FieldError } from "../domain/convention";
import { checkDraft, normaliseDraft } from "../domain/convention-draft";
import { compareDates, parisDate } from "../domain/dates";
import { isStatus, transition } from "../domain/workflow";
import { appendAuditEvent } from "../models/audit.server";
import { insertConsolidation } from "../models/consolidations.server";
import { lockConvention } from "../models/convention-versions.server";
import { now } from "../clock.server";
import { periodInForce } from "./apply-signed-act.server";
import { requireConventionAccess, type ConventionUser } from "./convention-access.server";
import type { Meta } from "./create-avenant.server";
import type { Config } from "../config.server";
import { enqueueDatagouvUpload } from "./upload-datagouv.server";

export type RegisterImportResult = { ok: true; status: "signee" | "en_vigueur" | "expiree" } | { ok: false; errors: FieldError[] } | { ok: false; message: string };

/**
 * `config` (data.gouv.fr settings): a publishable act joins the open data as a signed act does, its
 * upload job written in the same transaction (issue 15).
 */
export async function registerImport(
  db: Database,
  user: ConventionUser,
  id: string,
  meta: Meta = {},
  at: Date = now(),
  config?: Pick<Config, "datagouv" | "mailFrom">,
): Promise<RegisterImportResult> {
  await requireConventionAccess(db, user, id, "edit");
  return db.transaction().execute(async (trx): Promise<RegisterImportResult> => {
    const act = await lockConvention(trx, id);
    if (!act || act.kind !== "convention" || act.origin !== "importe") return { ok: false, message: "Cet acte n'a pas été déposé comme convention signée hors du portail." };
    if (act.status !== "brouillon") return { ok: false, message: "Cet acte importé est déjà enregistré." };
    const file = await trx.selectFrom("documents").select("sha256").where("convention_id", "=", act.id).where("kind", "=", "importe").executeTakeFirst();
    if (!file) return { ok: false, message: "Le PDF signé de cet acte est introuvable : déposez-le de nouveau." };

    const data = normaliseDraft((act.data ?? {}) as Record<string, unknown>);
    const check = checkDraft(data);
    const errors: FieldError[] = [...check.blocking, ...check.missing];
    const today = parisDate(at);
    if (!data.dateSignature) errors.unshift({ path: "dateSignature", message: "La date de signature est obligatoire pour une convention signée hors du portail" });
    else if (compareDates(String(data.dateSignature), today) > 0) errors.unshift({ path: "dateSignature", message: "La date de signature ne peut pas être postérieure à aujourd'hui" });
    if (errors.length || !check.convention) return { ok: false, errors };

    const signedOn = check.convention.dateSignature!;
    const { startsOn, endsOn } = periodInForce(check.convention, signedOn);
    const etat = endsOn && compareDates(today, endsOn) > 0 ? "expiree" : compareDates(startsOn, today) > 0 ? "signee" : "en_vigueur";
    if (!isStatus(act.status)) return { ok: false, message: "Statut inconnu." };
    const guard = transition(act.status, { type: "enregistrer_import", etat });
    if (!guard.ok) return { ok: false, message: guard.reason };
    await trx
      .updateTable("conventions")
      .set({ status: guard.to, signed_on: signedOn, starts_on: startsOn, ends_on: endsOn, frozen_sha256: file.sha256, updated_at: new Date() })
      .where("id", "=", act.id)
      .execute();
    await insertConsolidation(trx, { conventionId: act.id, number: 0, avenantId: null, data: check.convention, actSha256: file.sha256, signedOn });
    await appendAuditEvent(trx, {
      conventionId: act.id,
      type: "import_enregistre",
      actorId: user.id,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      documentSha256: file.sha256,
      payload: { statut: guard.to, signedOn, startsOn, endsOn },
    });
    if (config && act.publishable) await enqueueDatagouvUpload(trx, config, `Acte importé enregistré : ${act.title}`);
    return { ok: true, status: etat };
  });
}
