import { z } from "zod";
import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { CircuitError, lockConvention, type Actor } from "./circuit-shared.server";
import { requireRedacteurOfParty } from "./stop-circuit.server";

export const recipientSchema = z.object({
  name: z.string().trim().min(1, { message: "Indiquez le nom du destinataire ou de son service." }).max(200),
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "Adresse électronique invalide." })),
  /** This recipient receives the act as the délégant ministry's CBCM (none in the directory). */
  forCbcm: z.boolean().default(false),
});

/** The rédacteur adds a recipient of the signed act, before it is signed. */
export async function addRecipient(db: Database, actor: Actor, conventionId: string, raw: z.input<typeof recipientSchema>) {
  const parsed = recipientSchema.safeParse(raw);
  if (!parsed.success) throw new CircuitError(parsed.error.issues[0].message);
  const input = parsed.data;
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    await requireRedacteurOfParty(trx, actor.id, conventionId);
    if (!["brouillon", "en_signature"].includes(convention.status)) throw new CircuitError("L'acte est déjà signé et transmis : on ne peut plus ajouter de destinataire.");
    await trx.insertInto("extra_recipients").values({ convention_id: conventionId, email: input.email, name: input.name, added_by: actor.id, for_cbcm: input.forCbcm }).onConflict((oc) => oc.columns(["convention_id", "email"]).doUpdateSet({ for_cbcm: input.forCbcm })).execute();
    await appendAuditEvent(trx, { conventionId, type: "destinataire_ajoute", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: input });
  });
}

export async function removeRecipient(db: Database, actor: Actor, conventionId: string, recipientId: string) {
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    await requireRedacteurOfParty(trx, actor.id, conventionId);
    if (!["brouillon", "en_signature"].includes(convention.status)) throw new CircuitError("L'acte est déjà signé et transmis.");
    const removed = await trx.deleteFrom("extra_recipients").where("id", "=", recipientId).where("convention_id", "=", conventionId).returning("email").executeTakeFirst();
    if (removed) await appendAuditEvent(trx, { conventionId, type: "destinataire_retire", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { email: removed.email } });
  });
}
