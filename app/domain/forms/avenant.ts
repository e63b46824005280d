/**
 * The avenant editor's form: a list of structured operations posted by a plain <Form> (strings
 * named « operations[2].article »…). Two functions, both pure and shared by the browser and the
 * server:
 *  - `readAvenantForm` keeps what was typed (for re-display after an add/remove or an error);
 *  - `parseAvenantForm` validates it with one zod schema and returns operations with numbers,
 *    amounts in euros and lists, or French messages by field path (« operations[2].article »).
 * Whether an operation makes sense against the convention (an article that no longer exists…) is
 * the domain's `applyAvenant` call, made by the save service on the same paths.
 */
import { z } from "zod";
import { anneeSchema, dateSchema, listErrors, montantSchema, type FieldError } from "../convention";

export const OPERATION_TYPES = [
  "remplacer_article",
  "inserer_article",
  "supprimer_article",
  "modifier_date_fin",
  "ajouter_annee",
  "modifier_montants",
  "modifier_partie",
] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** The « Ajouter » buttons' labels and each operation's heading. */
export const OPERATION_LABELS: Record<OperationType, string> = {
  remplacer_article: "Remplacer un article",
  inserer_article: "Insérer un article",
  supprimer_article: "Supprimer un article",
  modifier_date_fin: "Modifier la date de fin",
  ajouter_annee: "Ajouter une année à l'échéancier",
  modifier_montants: "Modifier les montants d'une année",
  modifier_partie: "Modifier une partie (représentant, adresse, services)",
};

export const AVENANT_LIMITS = { operations: 50, text: 20_000, objet: 2_000, titre: 500, services: 50 };

const isOperationType = (v: unknown): v is OperationType => typeof v === "string" && (OPERATION_TYPES as readonly string[]).includes(v);

const str = (v: unknown): string => (typeof v === "string" ? v.replace(/\r\n?/g, "\n").trim() : typeof v === "number" ? String(v) : "");
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.filter((x) => x != null) : v && typeof v === "object" ? Object.values(v) : []);

/** One operation as the form shows it: every value a string (amounts as typed). */
export type OperationDraft = { type: OperationType } & Record<string, string>;
export type AvenantFormDraft = { objet: string; lieuSignature: string; operations: OperationDraft[] };

const amountText = (v: unknown) => (typeof v === "number" ? String(v).replace(".", ",") : str(v));

/** One operation, from the form or from stored data, as strings (unknown keys dropped). */
function readOperation(raw: any): OperationDraft | null {
  if (!raw || typeof raw !== "object" || !isOperationType(raw.type)) return null;
  const op: OperationDraft = { type: raw.type } as OperationDraft;
  switch (raw.type as OperationType) {
    case "remplacer_article":
      Object.assign(op, { article: str(raw.article), titre: str(raw.titre), corps: str(raw.corps) });
      break;
    case "inserer_article":
      Object.assign(op, { apres: str(raw.apres), titre: str(raw.titre), corps: str(raw.corps) });
      break;
    case "supprimer_article":
      op.article = str(raw.article);
      break;
    case "modifier_date_fin":
      op.dateFin = str(raw.dateFin);
      break;
    case "ajouter_annee":
    case "modifier_montants":
      Object.assign(op, { annee: str(raw.annee), ae: amountText(raw.ae), cp: amountText(raw.cp) });
      break;
    case "modifier_partie": {
      const partie = str(raw.partie);
      const index = raw.indexDelegataire;
      op.partie = partie === "delegataire" ? `delegataire:${Number.isInteger(index) ? index : 0}` : partie;
      op["representant.nom"] = str(raw.representant?.nom);
      op["representant.fonction"] = str(raw.representant?.fonction);
      op.adresse = str(raw.adresse);
      op.services = Array.isArray(raw.services) ? raw.services.map(str).join("\n") : str(raw.services);
      break;
    }
  }
  return op;
}

/** What the editor shows: the posted form, or the stored avenant's data. */
export function readAvenantForm(raw: Record<string, any>): AvenantFormDraft {
  return {
    objet: str(raw.objet),
    lieuSignature: str(raw.lieuSignature),
    operations: list(raw.operations)
      .slice(0, AVENANT_LIMITS.operations)
      .map(readOperation)
      .filter((o): o is OperationDraft => o !== null),
  };
}

// ---------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------

const position = (message: string, min: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d{1,4}\s*$/.test(v) ? Number(v) : v === "" ? undefined : v),
    z.number({ error: message }).int(message).min(min, message),
  );
const titre = z.string({ error: "Le titre de l'article est obligatoire" }).trim().min(1, "Le titre de l'article est obligatoire").max(AVENANT_LIMITS.titre, `Le titre ne peut pas dépasser ${AVENANT_LIMITS.titre} caractères`);
const corps = z
  .string({ error: "Le texte de l'article est obligatoire" })
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "Le texte de l'article est obligatoire").max(AVENANT_LIMITS.text, `Le texte ne peut pas dépasser ${AVENANT_LIMITS.text.toLocaleString("fr-FR")} caractères`));
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `${max} caractères au plus`)
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const modifierPartie = z
  .strictObject({
    type: z.literal("modifier_partie"),
    partie: z.string({ error: "Choisissez la partie" }).regex(/^(delegant|delegataire:\d{1,2})$/, "Choisissez la partie"),
    "representant.nom": optionalText(300),
    "representant.fonction": optionalText(300),
    adresse: optionalText(1000),
    services: optionalText(10_000),
  })
  .transform((o, ctx) => {
    const [partie, index] = o.partie.split(":");
    const services = o.services?.split("\n").map((s) => s.trim()).filter(Boolean);
    if (services && services.length > AVENANT_LIMITS.services) {
      ctx.addIssue({ code: "custom", path: ["services"], message: `${AVENANT_LIMITS.services} services au plus` });
      return z.NEVER;
    }
    const representant = o["representant.nom"] || o["representant.fonction"] ? { nom: o["representant.nom"] ?? "", fonction: o["representant.fonction"] ?? "" } : undefined;
    if (!representant && o.adresse === undefined && !services) {
      ctx.addIssue({ code: "custom", path: ["representant.nom"], message: "Indiquez au moins un changement : représentant, adresse ou services" });
      return z.NEVER;
    }
    return {
      type: "modifier_partie" as const,
      partie: partie as "delegant" | "delegataire",
      indexDelegataire: index === undefined ? 0 : Number(index),
      ...(representant ? { representant } : {}),
      ...(o.adresse !== undefined ? { adresse: o.adresse } : {}),
      ...(services ? { services } : {}),
    };
  });

export const avenantOperationFormSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("remplacer_article"), article: position("Choisissez l'article à remplacer", 1), titre, corps }),
    z.strictObject({ type: z.literal("inserer_article"), apres: position("Choisissez où insérer l'article", 0), titre, corps }),
    z.strictObject({ type: z.literal("supprimer_article"), article: position("Choisissez l'article à supprimer", 1) }),
    z.strictObject({ type: z.literal("modifier_date_fin"), dateFin: z.preprocess((v) => (v === "" ? undefined : v), z.string({ error: "La nouvelle date de fin est obligatoire" }).pipe(dateSchema)) }),
    z.strictObject({ type: z.literal("ajouter_annee"), annee: anneeSchema, ae: montantSchema, cp: montantSchema }),
    z.strictObject({ type: z.literal("modifier_montants"), annee: anneeSchema, ae: montantSchema, cp: montantSchema }),
    modifierPartie,
  ],
  { error: "Type de modification inconnu" },
);

export const avenantFormSchema = z.strictObject({
  objet: z.string().max(AVENANT_LIMITS.objet, `L'objet ne peut pas dépasser ${AVENANT_LIMITS.objet} caractères`).default("").transform((s) => s.trim()),
  lieuSignature: z.string({ error: "Le lieu de signature est obligatoire" }).trim().min(1, "Le lieu de signature est obligatoire").max(200, "200 caractères au plus"),
  operations: z
    .array(avenantOperationFormSchema, { error: "Ajoutez au moins une modification" })
    .min(1, "Ajoutez au moins une modification")
    .max(AVENANT_LIMITS.operations, `${AVENANT_LIMITS.operations} modifications au plus`),
});

export type AvenantFormValue = z.output<typeof avenantFormSchema>;
export type AvenantOperationValue = AvenantFormValue["operations"][number];

/** The operations' flat field names (« representant.nom ») are nested again by fromFormEntries: flatten them back. */
function flattenOperation(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "representant" && v && typeof v === "object" && !Array.isArray(v)) {
      for (const [rk, rv] of Object.entries(v)) out[`representant.${rk}`] = rv;
    } else out[k] = v;
  }
  return out;
}

/** The posted avenant form (fromFormEntries output, strings) -> validated value, or French errors by path. */
export function parseAvenantForm(raw: Record<string, unknown>): { ok: true; value: AvenantFormValue } | { ok: false; errors: FieldError[] } {
  const input = {
    objet: raw.objet ?? "",
    lieuSignature: raw.lieuSignature,
    operations: list(raw.operations).map(flattenOperation),
  };
  const parsed = avenantFormSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: listErrors(parsed.error) };
}

// ---------------------------------------------------------------------------------------------
// Submit buttons that edit the list without JavaScript: « ajouter:remplacer_article »,
// « supprimer:operations:2 », « monter:operations:2 », « descendre:operations:2 ».
// ---------------------------------------------------------------------------------------------

function emptyOperation(type: OperationType, context: { lastYear?: number }): OperationDraft {
  switch (type) {
    case "remplacer_article":
      return { type, article: "", titre: "", corps: "" };
    case "inserer_article":
      return { type, apres: "", titre: "", corps: "" };
    case "supprimer_article":
      return { type, article: "" };
    case "modifier_date_fin":
      return { type, dateFin: "" };
    case "ajouter_annee":
      return { type, annee: context.lastYear ? String(context.lastYear + 1) : "", ae: "", cp: "" };
    case "modifier_montants":
      return { type, annee: "", ae: "", cp: "" };
    case "modifier_partie":
      return { type, partie: "delegant", "representant.nom": "", "representant.fonction": "", adresse: "", services: "" };
  }
}

export type AvenantIntentResult = { draft: AvenantFormDraft; focus?: string; message: string; error?: string };

/** Applies an add/remove/move button; null for an unknown intent (the route answers 400). */
export function applyAvenantIntent(draft: AvenantFormDraft, intent: string, context: { lastYear?: number } = {}): AvenantIntentResult | null {
  const [verb, what, idx] = intent.split(":");
  const operations = [...draft.operations];
  if (verb === "ajouter" && isOperationType(what) && idx === undefined) {
    if (operations.length >= AVENANT_LIMITS.operations) return { draft, message: "", error: `${AVENANT_LIMITS.operations} modifications au plus.` };
    operations.push(emptyOperation(what, context));
    const n = operations.length - 1;
    const first = Object.keys(operations[n]).find((k) => k !== "type")!;
    return { draft: { ...draft, operations }, focus: `operations[${n}].${first}`, message: `Modification ${n + 1} ajoutée : ${OPERATION_LABELS[what].toLowerCase()}.` };
  }
  if (what !== "operations" || idx === undefined || !/^\d{1,3}$/.test(idx)) return null;
  const i = Number(idx);
  if (i >= operations.length) return null;
  switch (verb) {
    case "supprimer":
      operations.splice(i, 1);
      return { draft: { ...draft, operations }, message: `Modification ${i + 1} supprimée.` };
    case "monter":
    case "descendre": {
      const j = verb === "monter" ? i - 1 : i + 1;
      if (j < 0 || j >= operations.length) return null;
      [operations[i], operations[j]] = [operations[j], operations[i]];
      const first = Object.keys(operations[j]).find((k) => k !== "type");
      return { draft: { ...draft, operations }, focus: first ? `operations[${j}].${first}` : undefined, message: `Modification ${i + 1} déplacée en position ${j + 1}.` };
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// What the editor shows of the convention as it stands (the avenant's base data)
// ---------------------------------------------------------------------------------------------

export type AvenantBaseView = {
  /** `html`: the article as it reads in the convention (fields replaced by their values), when it renders. */
  articles: { numero: number; titre: string; corps: string; html?: string }[];
  echeancier: { annee: number; ae: number; cp: number }[];
  dateFin: string | null;
  services: string[];
  parties: { value: string; nom: string; representant: string; adresse: string }[];
};

const representantText = (r: any) => [str(r?.nom), str(r?.fonction)].filter(Boolean).join(", ");

/** The base convention's articles (numbered from 1), schedule, end date, services and parties. */
export function avenantBaseView(base: unknown): AvenantBaseView {
  const b: any = base && typeof base === "object" ? base : {};
  const parties = [
    { value: "delegant", p: b.delegant },
    ...list(b.delegataires).map((p, i) => ({ value: `delegataire:${i}`, p })),
  ].map(({ value, p }: { value: string; p: any }) => ({ value, nom: str(p?.nom) || value, representant: representantText(p?.representant), adresse: str(p?.adresse) }));
  return {
    articles: list(b.articles).map((a: any, i) => ({ numero: i + 1, titre: str(a?.titre), corps: typeof a?.corps === "string" ? a.corps : "" })),
    echeancier: list(b.financement?.echeancier)
      .filter((e: any) => typeof e?.annee === "number")
      .map((e: any) => ({ annee: e.annee, ae: typeof e.ae === "number" ? e.ae : 0, cp: typeof e.cp === "number" ? e.cp : 0 })),
    dateFin: typeof b.dateFin === "string" && b.dateFin ? b.dateFin : null,
    services: list(b.services).map(str).filter(Boolean),
    parties,
  };
}
