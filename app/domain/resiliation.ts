/**
 * Termination notice (« notification de résiliation ») of a convention: its data model and the
 * checks of a draft. Pure: shared by the editor, the services, the template and the CLI.
 *
 * A unilateral notice is signed by the notifying party alone and takes effect at the end of the
 * convention's notice period counted from its signature (or on a later requested date); a
 * termination « d'un commun accord » is the same act signed by every party, without notice period
 * (app/domain/dates.ts terminationEffectiveDate).
 */
import { z } from "zod";
import { acteModifieSchema, AVENANT_MAX, splitIssues, type AvenantDraftCheck } from "./avenant";
import { conventionSchema, dateSchema, formatDateLongue, signatureSchema, type FieldError } from "./convention";

export const RESILIATION_MAX = { motif: 5_000 };

const dateFacultative = z.preprocess((v) => (v === "" || v === null ? undefined : v), dateSchema.optional());

const resiliationShape = {
  modele: z.literal("resiliation", { error: "Le modèle d'une notification de résiliation est « resiliation »" }),
  /** The convention's consolidated data when the notice was prepared. */
  base: conventionSchema,
  /** Date the convention was signed (Europe/Paris). */
  baseSigneeLe: dateSchema,
  actesModifies: z.array(acteModifieSchema).max(AVENANT_MAX.actes).default([]),
  partieNotifiante: z.enum(["delegant", "delegataire"], { error: "Choisissez la partie qui notifie la résiliation" }),
  indexDelegataire: z.number().int().min(0).max(99).default(0),
  motif: z
    .string({ error: "Le motif de la résiliation est obligatoire" })
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().min(1, "Le motif de la résiliation est obligatoire").max(RESILIATION_MAX.motif, `Le motif ne peut pas dépasser ${RESILIATION_MAX.motif.toLocaleString("fr-FR")} caractères`)),
  /** A later effective date than the earliest the notice period allows (or, by common accord, any date). */
  dateEffetDemandee: dateFacultative,
  communAccord: z.boolean({ error: "Indiquez si la résiliation est d'un commun accord" }).default(false),
  lieuSignature: z
    .string({ error: "Le lieu de signature est obligatoire" })
    .trim()
    .min(1, "Le lieu de signature est obligatoire")
    .max(200, "Le lieu de signature ne peut pas dépasser 200 caractères"),
  signatures: z.array(signatureSchema, { error: "Les blocs de signature sont obligatoires" }).min(1, "Indiquez au moins un bloc de signature").max(12, "12 blocs de signature au plus"),
};

export const resiliationObjectSchema = z.strictObject(resiliationShape);

export const resiliationSchema = resiliationObjectSchema.superRefine((r, ctx) => {
  for (const e of resiliationConsistency(r)) ctx.addIssue({ code: "custom", path: e.issuePath, message: e.message });
});

export type Resiliation = z.output<typeof resiliationSchema>;
export type ResiliationInput = z.input<typeof resiliationSchema>;

type Issue = FieldError & { issuePath: (string | number)[] };

/** The notifying party's name: « Le Ministère de la Justice ». */
export function partieNotifianteNom(r: Pick<Resiliation, "base" | "partieNotifiante" | "indexDelegataire">): string {
  return r.partieNotifiante === "delegant" ? r.base.delegant.nom : (r.base.delegataires[r.indexDelegataire]?.nom ?? "");
}

/** Who signs, by the rules of the issue: the notifying party alone, or every party by common accord. */
function resiliationConsistency(r: z.output<typeof resiliationObjectSchema>): Issue[] {
  const out: Issue[] = [];
  const c = r.base;
  if (r.partieNotifiante === "delegataire" && r.indexDelegataire >= c.delegataires.length)
    out.push({ path: "partieNotifiante", issuePath: ["partieNotifiante"], message: "Ce délégataire n'existe pas" });
  if (r.dateEffetDemandee && c.dateFin && r.dateEffetDemandee > c.dateFin)
    out.push({
      path: "dateEffetDemandee",
      issuePath: ["dateEffetDemandee"],
      message: `La date d'effet demandée est postérieure à la fin de la convention (${formatDateLongue(c.dateFin)}) : la convention aura déjà pris fin`,
    });
  const key = (partie: string, index: number) => `${partie}:${partie === "delegant" ? 0 : index}`;
  const notifying = key(r.partieNotifiante, r.indexDelegataire);
  r.signatures.forEach((s, i) => {
    if (s.partie === "delegataire" && s.indexDelegataire >= c.delegataires.length) {
      out.push({ path: `signatures[${i}].indexDelegataire`, issuePath: ["signatures", i, "indexDelegataire"], message: "Ce délégataire n'existe pas" });
      return;
    }
    if (!r.communAccord && key(s.partie, s.indexDelegataire) !== notifying)
      out.push({
        path: `signatures[${i}].partie`,
        issuePath: ["signatures", i, "partie"],
        message: `Une résiliation unilatérale est signée par la seule partie qui la notifie (${partieNotifianteNom(r)})`,
      });
  });
  if (r.communAccord) {
    const signing = new Set(r.signatures.map((s) => key(s.partie, s.indexDelegataire)));
    const parties = [{ k: key("delegant", 0), nom: c.delegant.nom }, ...c.delegataires.map((d, i) => ({ k: key("delegataire", i), nom: d.nom }))];
    for (const p of parties)
      if (!signing.has(p.k)) out.push({ path: "signatures", issuePath: ["signatures"], message: `Une résiliation d'un commun accord est signée par toutes les parties : ajoutez un bloc de signature pour ${p.nom}` });
  }
  return out;
}

export interface ResiliationDraftCheck extends Pick<AvenantDraftCheck, "blocking" | "missing"> {
  resiliation?: Resiliation;
}

/** Same policy as the convention's and the avenant's drafts: empty required fields are « missing ». */
export function checkResiliationDraft(data: unknown): ResiliationDraftCheck {
  const parsed = resiliationObjectSchema.safeParse(data);
  const extra = parsed.success ? resiliationConsistency(parsed.data).map(({ path, message }) => ({ path, message })) : [];
  const { blocking, missing } = splitIssues(data, parsed.success ? undefined : parsed.error, extra);
  return parsed.success && !blocking.length && !missing.length ? { blocking, missing, resiliation: parsed.data } : { blocking, missing };
}
