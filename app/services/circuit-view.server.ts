/**
 * Read side of the signature circuit for the pages: progress, whose turn it is, what waits for a
 * person (or for the titulars they stand in for). Queries only; every change goes through a use case.
 */
import { sql } from "kysely";
import type { Executor } from "../models/people.server";
import { listMembers, listSteps, titularsOf } from "../models/circuit.server";

export type ProgressMember = {
  id: string;
  personId: string;
  name: string;
  jobTitle: string | null;
  email: string;
  status: string;
  actedAt: string | null;
  actedBy: string | null;
  actedById: string | null;
  declineReason: string | null;
  invitedAt: string | null;
  fieldName: string | null;
};
export type ProgressStep = {
  id: string;
  position: number;
  kind: "signature" | "visa";
  party: "delegant" | "delegataire";
  label: string;
  rule: "tous" | "un";
  status: string;
  deadline: string | null;
  startedAt: string | null;
  completedAt: string | null;
  members: ProgressMember[];
};

const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);

/** The circuit as the pages show it: ordered steps with their people, statuses and times. */
export async function circuitProgress(db: Executor, conventionId: string): Promise<ProgressStep[]> {
  const [steps, members] = await Promise.all([listSteps(db, conventionId), listMembers(db, conventionId)]);
  return steps.map((s) => ({
    id: s.id,
    position: s.position,
    kind: s.kind,
    party: s.party,
    label: s.label,
    rule: s.rule,
    status: s.status,
    deadline: s.deadline,
    startedAt: iso(s.started_at),
    completedAt: iso(s.completed_at),
    members: members
      .filter((m) => m.step_id === s.id)
      .map((m) => ({
        id: m.id,
        personId: m.person_id,
        name: `${m.first_name} ${m.last_name}`,
        jobTitle: m.job_title,
        email: m.email,
        status: m.status,
        actedAt: iso(m.acted_at),
        actedBy: m.acted_by && m.acted_by !== m.person_id && m.actor_first_name ? `${m.actor_first_name} ${m.actor_last_name}` : null,
        actedById: m.acted_by,
        declineReason: m.decline_reason,
        invitedAt: iso(m.invited_at),
        fieldName: m.field_name,
      })),
  }));
}

export type MyTurn = {
  stepPosition: number;
  stepLabel: string;
  kind: "signature" | "visa";
  memberId: string;
  /** Set when the person acts as delegate for this titular. */
  onBehalfOf: string | null;
  /** A code was sent and is still usable. */
  codePending: boolean;
};

/**
 * What `personId` may do now on this convention: the waiting member of the current step that is
 * them, or a titular whose delegation to them is in force. Mirrors the server's own rule
 * (`actingMember`), which decides anyway.
 */
export async function myTurn(db: Executor, status: string, steps: ProgressStep[], personId: string): Promise<MyTurn | null> {
  if (status !== "en_signature") return null;
  const step = steps.find((s) => s.status === "en_cours");
  if (!step) return null;
  const titulars = new Set((await titularsOf(db, personId)).map((t) => t.titular_id));
  const own = step.members.find((m) => m.personId === personId);
  const member = own ? (own.status === "en_attente" ? own : undefined) : step.members.find((m) => m.status === "en_attente" && titulars.has(m.personId));
  if (!member) return null;
  const code = await db
    .selectFrom("signing_codes")
    .select("id")
    .where("member_id", "=", member.id)
    .where("person_id", "=", personId)
    .where("used_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .where("attempts", "<", 5)
    .executeTakeFirst();
  return {
    stepPosition: step.position,
    stepLabel: step.label,
    kind: step.kind,
    memberId: member.id,
    onBehalfOf: member.personId === personId ? null : member.name,
    codePending: Boolean(code),
  };
}

/** Whether the person sits in this circuit, themself or through a delegation in force. */
export async function isInvolved(db: Executor, steps: ProgressStep[], personId: string) {
  const people = new Set(steps.flatMap((s) => s.members.map((m) => m.personId)));
  if (people.has(personId)) return true;
  return (await titularsOf(db, personId)).some((t) => people.has(t.titular_id));
}

export type WaitingRow = { conventionId: string; title: string; delegant: string; stepLabel: string; kind: "signature" | "visa"; deadline: string | null; invitedAt: string | null; onBehalfOf: string | null };

/** Steps in progress waiting for `personId`, or for someone whose delegation to them is in force. */
export async function waitingFor(db: Executor, personId: string): Promise<WaitingRow[]> {
  const titulars = (await titularsOf(db, personId)).map((t) => t.titular_id);
  const rows = await db
    .selectFrom("step_members")
    .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
    .innerJoin("conventions", "conventions.id", "circuit_steps.convention_id")
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
    ])
    .where("conventions.status", "=", "en_signature")
    .where("circuit_steps.status", "=", "en_cours")
    .where("step_members.status", "=", "en_attente")
    .where("step_members.person_id", "in", [personId, ...titulars])
    .orderBy("step_members.invited_at")
    .execute();
  const seen = new Set<string>();
  const out: WaitingRow[] = [];
  // Own steps first: a person listed both in person and as delegate sees the convention once.
  for (const r of [...rows.filter((r) => r.person_id === personId), ...rows.filter((r) => r.person_id !== personId)]) {
    if (seen.has(r.convention_id)) continue;
    seen.add(r.convention_id);
    out.push({
      conventionId: r.convention_id,
      title: r.title,
      delegant: r.delegant,
      stepLabel: r.label,
      kind: r.kind,
      deadline: r.deadline,
      invitedAt: iso(r.invited_at),
      onBehalfOf: r.person_id === personId ? null : `${r.first_name} ${r.last_name}`,
    });
  }
  return out;
}

/** Which documents of the current round exist (for the links of the convention page). */
export async function availableDocuments(db: Executor, conventionId: string, round: number) {
  if (round < 1) return { toSign: false, signed: false, certificate: false };
  const kinds = await db.selectFrom("documents").select("kind").where("convention_id", "=", conventionId).where("round", "=", round).execute();
  const has = (k: string) => kinds.some((d) => d.kind === k);
  return { toSign: kinds.length > 0, signed: has("signe") || has("complet"), certificate: has("certificat") };
}

/** Conventions of the organisation with what the dashboard filters on (parties, years). */
export async function dashboardConventions(db: Executor, organisationId: string) {
  const rows = await db
    .selectFrom("conventions")
    .innerJoin("convention_organisations as mine", "mine.convention_id", "conventions.id")
    .innerJoin("organisations as delegant", "delegant.id", "conventions.delegant_organisation_id")
    .select([
      "conventions.id",
      "conventions.kind",
      "conventions.title",
      "conventions.status",
      "conventions.created_at",
      "conventions.updated_at",
      "conventions.data",
      "conventions.decline_reason",
      "delegant.name as delegant_name",
      "mine.role as my_role",
    ])
    .where("mine.organisation_id", "=", organisationId)
    .orderBy("conventions.updated_at", "desc")
    .execute();
  const parties = rows.length
    ? await db
        .selectFrom("convention_organisations")
        .innerJoin("organisations", "organisations.id", "convention_organisations.organisation_id")
        .select(["convention_organisations.convention_id", "organisations.id", "organisations.name", "organisations.short_name"])
        .where(
          "convention_organisations.convention_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  return rows.map((r) => {
    const echeancier = ((r.data as { financement?: { echeancier?: { annee?: unknown }[] } })?.financement?.echeancier ?? []) as { annee?: unknown }[];
    const years = new Set<number>([new Date(r.created_at).getFullYear()]);
    for (const e of echeancier) {
      const y = Number(e?.annee);
      if (Number.isInteger(y) && y > 1900 && y < 3000) years.add(y);
    }
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      delegant: r.delegant_name,
      myRole: r.my_role,
      declined: Boolean(r.decline_reason),
      parties: parties.filter((p) => p.convention_id === r.id).map((p) => ({ id: p.id, name: p.name, shortName: p.short_name })),
      years: [...years].sort(),
    };
  });
}

/** Delegations in force or to come: those the person gave, and those they received. */
export async function listDelegations(db: Executor, personId: string) {
  const rows = await db
    .selectFrom("delegations")
    .innerJoin("people as titular", "titular.id", "delegations.titular_id")
    .innerJoin("people as delegate", "delegate.id", "delegations.delegate_id")
    .select([
      "delegations.id",
      "delegations.titular_id",
      "delegations.delegate_id",
      "delegations.starts_on",
      "delegations.ends_on",
      "delegations.act_reference",
      "titular.first_name as t_first",
      "titular.last_name as t_last",
      "delegate.first_name as d_first",
      "delegate.last_name as d_last",
      "delegate.email as d_email",
    ])
    .where((eb) => eb.or([eb("delegations.titular_id", "=", personId), eb("delegations.delegate_id", "=", personId)]))
    .where("delegations.revoked_at", "is", null)
    .where("delegations.ends_on", ">=", sql<string>`(now() at time zone 'Europe/Paris')::date`)
    .orderBy("delegations.starts_on")
    .execute();
  const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
  return {
    given: rows
      .filter((r) => r.titular_id === personId)
      .map((r) => ({ id: r.id, name: `${r.d_first} ${r.d_last}`, email: r.d_email, startsOn: day(r.starts_on), endsOn: day(r.ends_on), actReference: r.act_reference })),
    received: rows
      .filter((r) => r.delegate_id === personId)
      .map((r) => ({ id: r.id, name: `${r.t_first} ${r.t_last}`, startsOn: day(r.starts_on), endsOn: day(r.ends_on), actReference: r.act_reference })),
  };
}
