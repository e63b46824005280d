/**
 * Read side of the signature circuit for the pages: progress, whose turn it is (in person or as
 * delegate of a titular). « À signer » lists are paged queries in app/models/circuit.server.ts.
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

/** Which documents of the current round exist (for the links of the convention page). */
export async function availableDocuments(db: Executor, conventionId: string, round: number) {
  if (round < 1) return { toSign: false, signed: false, certificate: false };
  const kinds = await db.selectFrom("documents").select("kind").where("convention_id", "=", conventionId).where("round", "=", round).execute();
  const has = (k: string) => kinds.some((d) => d.kind === k);
  return { toSign: kinds.length > 0, signed: has("signe") || has("complet"), certificate: has("certificat") };
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
