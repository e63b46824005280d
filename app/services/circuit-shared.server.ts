/** Pieces shared by the circuit use cases: locking, who may act, invitations. Not a use case itself. */
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { Config } from "../config.server";
import { isStatus, transition, type Status, type WorkflowEvent } from "../domain/workflow";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { invitationEmail } from "../email/messages";
import { delegatesOf, findActiveDelegation } from "../models/circuit.server";
import { hasDrafted } from "../models/people.server";
import type { Pki } from "../pdf/pki/pki";

export type Trx = Transaction<DB>;
export type CircuitDeps = { config: Config; pki: Pki };
export type Actor = { id: string; authMethod: string; ip: string | null; userAgent: string | null };

/** A refusal the person can act on: shown as is, nothing was changed. */
export class CircuitError extends Error {}

/** One transaction per transition: the convention row is locked first, then the workflow decides. */
export async function lockConvention(trx: Trx, conventionId: string) {
  const convention = await trx.selectFrom("conventions").selectAll().where("id", "=", conventionId).forUpdate().executeTakeFirst();
  if (!convention) throw new CircuitError("Cette convention n'existe pas.");
  return convention;
}

/** Refuses anyone but a rédacteur of one of the convention's parties. */
export async function requireRedacteurOfParty(trx: Trx, personId: string, conventionId: string) {
  const ok = await trx
    .selectFrom("people")
    .innerJoin("convention_organisations", "convention_organisations.organisation_id", "people.organisation_id")
    .select("people.id")
    .where("people.id", "=", personId)
    .where("convention_organisations.convention_id", "=", conventionId)
    .where((eb) => eb(eb.val("redacteur"), "=", eb.fn.any("people.roles")))
    .executeTakeFirst();
  if (!ok) throw new CircuitError("Seul un rédacteur d'une des parties peut conduire le circuit de signature.");
}

export function guard(status: string, event: WorkflowEvent): Status {
  if (!isStatus(status)) throw new CircuitError(`Statut inconnu : ${status}`);
  const result = transition(status, event);
  if (!result.ok) throw new CircuitError(result.reason);
  return result.to;
}

export async function currentStep(trx: Trx, conventionId: string) {
  return trx
    .selectFrom("circuit_steps")
    .selectAll()
    .where("convention_id", "=", conventionId)
    .where("status", "=", "en_cours")
    .orderBy("position")
    .limit(1)
    .executeTakeFirst();
}

/**
 * The member of the current step that `actorId` may act for: themself, or a titular whose
 * delegation to them is in force today. Refuses anyone else, or when it is not their turn.
 */
export async function actingMember(trx: Trx, conventionId: string, actorId: string) {
  const step = await currentStep(trx, conventionId);
  if (!step) throw new CircuitError("Aucune étape de signature n'est en cours pour ce document.");
  const members = await trx
    .selectFrom("step_members")
    .innerJoin("people", "people.id", "step_members.person_id")
    .selectAll("step_members")
    .select(["people.first_name", "people.last_name", "people.email", "people.job_title", "people.organisation_id"])
    .where("step_id", "=", step.id)
    .forUpdate("step_members")
    .execute();
  const own = members.find((m) => m.person_id === actorId);
  if (own) {
    if (own.status !== "en_attente") throw new CircuitError("Vous avez déjà traité cette étape.");
    return { step, member: own, delegation: null };
  }
  for (const m of members) {
    if (m.status !== "en_attente") continue;
    const delegation = await findActiveDelegation(trx, m.person_id, actorId);
    if (!delegation) continue;
    // Separation of duties: who drafted the act does not also sign it for someone else.
    if (await hasDrafted(trx, conventionId, actorId)) {
      throw new CircuitError("Vous avez rédigé cette convention : vous ne pouvez pas la signer par délégation.");
    }
    return { step, member: m, delegation };
  }
  const waiting = await trx
    .selectFrom("step_members")
    .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
    .select("circuit_steps.position")
    .where("circuit_steps.convention_id", "=", conventionId)
    .where("step_members.person_id", "=", actorId)
    .where("step_members.status", "=", "en_attente")
    .executeTakeFirst();
  throw new CircuitError(
    waiting ? "Ce n'est pas encore votre tour : une étape précédente du circuit n'est pas terminée." : "Vous n'êtes pas invité(e) à signer ce document.",
  );
}

export const conventionLink = (config: Config, conventionId: string) => `${config.publicUrl}/conventions/${conventionId}/signer`;

/** Starts a step: marks it in progress and invites its members (and their current delegates). */
export async function startStep(trx: Trx, config: Config, convention: { id: string; title: string; circuit_round: number }, stepId: string) {
  const step = await trx
    .updateTable("circuit_steps")
    .set({ status: "en_cours", started_at: new Date() })
    .where("id", "=", stepId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const members = await trx
    .selectFrom("step_members")
    .innerJoin("people", "people.id", "step_members.person_id")
    .select(["step_members.id", "people.id as person_id", "people.email", "people.first_name", "people.last_name"])
    .where("step_id", "=", stepId)
    .execute();
  for (const m of members) {
    await inviteMember(trx, config, convention, step, m, `${convention.circuit_round}`);
  }
  return step;
}

export async function inviteMember(
  trx: Trx,
  config: Config,
  convention: { id: string; title: string },
  step: { label: string; deadline: string | null },
  member: { id: string; person_id: string; email: string; first_name: string; last_name: string },
  occasion: string,
) {
  const deadline = step.deadline ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${step.deadline}T00:00:00Z`)) : null;
  const link = conventionLink(config, convention.id);
  const domain = mailDomainOf(config.mailFrom);
  await enqueueEmail(
    trx,
    { kind: "invitation", to: member.email, conventionId: convention.id, dedupeKey: `invitation:${member.id}:${occasion}`, ...invitationEmail({ firstName: member.first_name, title: convention.title, link, stepLabel: step.label, deadline }) },
    domain,
  );
  for (const d of await delegatesOf(trx, member.person_id)) {
    if (await hasDrafted(trx, convention.id, d.id)) continue; // may not sign it by delegation
    await enqueueEmail(
      trx,
      {
        kind: "invitation",
        to: d.email,
        conventionId: convention.id,
        dedupeKey: `invitation:${member.id}:${occasion}:delegue:${d.id}`,
        ...invitationEmail({ firstName: d.first_name, title: convention.title, link, stepLabel: step.label, deadline, onBehalfOf: `${member.first_name} ${member.last_name}` }),
      },
      domain,
    );
  }
  await trx.updateTable("step_members").set({ invited_at: new Date() }).where("id", "=", member.id).execute();
}

/** Rédacteurs who follow a convention: its author and the rédacteurs of the délégant organisation. */
export async function followers(trx: Trx, convention: { created_by: string; delegant_organisation_id: string }) {
  return trx
    .selectFrom("people")
    .select(["id", "email", "first_name", "last_name"])
    .where("active", "=", true)
    .where((eb) =>
      eb.or([
        eb("id", "=", convention.created_by),
        eb.and([eb("organisation_id", "=", convention.delegant_organisation_id), eb(eb.val("redacteur"), "=", eb.fn.any("roles"))]),
      ]),
    )
    .execute();
}
