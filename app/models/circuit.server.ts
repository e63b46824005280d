import { sql } from "kysely";
import type { CircuitStepInput } from "../domain/circuit";
import { keysetPage, type KeysetKey, type PageRequest } from "./keyset.server";
import type { Executor } from "./people.server";

export function listSteps(db: Executor, conventionId: string) {
  return db.selectFrom("circuit_steps").selectAll().where("convention_id", "=", conventionId).orderBy("position").execute();
}

export function listMembers(db: Executor, conventionId: string) {
  return db
    .selectFrom("step_members")
    .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
    .innerJoin("people", "people.id", "step_members.person_id")
    .leftJoin("people as actor", "actor.id", "step_members.acted_by")
    .selectAll("step_members")
    .select([
      "circuit_steps.position",
      "people.first_name",
      "people.last_name",
      "people.email",
      "people.job_title",
      "people.organisation_id",
      "actor.first_name as actor_first_name",
      "actor.last_name as actor_last_name",
    ])
    .where("circuit_steps.convention_id", "=", conventionId)
    .orderBy("circuit_steps.position")
    .orderBy("people.last_name")
    .execute();
}

/** Replaces the whole circuit of a draft. */
export async function replaceCircuit(trx: Executor, conventionId: string, steps: CircuitStepInput[]) {
  await trx.deleteFrom("circuit_steps").where("convention_id", "=", conventionId).execute();
  for (const [i, step] of steps.entries()) {
    const row = await trx
      .insertInto("circuit_steps")
      .values({
        convention_id: conventionId,
        position: i + 1,
        kind: step.kind,
        party: step.party,
        label: step.label,
        rule: step.rule,
        deadline: step.deadline,
        started_at: null,
        completed_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("step_members")
      .values(step.members.map((m) => ({ step_id: row.id, person_id: m.personId, field_name: step.kind === "signature" ? m.fieldName : null, acted_at: null, acted_by: null, decline_reason: null, invited_at: null, last_reminder_at: null })))
      .execute();
  }
}

/** Back to the start: every step waiting, every member to act again (new round). */
export async function resetCircuit(trx: Executor, conventionId: string) {
  const stepIds = trx.selectFrom("circuit_steps").select("id").where("convention_id", "=", conventionId);
  await trx
    .updateTable("step_members")
    .set({ status: "en_attente", acted_at: null, acted_by: null, decline_reason: null, invited_at: null, reminders_sent: 0, last_reminder_at: null })
    .where("step_id", "in", stepIds)
    .execute();
  await trx.updateTable("circuit_steps").set({ status: "en_attente", started_at: null, completed_at: null }).where("convention_id", "=", conventionId).execute();
}

/** The delegation in force today from `titularId` to `delegateId`, if any. */
export function findActiveDelegation(db: Executor, titularId: string, delegateId: string) {
  return db
    .selectFrom("delegations")
    .selectAll()
    .where("titular_id", "=", titularId)
    .where("delegate_id", "=", delegateId)
    .where("revoked_at", "is", null)
    .where("starts_on", "<=", sql<string>`(now() at time zone 'Europe/Paris')::date`)
    .where("ends_on", ">=", sql<string>`(now() at time zone 'Europe/Paris')::date`)
    .executeTakeFirst();
}

/** People for whom `delegateId` may act today. */
export function titularsOf(db: Executor, delegateId: string) {
  return db
    .selectFrom("delegations")
    .select("titular_id")
    .where("delegate_id", "=", delegateId)
    .where("revoked_at", "is", null)
    .where("starts_on", "<=", sql<string>`(now() at time zone 'Europe/Paris')::date`)
    .where("ends_on", ">=", sql<string>`(now() at time zone 'Europe/Paris')::date`)
    .execute();
}

/** Current delegates of a person (to invite them too). */
export function delegatesOf(db: Executor, titularId: string) {
  return db
    .selectFrom("delegations")
    .innerJoin("people", "people.id", "delegations.delegate_id")
    .select(["people.id", "people.email", "people.first_name", "people.last_name"])
    .where("delegations.titular_id", "=", titularId)
    .where("delegations.revoked_at", "is", null)
    .where("delegations.starts_on", "<=", sql<string>`(now() at time zone 'Europe/Paris')::date`)
    .where("delegations.ends_on", ">=", sql<string>`(now() at time zone 'Europe/Paris')::date`)
    .where("people.active", "=", true)
    .execute();
}

export function latestDocument(db: Executor, conventionId: string, round: number) {
  return db
    .selectFrom("documents")
    .selectAll()
    .where("convention_id", "=", conventionId)
    .where("round", "=", round)
    .where("kind", "in", ["fige", "signe", "complet"])
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();
}

export function getDocument(db: Executor, conventionId: string, round: number, kind: "fige" | "signe" | "complet" | "certificat" | "certificat_tiers") {
  return db
    .selectFrom("documents")
    .selectAll()
    .where("convention_id", "=", conventionId)
    .where("round", "=", round)
    .where("kind", "=", kind)
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * « À signer »: the waiting members of steps in progress that are `personId` or a titular whose
 * delegation to them is in force, one row per convention (their own membership first, then the
 * lowest member id), oldest invitation first. Filtered and deduplicated in SQL so it pages.
 */
function waitingQuery(db: Executor, personId: string, titularIds: string[]) {
  const people = [personId, ...titularIds];
  return db
    .selectFrom("step_members")
    .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
    .innerJoin("conventions", "conventions.id", "circuit_steps.convention_id")
    .where("step_members.status", "=", "en_attente")
    .where("step_members.person_id", "in", people)
    .where("circuit_steps.status", "=", "en_cours")
    .where("conventions.status", "=", "en_signature")
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("step_members as better")
            .select("better.id")
            .whereRef("better.step_id", "=", "step_members.step_id")
            .where("better.status", "=", "en_attente")
            .where("better.person_id", "in", people)
            .whereRef("better.id", "<>", "step_members.id")
            .where((b) =>
              b.or([
                b("better.person_id", "=", personId),
                b.and([b("step_members.person_id", "<>", personId), b(b.ref("better.id"), "<", b.ref("step_members.id"))]),
              ]),
            ),
        ),
      ),
    );
}

export const WAITING_KEYS: KeysetKey[] = [
  { expr: sql`coalesce(step_members.invited_at, 'epoch'::timestamptz)`, type: "timestamptz" },
  { expr: sql.ref("step_members.id"), type: "uuid" },
];

export async function pageWaitingFor(db: Executor, personId: string, titularIds: string[], page: PageRequest) {
  return keysetPage(
    waitingQuery(db, personId, titularIds)
      .innerJoin("organisations as delegant", "delegant.id", "conventions.delegant_organisation_id")
      .innerJoin("people", "people.id", "step_members.person_id")
      .select([
        "conventions.id as convention_id",
        "conventions.title",
        "delegant.name as delegant",
        "circuit_steps.label",
        "circuit_steps.kind",
        "circuit_steps.deadline",
        "step_members.invited_at",
        "step_members.person_id",
        "people.first_name",
        "people.last_name",
      ]),
    { keys: WAITING_KEYS, direction: "asc", ...page },
  );
}

export async function countWaitingFor(db: Executor, personId: string, titularIds: string[]) {
  const row = await waitingQuery(db, personId, titularIds).select(sql<string>`count(*)`.as("n")).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Rows of `pageWaitingFor` as the « À signer » tables show them. */
export function toWaitingRows(rows: Awaited<ReturnType<typeof pageWaitingFor>>["rows"], personId: string) {
  return rows.map((r) => ({
    conventionId: r.convention_id,
    title: r.title,
    delegant: r.delegant,
    stepLabel: r.label,
    kind: r.kind,
    deadline: r.deadline,
    invitedAt: r.invited_at ? new Date(r.invited_at).toISOString() : null,
    onBehalfOf: r.person_id === personId ? null : `${r.first_name} ${r.last_name}`,
  }));
}
