/**
 * Save a termination notice draft: notifying party, reason, requested effective date, common accord
 * and place. The signature blocks follow the notifying party (both parties by common accord). The
 * requested date must not fall after the convention's end date (it would never take effect).
 */
import type { Database } from "../../db/connect";
import type { Convention, FieldError } from "../domain/convention";
import { compareDates } from "../domain/dates";
import { parseTerminationForm } from "../domain/forms/termination";
import { formatDateLongue } from "../domain/convention";
import type { ConventionUser } from "./convention-access.server";
import type { Meta } from "./create-avenant.server";
import { noticeSignatures } from "./prepare-termination.server";
import { saveChildAct, type SaveActResult } from "./save-avenant.server";

export async function saveTermination(db: Database, user: ConventionUser, noticeId: string, input: { expectedVersion: number; form: Record<string, unknown> }, meta: Meta = {}): Promise<SaveActResult> {
  const parsed = parseTerminationForm(input.form);
  if (!parsed.ok) return { status: "invalid", errors: parsed.errors };
  const value = parsed.value;
  return saveChildAct(db, user, noticeId, "resiliation", input.expectedVersion, meta, (act) => {
    const before = act.data as { base?: Convention };
    const base = before.base;
    if (!base) return { errors: [{ path: "partie", message: "Cette notification n'a pas de convention de base : recréez-la depuis la convention." }] };
    const errors: FieldError[] = [];
    if (value.partieNotifiante === "delegataire" && value.indexDelegataire >= base.delegataires.length) errors.push({ path: "partie", message: "Ce délégataire n'existe pas" });
    if (value.dateEffetDemandee && base.dateFin && compareDates(value.dateEffetDemandee, base.dateFin) > 0)
      errors.push({ path: "dateEffetDemandee", message: `La date d'effet demandée ne peut pas suivre la fin de la convention (${formatDateLongue(base.dateFin)})` });
    if (errors.length) return { errors };
    const data: Record<string, unknown> = {
      ...(act.data as Record<string, unknown>),
      partieNotifiante: value.partieNotifiante,
      indexDelegataire: value.indexDelegataire,
      motif: value.motif,
      communAccord: value.communAccord,
      lieuSignature: value.lieuSignature,
      signatures: noticeSignatures(base, value.partieNotifiante, value.indexDelegataire, value.communAccord),
    };
    delete data.dateEffetDemandee;
    if (value.dateEffetDemandee) data.dateEffetDemandee = value.dateEffetDemandee;
    return { data, summary: value.communAccord ? "Résiliation d'un commun accord" : "Notification de résiliation" };
  });
}
