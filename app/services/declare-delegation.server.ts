import { z } from "zod";
import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { CircuitError, type Actor } from "./circuit-shared.server";

export const delegationSchema = z
  .object({
    delegateEmail: z.string().trim().toLowerCase().pipe(z.email({ message: "Adresse électronique invalide." })),
    startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "La date de début doit avoir la forme AAAA-MM-JJ." }),
    endsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "La date de fin doit avoir la forme AAAA-MM-JJ." }),
    actReference: z.string().trim().min(3, { message: "Indiquez la référence de l'acte de délégation (arrêté, décision…)." }).max(300),
  })
  .refine((d) => d.startsOn <= d.endsOn, { message: "La date de fin doit suivre la date de début.", path: ["endsOn"] });

/** A signataire names who may sign in their place, for a date range, under a delegation act. */
export async function declareDelegation(db: Database, actor: Actor, input: z.infer<typeof delegationSchema>) {
  return db.transaction().execute(async (trx) => {
    const titular = await trx.selectFrom("people").select(["id", "roles", "organisation_id"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
    if (!titular.roles.includes("signataire")) throw new CircuitError("Seul un signataire peut déléguer sa signature.");
    const delegate = await trx.selectFrom("people").select(["id", "organisation_id", "active"]).where("email", "=", input.delegateEmail).executeTakeFirst();
    if (!delegate || !delegate.active) throw new CircuitError("Aucune personne active ne correspond à cette adresse dans Paraphe.");
    if (delegate.id === titular.id) throw new CircuitError("Vous ne pouvez pas vous déléguer votre propre signature.");
    if (delegate.organisation_id !== titular.organisation_id) throw new CircuitError("Le délégataire de signature doit appartenir à votre organisation.");
    const row = await trx
      .insertInto("delegations")
      .values({ titular_id: titular.id, delegate_id: delegate.id, starts_on: input.startsOn, ends_on: input.endsOn, act_reference: input.actReference, revoked_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, { conventionId: null, type: "delegation_declaree", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { delegationId: row.id, delegateId: delegate.id, ...input } });
    return row;
  });
}

export async function revokeDelegation(db: Database, actor: Actor, delegationId: string) {
  return db.transaction().execute(async (trx) => {
    const done = await trx.updateTable("delegations").set({ revoked_at: new Date() }).where("id", "=", delegationId).where("titular_id", "=", actor.id).where("revoked_at", "is", null).executeTakeFirst();
    if (!done.numUpdatedRows) throw new CircuitError("Délégation introuvable.");
    await appendAuditEvent(trx, { conventionId: null, type: "delegation_revoquee", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { delegationId } });
  });
}
