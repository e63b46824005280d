/**
 * Publication switch of one act (issue 15): a convention de délégation de gestion must be published,
 * so it is on by default; a rédacteur of a party may switch it off for one act, with a reason kept
 * on the act and in its audit trail. One transaction, the act's row locked; the open data upload
 * is queued in it when the act is already signed (the published file changes).
 */
import { z } from "zod";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { isPublicStatus } from "../domain/public-act";
import { appendAuditEvent } from "../models/audit.server";
import { CircuitError, lockConvention, type Actor } from "./circuit-shared.server";
import { enqueueDatagouvUpload } from "./upload-datagouv.server";

export const publicationFormSchema = z.discriminatedUnion("publier", [
  z.strictObject({ publier: z.literal("oui"), motif: z.string().max(1000).optional() }),
  z.strictObject({
    publier: z.literal("non"),
    motif: z
      .string({ error: "Le motif est obligatoire pour retirer un acte du registre public" })
      .trim()
      .min(1, "Le motif est obligatoire pour retirer un acte du registre public")
      .max(1000, "Le motif ne peut pas dépasser 1 000 caractères"),
  }),
], { error: "Choisissez de publier ou non l'acte" });

export type PublicationInput = z.input<typeof publicationFormSchema>;

export async function setPublishable(db: Database, config: Pick<Config, "datagouv" | "mailFrom">, actor: Actor, conventionId: string, input: PublicationInput) {
  const parsed = publicationFormSchema.safeParse(input);
  if (!parsed.success) throw new CircuitError(parsed.error.issues[0]?.message ?? "Formulaire incomplet");
  const value = parsed.data;
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    if (convention.kind === "compte_rendu") throw new CircuitError("Le compte rendu d'exécution est adressé au délégant et aux CBCM : il ne figure pas au registre public.");
    const person = await trx.selectFrom("people").select(["roles", "organisation_id"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
    const party = await trx
      .selectFrom("convention_organisations")
      .select("role")
      .where("convention_id", "=", conventionId)
      .where("organisation_id", "=", person.organisation_id ?? "00000000-0000-0000-0000-000000000000")
      .executeTakeFirst();
    if (!person.roles.includes("redacteur") || !party) throw new CircuitError("Seuls les rédacteurs d'une partie peuvent décider de la publication de l'acte.");
    const publishable = value.publier === "oui";
    if (convention.publishable === publishable) return { changed: false };
    const reason = value.publier === "non" ? value.motif : null;
    await trx.updateTable("conventions").set({ publishable, unpublished_reason: reason, updated_at: new Date() }).where("id", "=", conventionId).execute();
    await appendAuditEvent(trx, {
      conventionId,
      type: publishable ? "publication_retablie" : "publication_retiree",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      payload: publishable ? {} : { motif: reason },
    });
    if (isPublicStatus(convention.status)) await enqueueDatagouvUpload(trx, config, publishable ? "Acte republié" : "Acte retiré du registre");
    return { changed: true };
  });
}
