/**
 * The compte rendu d'exécution (issue 15): « le délégataire s'engage à rendre compte au délégant au
 * terme de la convention des dépenses réalisées ». An act of its own (kind `compte_rendu`, model
 * `compte-rendu`) prepared by the scheduler when the convention has ended (expired, or terminated),
 * from the spending lines recorded while it was in force. Its figures are fixed when it is prepared:
 * lines can no longer be recorded once the convention has ended. Signed by the délégataire's
 * signatory alone. Pure: the data model and how it is built from the lines.
 */
import { z } from "zod";
import { acteModifieSchema, AVENANT_MAX } from "./avenant";
import { conventionSchema, dateSchema, formatEuros, signatureSchema, type Convention } from "./convention";
import { CREDITS, spendingTable, type Credit, type YearRow } from "./spending";

const cents = z.number().int();
const pair = z.strictObject({ ae: cents, cp: cents });

export const compteRenduSchema = z.strictObject({
  modele: z.literal("compte-rendu", { error: "Le modèle d'un compte rendu d'exécution est « compte-rendu »" }),
  /** The convention's consolidated data when the report was prepared. */
  base: conventionSchema,
  baseSigneeLe: dateSchema,
  actesModifies: z.array(acteModifieSchema).max(AVENANT_MAX.actes).default([]),
  /** How the convention ended: its end date passed, or a termination took effect. */
  fin: z.strictObject({ cause: z.enum(["expiration", "resiliation"]), date: dateSchema }),
  /** The day the scheduler prepared it (Europe/Paris). */
  etabliLe: dateSchema,
  /** Per year, in cents: delegated, consumed (sum of the lines), remaining. */
  annees: z.array(z.strictObject({ annee: z.number().int(), delegue: pair, consomme: pair, restant: pair })).max(100),
  /** Every recorded line, corrections included (never edited: the history as it was kept). */
  lignes: z
    .array(
      z.strictObject({
        annee: z.number().int(),
        credit: z.enum(CREDITS),
        date: dateSchema,
        montant: cents,
        chorus: z.string().max(40),
        commentaire: z.string().max(500).nullable(),
        motif: z.string().max(500).nullable(),
      }),
    )
    .max(10_000),
  lieuSignature: z.string().trim().min(1, "Le lieu de signature est obligatoire").max(200),
  signatures: z.array(signatureSchema).min(1, "Le compte rendu doit être signé par le délégataire").max(12),
});
export type CompteRendu = z.output<typeof compteRenduSchema>;

export type RecordedLine = { year: number; credit: Credit; line_date: string; amountCents: number; chorus_reference: string; comment: string | null; correction_reason: string | null };

/** The report's data, from the consolidated convention and its recorded lines. */
export function buildCompteRendu(input: {
  base: Convention;
  baseSigneeLe: string;
  actesModifies: { libelle: string; sha256: string }[];
  fin: { cause: "expiration" | "resiliation"; date: string };
  etabliLe: string;
  lines: RecordedLine[];
}): CompteRendu {
  const { base, lines } = input;
  const annees: YearRow[] = spendingTable(base, lines.map((l) => ({ year: l.year, credit: l.credit, amountCents: l.amountCents })));
  return {
    modele: "compte-rendu",
    base,
    baseSigneeLe: input.baseSigneeLe,
    actesModifies: input.actesModifies,
    fin: input.fin,
    etabliLe: input.etabliLe,
    annees,
    lignes: lines.map((l) => ({
      annee: l.year,
      credit: l.credit,
      date: l.line_date,
      montant: l.amountCents,
      chorus: l.chorus_reference,
      commentaire: l.comment,
      motif: l.correction_reason,
    })),
    lieuSignature: base.lieuSignature ?? "Paris",
    signatures: base.signatures.filter((s) => s.partie === "delegataire"),
  };
}

/** Totals over the years, in cents (they equal the sums of the lines). */
export function reportTotals(r: Pick<CompteRendu, "annees">): Record<"delegue" | "consomme" | "restant", Record<Credit, number>> {
  const sum = (k: "delegue" | "consomme" | "restant") => ({ ae: r.annees.reduce((a, y) => a + y[k].ae, 0), cp: r.annees.reduce((a, y) => a + y[k].cp, 0) });
  return { delegue: sum("delegue"), consomme: sum("consomme"), restant: sum("restant") };
}

/** « 150 000 € », « −20 000 € » (cents in, French typography). */
export function eurosFromCents(c: number): string {
  return c < 0 ? `−${formatEuros(-c / 100)}` : formatEuros(c / 100);
}
