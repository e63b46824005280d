/**
 * « Notifier la résiliation » of a convention in force: a draft notice from the résiliation
 * template, by the party of the rédacteur who prepares it, whose signature blocks are that party's
 * signatory only (a one-step circuit; both parties' when the termination is d'un commun accord).
 * One notice in preparation at a time; refusals (not in force, already terminated…) in French.
 */
import type { Database } from "../../db/connect";
import type { Convention } from "../domain/convention";
import type { ResiliationInput } from "../domain/resiliation";
import { requireConventionAccess, type ConventionUser } from "./convention-access.server";
import { actBasis, insertChildAct, isUniqueViolation, lockParentFor, type CreateActResult, type Meta } from "./create-avenant.server";

/** The signature blocks of the notice: the notifying party's, or every party's by common accord. */
export function noticeSignatures(base: Convention, partie: "delegant" | "delegataire", indexDelegataire: number, communAccord: boolean) {
  if (communAccord) return base.signatures;
  return base.signatures.filter((s) => s.partie === partie && (partie === "delegant" || s.indexDelegataire === indexDelegataire));
}

export async function prepareTermination(db: Database, user: ConventionUser, conventionId: string, meta: Meta = {}): Promise<CreateActResult> {
  await requireConventionAccess(db, user, conventionId, "edit");
  try {
    return await db.transaction().execute(async (trx): Promise<CreateActResult> => {
      const locked = await lockParentFor(trx, conventionId, "resiliation", { type: "preparer_resiliation" });
      if (!locked.ok) return locked;
      const { parent } = locked;
      const parties = await trx.selectFrom("convention_organisations").select(["organisation_id", "role"]).where("convention_id", "=", parent.id).execute();
      const mine = parties.find((p) => p.organisation_id === user.organisation_id);
      const delegataires = parties.filter((p) => p.role === "delegataire");
      const partieNotifiante = mine?.role ?? "delegant";
      const indexDelegataire = partieNotifiante === "delegataire" ? Math.max(0, delegataires.findIndex((p) => p.organisation_id === user.organisation_id)) : 0;
      const { base, baseSigneeLe, actesModifies } = await actBasis(trx, parent);
      const data: Omit<ResiliationInput, "motif"> & { motif: string } = {
        modele: "resiliation",
        base,
        baseSigneeLe,
        actesModifies,
        partieNotifiante,
        indexDelegataire,
        motif: "",
        communAccord: false,
        lieuSignature: base.lieuSignature ?? "Paris",
        signatures: noticeSignatures(base, partieNotifiante, indexDelegataire, false),
      };
      const id = await insertChildAct(
        trx,
        user,
        parent,
        { kind: "resiliation", title: `Notification de résiliation — ${parent.title}`, template: "resiliation", data, avenantNumber: null, summary: "Notification de résiliation préparée", event: "resiliation_preparee" },
        meta,
      );
      return { ok: true, id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, message: "Une notification de résiliation est déjà en préparation pour cette convention (créée à l'instant par une autre personne)." };
    throw error;
  }
}
