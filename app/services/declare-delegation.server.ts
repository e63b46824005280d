import { sql } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { UUID_RE } from "../models/conventions.server";
import type { Executor } from "../models/people.server";
import { CircuitError, type Actor } from "./circuit-shared.server";

export const delegationSchema = z
  .object({
    delegateEmail: z.string().trim().toLowerCase().pipe(z.email({ message: "Adresse électronique invalide." })),
    startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "La date de début doit avoir la forme AAAA-MM-JJ." }),
    endsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "La date de fin doit avoir la forme AAAA-MM-JJ." }),
    actReference: z.string().trim().min(3, { message: "Indiquez la référence de l'acte de délégation (arrêté, décision…)." }).max(300),
  })
  .refine((d) => d.startsOn <= d.endsOn, { message: "La date de fin doit suivre la date de début.", path: ["endsOn"] });

export const UNKNOWN_DELEGATE = "Aucun signataire actif de votre organisation ne correspond à cette adresse dans Paraphe.";

/** Today's date in France (delegations are by calendar day, as findActiveDelegation reads them). */
async function parisToday(trx: Executor): Promise<string> {
  const { rows } = await sql<{ today: string }>`select to_char((now() at time zone 'Europe/Paris')::date, 'YYYY-MM-DD') as today`.execute(trx);
  return rows[0].today;
}

/**
 * A signataire names who may sign in their place, for a date range, under a delegation act: an
 * active signataire of their own organisation, from today on. The delegate may not use it on a
 * convention they drafted (checked when they act: see actingMember).
 */
export async function declareDelegation(db: Database, actor: Actor, input: z.infer<typeof delegationSchema>) {
  return db.transaction().execute(async (trx) => {
    const titular = await trx.selectFrom("people").select(["id", "roles", "organisation_id"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
    if (!titular.roles.includes("signataire")) throw new CircuitError("Seul un signataire peut déléguer sa signature.");
    if (input.startsOn < (await parisToday(trx))) throw new CircuitError("La date de début ne peut pas être passée : une délégation vaut à partir d'aujourd'hui au plus tôt.");
    const delegate = await trx.selectFrom("people").select(["id", "organisation_id", "active", "roles"]).where("email", "=", input.delegateEmail).executeTakeFirst();
    if (delegate?.id === titular.id) throw new CircuitError("Vous ne pouvez pas vous déléguer votre propre signature.");
    // One answer for an unknown address, another organisation, a deactivated account or a person
    // without the signataire role: the form does not tell who exists elsewhere.
    const eligible = delegate && delegate.active && delegate.roles.includes("signataire") && titular.organisation_id !== null && delegate.organisation_id === titular.organisation_id;
    if (!delegate || !eligible) throw new CircuitError(UNKNOWN_DELEGATE);
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
  // A forged id is not a uuid: PostgreSQL would refuse the cast (a 500); it is simply not found.
  if (!UUID_RE.test(delegationId)) throw new CircuitError("Délégation introuvable.");
  return db.transaction().execute(async (trx) => {
    const done = await trx.updateTable("delegations").set({ revoked_at: new Date() }).where("id", "=", delegationId).where("titular_id", "=", actor.id).where("revoked_at", "is", null).executeTakeFirst();
    if (!done.numUpdatedRows) throw new CircuitError("Délégation introuvable.");
    await appendAuditEvent(trx, { conventionId: null, type: "delegation_revoquee", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { delegationId } });
  });
}
