/**
 * The termination notice's form (partie notifiante, motif, date d'effet demandée, commun accord,
 * lieu de signature), validated with one zod schema in the browser and on the server. The
 * effective date itself is the domain's rule (app/domain/dates.ts); this schema only checks what
 * was typed.
 */
import { z } from "zod";
import { dateSchema, listErrors, type FieldError } from "../convention";

export const TERMINATION_LIMITS = { motif: 5_000 };

export const terminationFormSchema = z.strictObject({
  partie: z.string({ error: "Choisissez la partie qui notifie la résiliation" }).regex(/^(delegant|delegataire:\d{1,2})$/, "Choisissez la partie qui notifie la résiliation"),
  motif: z
    .string({ error: "Le motif de la résiliation est obligatoire" })
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().min(1, "Le motif de la résiliation est obligatoire").max(TERMINATION_LIMITS.motif, `Le motif ne peut pas dépasser ${TERMINATION_LIMITS.motif.toLocaleString("fr-FR")} caractères`)),
  dateEffetDemandee: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), dateSchema.optional()),
  /** A checkbox posts "on" when checked and nothing otherwise. */
  communAccord: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  lieuSignature: z.string({ error: "Le lieu de signature est obligatoire" }).trim().min(1, "Le lieu de signature est obligatoire").max(200, "200 caractères au plus"),
});

export type TerminationFormValue = {
  partieNotifiante: "delegant" | "delegataire";
  indexDelegataire: number;
  motif: string;
  dateEffetDemandee?: string;
  communAccord: boolean;
  lieuSignature: string;
};

/** What the form shows again: the posted strings, or the stored notice's data. */
export type TerminationFormDraft = { partie: string; motif: string; dateEffetDemandee: string; communAccord: boolean; lieuSignature: string };

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function readTerminationForm(raw: Record<string, any>): TerminationFormDraft {
  const partie =
    typeof raw.partie === "string" ? raw.partie : raw.partieNotifiante === "delegataire" ? `delegataire:${Number.isInteger(raw.indexDelegataire) ? raw.indexDelegataire : 0}` : str(raw.partieNotifiante) || "delegant";
  return {
    partie,
    motif: str(raw.motif),
    dateEffetDemandee: str(raw.dateEffetDemandee),
    communAccord: raw.communAccord === true || raw.communAccord === "on",
    lieuSignature: str(raw.lieuSignature),
  };
}

/** The posted form (strings) -> the notice's fields, or French errors by field name. */
export function parseTerminationForm(raw: Record<string, unknown>): { ok: true; value: TerminationFormValue } | { ok: false; errors: FieldError[] } {
  const { partie, motif, dateEffetDemandee, communAccord, lieuSignature } = raw;
  const extra = Object.keys(raw).filter((k) => !["partie", "motif", "dateEffetDemandee", "communAccord", "lieuSignature"].includes(k));
  const parsed = terminationFormSchema.safeParse({ partie, motif, dateEffetDemandee, communAccord, lieuSignature, ...Object.fromEntries(extra.map((k) => [k, raw[k]])) });
  if (!parsed.success) return { ok: false, errors: listErrors(parsed.error) };
  const [p, index] = parsed.data.partie.split(":");
  return {
    ok: true,
    value: {
      partieNotifiante: p as "delegant" | "delegataire",
      indexDelegataire: index === undefined ? 0 : Number(index),
      motif: parsed.data.motif,
      ...(parsed.data.dateEffetDemandee ? { dateEffetDemandee: parsed.data.dateEffetDemandee } : {}),
      communAccord: parsed.data.communAccord,
      lieuSignature: parsed.data.lieuSignature,
    },
  };
}
