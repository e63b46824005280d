/**
 * The signature circuit as data: ordered steps, each for one party, holding one or more people
 * with a rule. Pure functions only: the services apply them inside their transactions.
 */
import { z } from "zod";

export type StepKind = "signature" | "visa";
export type StepRule = "tous" | "un";
export type Party = "delegant" | "delegataire";

export type CircuitMemberInput = { personId: string; fieldName: string | null };
export type CircuitStepInput = {
  kind: StepKind;
  party: Party;
  label: string;
  rule: StepRule;
  deadline: string | null;
  members: CircuitMemberInput[];
};

export const circuitSchema = z.object({
  steps: z
    .array(
      z.object({
        kind: z.enum(["signature", "visa"], { message: "Type d'étape inconnu." }),
        party: z.enum(["delegant", "delegataire"], { message: "Partie inconnue." }),
        label: z.string().trim().min(1, { message: "Le libellé de l'étape est obligatoire." }).max(200),
        rule: z.enum(["tous", "un"], { message: "Règle inconnue." }),
        deadline: z
          .string()
          .trim()
          .regex(/^(\d{4}-\d{2}-\d{2})?$/, { message: "La date limite doit avoir la forme AAAA-MM-JJ." })
          .transform((v) => v || null)
          .nullable()
          .default(null),
        members: z
          .array(z.object({ personId: z.string().uuid({ message: "Choisissez une personne." }), fieldName: z.string().nullable().default(null) }))
          .min(1, { message: "Chaque étape doit compter au moins une personne." })
          .max(10, { message: "Dix personnes au plus par étape." }),
      }),
    )
    .min(1, { message: "Le circuit doit compter au moins une étape de signature." })
    .max(20, { message: "Vingt étapes au plus." }),
});

export type SignatureBlockRef = { index: number; party: Party; name: string; email?: string; libelle: string };

/** The reserved box of the n-th signature block (the renderer names them in block order). */
export const fieldNameOfBlock = (index: number) => `signature-${index + 1}`;

/**
 * Default circuit: one step per signature block, délégant first and délégataire(s) last
 * (DINUM signs last in today's practice), each step signed by the person the block names.
 */
export function defaultCircuit(blocks: SignatureBlockRef[], findPerson: (block: SignatureBlockRef) => string | null): CircuitStepInput[] {
  const ordered = [...blocks.filter((b) => b.party === "delegant"), ...blocks.filter((b) => b.party === "delegataire")];
  return ordered.map((block) => {
    const personId = findPerson(block);
    return {
      kind: "signature",
      party: block.party,
      label: `Signature — ${block.libelle.replace(/,\s*$/, "")}`,
      rule: "un",
      deadline: null,
      members: personId ? [{ personId, fieldName: fieldNameOfBlock(block.index) }] : [],
    };
  });
}

/** French problems that keep a circuit from being launched; empty when it can go. */
export function circuitProblems(steps: CircuitStepInput[], blocks: SignatureBlockRef[]): string[] {
  const problems: string[] = [];
  if (!steps.some((s) => s.kind === "signature")) problems.push("Le circuit doit compter au moins une étape de signature.");
  const used = new Map<string, number>();
  steps.forEach((step, i) => {
    const n = i + 1;
    if (step.members.length === 0) problems.push(`Étape ${n} : ajoutez au moins une personne.`);
    const people = new Set<string>();
    for (const m of step.members) {
      if (people.has(m.personId)) problems.push(`Étape ${n} : une même personne figure deux fois.`);
      people.add(m.personId);
    }
    if (step.kind === "visa") return;
    const fields = step.members.map((m) => m.fieldName);
    if (fields.some((f) => !f)) problems.push(`Étape ${n} : chaque signataire doit avoir un emplacement de signature.`);
    const distinct = new Set(fields);
    if (step.rule === "tous" && distinct.size !== fields.length) problems.push(`Étape ${n} : avec la règle « tous », chacun signe dans son propre emplacement.`);
    if (step.rule === "un" && distinct.size > 1) problems.push(`Étape ${n} : avec la règle « un seul », les signataires partagent un même emplacement.`);
    for (const f of distinct) if (f) used.set(f, (used.get(f) ?? 0) + 1);
  });
  for (const block of blocks) {
    const count = used.get(fieldNameOfBlock(block.index)) ?? 0;
    if (count === 0) problems.push(`Le bloc de signature « ${block.libelle} ${block.name} » n'est attribué à aucune étape.`);
    if (count > 1) problems.push(`Le bloc de signature « ${block.libelle} ${block.name} » est attribué à plusieurs étapes.`);
  }
  for (const f of used.keys()) if (!blocks.some((b) => fieldNameOfBlock(b.index) === f)) problems.push(`L'emplacement ${f} n'existe pas dans le document.`);
  return problems;
}

/** Whether a step is done once its members have acted. */
export function isStepComplete(rule: StepRule, statuses: string[]): boolean {
  const done = (s: string) => s === "signe" || s === "vise";
  return rule === "un" ? statuses.some(done) : statuses.every((s) => done(s) || s === "non_requis");
}

/** Stamp time of the reference: `2022.12.19 23:45:15 +01'00'` — kept for e-mails and the certificate. */
export function parisDate(value: Date): string {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "medium", timeZone: "Europe/Paris" }).format(value);
}
