import type { Database } from "../../db/connect";
import { circuitSchema, defaultCircuit, type CircuitStepInput, type SignatureBlockRef } from "../domain/circuit";
import { appendAuditEvent } from "../models/audit.server";
import { listMembers, listSteps, replaceCircuit } from "../models/circuit.server";
import type { Executor } from "../models/people.server";
import { CircuitError, guard, lockConvention, type Actor } from "./circuit-shared.server";

/** The signature blocks the document reserves, read from the convention's own data. */
export function signatureBlocks(data: unknown): SignatureBlockRef[] {
  const signatures = ((data as { signatures?: unknown[] })?.signatures ?? []) as { partie?: string; nom?: string; email?: string; libelle?: string }[];
  return signatures.map((s, index) => ({
    index,
    party: s.partie === "delegataire" ? "delegataire" : "delegant",
    name: s.nom ?? "",
    email: s.email?.toLowerCase(),
    libelle: s.libelle ?? "",
  }));
}

/** People of each party who may sit in the circuit (signataires for signature steps, anyone for a visa). */
export async function circuitCandidates(db: Executor, conventionId: string) {
  return db
    .selectFrom("convention_organisations")
    .innerJoin("people", "people.organisation_id", "convention_organisations.organisation_id")
    .innerJoin("organisations", "organisations.id", "convention_organisations.organisation_id")
    .select(["people.id", "people.first_name", "people.last_name", "people.email", "people.roles", "people.job_title", "convention_organisations.role as party", "organisations.name as organisation"])
    .where("convention_organisations.convention_id", "=", conventionId)
    .where("people.active", "=", true)
    .orderBy("people.last_name")
    .execute();
}

/** The saved circuit, or the default one proposed from the signature blocks. */
export async function proposedCircuit(db: Executor, conventionId: string, data: unknown): Promise<{ saved: boolean; steps: CircuitStepInput[] }> {
  const steps = await listSteps(db, conventionId);
  if (steps.length) {
    const members = await listMembers(db, conventionId);
    return {
      saved: true,
      steps: steps.map((s) => ({
        kind: s.kind,
        party: s.party,
        label: s.label,
        rule: s.rule,
        deadline: s.deadline,
        members: members.filter((m) => m.step_id === s.id).map((m) => ({ personId: m.person_id, fieldName: m.field_name })),
      })),
    };
  }
  const candidates = await circuitCandidates(db, conventionId);
  const signataires = candidates.filter((c) => c.roles.includes("signataire"));
  return {
    saved: false,
    steps: defaultCircuit(signatureBlocks(data), (block) => {
      const byEmail = signataires.find((c) => block.email && c.email === block.email);
      const byName = signataires.find((c) => c.party === block.party && `${c.first_name} ${c.last_name}`.toLowerCase() === block.name.toLowerCase());
      return (byEmail ?? byName)?.id ?? null;
    }),
  };
}

/** Saves who signs and in which order. Only on a draft; every person must belong to the step's party. */
export async function setCircuit(db: Database, actor: Actor, conventionId: string, input: unknown) {
  const parsed = circuitSchema.safeParse(input);
  if (!parsed.success) throw new CircuitError(parsed.error.issues[0].message);
  const steps = parsed.data.steps as CircuitStepInput[];
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    guard(convention.status, { type: "modifier" });
    const candidates = await circuitCandidates(trx, conventionId);
    for (const [i, step] of steps.entries()) {
      for (const m of step.members) {
        const person = candidates.find((c) => c.id === m.personId);
        if (!person || person.party !== step.party) throw new CircuitError(`Étape ${i + 1} : cette personne n'appartient pas à la partie concernée.`);
        if (step.kind === "signature" && !person.roles.includes("signataire")) {
          throw new CircuitError(`Étape ${i + 1} : ${person.first_name} ${person.last_name} n'a pas le rôle de signataire.`);
        }
      }
    }
    await replaceCircuit(trx, conventionId, steps);
    await appendAuditEvent(trx, { conventionId, type: "circuit_modifie", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { steps: steps.length } });
  });
}
