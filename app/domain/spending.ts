/**
 * The délégataire's spending (issue 15): AE and CP consumed per year, against what the convention
 * delegates for that year. Lines are never edited: a correction is a negative line with a reason.
 * Pure: the form's schema (shared by the page and the service), the per-year table, the checks.
 * Amounts are handled in integer cents (no float drift).
 */
import { z } from "zod";
import { anneeSchema, dateSchema, formatEuros, parseMontantCentimes } from "./convention";

export const CREDITS = ["ae", "cp"] as const;
export type Credit = (typeof CREDITS)[number];
export const CREDIT_LABELS: Record<Credit, string> = { ae: "AE (autorisations d'engagement)", cp: "CP (crédits de paiement)" };
const SHORT: Record<Credit, string> = { ae: "AE", cp: "CP" };

/** « 1 500,50 », « -200 » (a correction) -> cents; null when not an amount. */
export function parseSignedCents(input: string): number | null {
  const s = input.trim().replace(/^[−–]/, "-");
  const negative = s.startsWith("-");
  const cents = parseMontantCentimes(negative ? s.slice(1) : s);
  if (cents === null) return null;
  return negative ? -cents : cents;
}

const optionalText = (max: number, label: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(max, `${label} : ${max} caractères au plus`).optional());

export const spendingFormSchema = z
  .strictObject({
    annee: anneeSchema,
    credit: z.enum(CREDITS, { error: "Choisissez AE ou CP" }),
    date: dateSchema,
    montant: z
      .string({ error: "Le montant est obligatoire" })
      .max(40, "Le montant est trop long")
      .transform((v, ctx) => {
        const cents = parseSignedCents(v);
        if (cents === null) {
          ctx.addIssue({ code: "custom", message: "Le montant doit être un nombre en euros, par exemple « 12 500 » ou « -1 200,50 » pour une correction" });
          return z.NEVER;
        }
        if (cents === 0) {
          ctx.addIssue({ code: "custom", message: "Le montant ne peut pas être nul" });
          return z.NEVER;
        }
        if (Math.abs(cents) > 1e14) {
          ctx.addIssue({ code: "custom", message: "Le montant est trop élevé" });
          return z.NEVER;
        }
        return cents;
      }),
    chorus: z
      .string({ error: "La référence Chorus est obligatoire" })
      .trim()
      .min(1, "La référence Chorus est obligatoire")
      .max(40, "La référence Chorus : 40 caractères au plus")
      .regex(/^[A-Za-z0-9][A-Za-z0-9 /._-]*$/, "La référence Chorus ne peut contenir que des lettres, des chiffres, des espaces et / . _ -"),
    commentaire: optionalText(500, "Le commentaire"),
    motif: optionalText(500, "Le motif"),
  })
  .superRefine((v, ctx) => {
    if (typeof v.montant === "number" && v.montant < 0 && !v.motif)
      ctx.addIssue({ code: "custom", path: ["motif"], message: "Une correction (montant négatif) doit indiquer son motif" });
  });
export type SpendingInput = z.input<typeof spendingFormSchema>;
export type SpendingLine = z.output<typeof spendingFormSchema>;

export type YearRow = {
  annee: number;
  /** Cents. */
  delegue: Record<Credit, number>;
  consomme: Record<Credit, number>;
  restant: Record<Credit, number>;
};

/** The schedule of the convention, in cents per year. */
export function delegatedByYear(data: unknown): Map<number, Record<Credit, number>> {
  const out = new Map<number, Record<Credit, number>>();
  const f = (data as { financement?: { echeancier?: unknown } } | null)?.financement;
  for (const e of Array.isArray(f?.echeancier) ? f.echeancier : []) {
    const { annee, ae, cp } = (e ?? {}) as { annee?: unknown; ae?: unknown; cp?: unknown };
    if (typeof annee === "number" && typeof ae === "number" && typeof cp === "number") out.set(annee, { ae: Math.round(ae * 100), cp: Math.round(cp * 100) });
  }
  return out;
}

/** Per year: delegated / consumed / remaining, for every year of the schedule or with a line. */
export function spendingTable(data: unknown, lines: { year: number; credit: Credit; amountCents: number }[]): YearRow[] {
  const delegated = delegatedByYear(data);
  const years = new Set<number>([...delegated.keys(), ...lines.map((l) => l.year)]);
  return [...years]
    .sort((a, b) => a - b)
    .map((annee) => {
      const delegue = delegated.get(annee) ?? { ae: 0, cp: 0 };
      const consomme = { ae: 0, cp: 0 };
      for (const l of lines) if (l.year === annee) consomme[l.credit] += l.amountCents;
      return { annee, delegue, consomme, restant: { ae: delegue.ae - consomme.ae, cp: delegue.cp - consomme.cp } };
    });
}

/** Why a new line is refused (French, naming the year and the excess), or null. */
export function checkNewLine(data: unknown, lines: { year: number; credit: Credit; amountCents: number }[], line: { annee: number; credit: Credit; montant: number }): { path: string; message: string } | null {
  const delegated = delegatedByYear(data);
  const year = delegated.get(line.annee);
  if (!year) return { path: "annee", message: `L'année ${line.annee} ne figure pas dans l'échéancier de la convention : aucun crédit n'est délégué pour cette année` };
  const consumed = lines.filter((l) => l.year === line.annee && l.credit === line.credit).reduce((a, l) => a + l.amountCents, 0);
  const after = consumed + line.montant;
  if (after > year[line.credit]) {
    return {
      path: "montant",
      message: `Dépassement refusé : les ${SHORT[line.credit]} consommés en ${line.annee} atteindraient ${formatEuros(after / 100)} pour ${formatEuros(year[line.credit] / 100)} délégués, soit ${formatEuros((after - year[line.credit]) / 100)} de trop`,
    };
  }
  if (after < 0) {
    return { path: "montant", message: `Correction refusée : les ${SHORT[line.credit]} consommés en ${line.annee} deviendraient négatifs (−${formatEuros(-after / 100)})` };
  }
  return null;
}
