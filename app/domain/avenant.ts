/**
 * Avenant (amendment) to a convention: its data model, the structured operations it makes, and
 * how they apply to the convention's consolidated data. Pure (no Node import): shared by the
 * editor (browser), the save and sign services, the templates and the CLI.
 *
 * Numbering rule (documented in templates/README.md): every operation names articles by their
 * number in the convention as it stands before the avenant (`base`). The consolidated convention
 * is renumbered: an inserted article takes its place in the sequence and the articles after it
 * move by one (a deleted article leaves no gap); the avenant states the new numbers in a
 * renumbering article (« les articles 5 à 8 de la convention deviennent respectivement les
 * articles 6 à 9 »). The convention's own cross-references (« l'article 1 ») are plain text and
 * are not rewritten.
 */
import { z } from "zod";
import {
  anneeSchema,
  conventionSchema,
  dateSchema,
  formatDateLongue,
  formatEuros,
  issueErrors,
  montantSchema,
  signatureSchema,
  type Article,
  type Convention,
  type FieldError,
} from "./convention";

export const AVENANT_MAX = { operations: 50, titre: 500, corps: 20_000, objet: 2_000, nom: 300, adresse: 1_000, services: 50, service: 300, actes: 100, libelle: 500 };

const texte = (libelle: string, max: number) =>
  z
    .string({ error: `${libelle} est obligatoire` })
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().min(1, `${libelle} est obligatoire`).max(max, `${libelle} ne peut pas dépasser ${max.toLocaleString("fr-FR")} caractères`));

const numeroArticleSchema = z
  .number({ error: "Le numéro d'article doit être un nombre" })
  .int("Le numéro d'article doit être un nombre entier")
  .min(1, "Le numéro d'article commence à 1")
  .max(999, "Le numéro d'article est trop grand");

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `${max.toLocaleString("fr-FR")} caractères au plus`)
    .transform((s) => s.trim());

export const avenantOperationSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("remplacer_article"), article: numeroArticleSchema, titre: texte("Le titre de l'article", AVENANT_MAX.titre), corps: texte("Le texte de l'article", AVENANT_MAX.corps) }),
    z.strictObject({
      type: z.literal("inserer_article"),
      /** 0 = before the first article. */
      apres: z.number({ error: "Indiquez après quel article insérer" }).int("Indiquez après quel article insérer").min(0, "Indiquez après quel article insérer").max(999, "Le numéro d'article est trop grand"),
      titre: texte("Le titre de l'article", AVENANT_MAX.titre),
      corps: texte("Le texte de l'article", AVENANT_MAX.corps),
    }),
    z.strictObject({ type: z.literal("supprimer_article"), article: numeroArticleSchema }),
    z.strictObject({ type: z.literal("modifier_date_fin"), dateFin: dateSchema }),
    z.strictObject({ type: z.literal("ajouter_annee"), annee: anneeSchema, ae: montantSchema, cp: montantSchema }),
    z.strictObject({ type: z.literal("modifier_montants"), annee: anneeSchema, ae: montantSchema, cp: montantSchema }),
    z
      .strictObject({
        type: z.literal("modifier_partie"),
        partie: z.enum(["delegant", "delegataire"], { error: "La partie doit être « delegant » ou « delegataire »" }),
        indexDelegataire: z.number().int().min(0).max(99).default(0),
        representant: z.strictObject({ nom: optionalText(AVENANT_MAX.nom), fonction: optionalText(AVENANT_MAX.nom) }).optional(),
        adresse: optionalText(AVENANT_MAX.adresse).optional(),
        /** The convention's list of services numériques, as it reads after the avenant. */
        services: z.array(texte("Le nom du service", AVENANT_MAX.service)).max(AVENANT_MAX.services, `${AVENANT_MAX.services} services au plus`).optional(),
      })
      .superRefine((o, ctx) => {
        const rep = o.representant && (o.representant.nom || o.representant.fonction);
        if (!rep && o.adresse === undefined && o.services === undefined)
          ctx.addIssue({ code: "custom", path: ["representant", "nom"], message: "Indiquez au moins un changement : représentant, adresse ou services" });
        if (o.representant && !rep) ctx.addIssue({ code: "custom", path: ["representant", "nom"], message: "Indiquez le nom ou la fonction du nouveau représentant" });
      }),
  ],
  { error: "Type de modification inconnu" },
);

export type AvenantOperation = z.output<typeof avenantOperationSchema>;
export type AvenantOperationInput = z.input<typeof avenantOperationSchema>;

/** The signed act an avenant amends (the convention, then each earlier avenant) and its PDF's SHA-256. */
export const acteModifieSchema = z.strictObject({
  libelle: texte("Le libellé de l'acte", AVENANT_MAX.libelle),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "L'empreinte SHA-256 doit compter 64 caractères hexadécimaux"),
});

const avenantShape = {
  modele: z.literal("avenant", { error: "Le modèle d'un avenant est « avenant »" }),
  /** « Avenant n° k », numbered per convention. */
  numero: z.number({ error: "Le numéro de l'avenant est obligatoire" }).int().min(1).max(999),
  /** The convention's consolidated data when the avenant was created. */
  base: conventionSchema,
  /** Date the convention was signed (Europe/Paris). */
  baseSigneeLe: dateSchema,
  actesModifies: z.array(acteModifieSchema).max(AVENANT_MAX.actes).default([]),
  /** Short statement of the avenant's purpose; may be empty. */
  objet: z.string().max(AVENANT_MAX.objet, `L'objet ne peut pas dépasser ${AVENANT_MAX.objet.toLocaleString("fr-FR")} caractères`).default("").transform((s) => s.replace(/\r\n?/g, "\n").trim()),
  operations: z
    .array(avenantOperationSchema, { error: "Les modifications sont obligatoires" })
    .min(1, "Indiquez au moins une modification")
    .max(AVENANT_MAX.operations, `${AVENANT_MAX.operations} modifications au plus`),
  lieuSignature: texte("Le lieu de signature", 200),
  signatures: z.array(signatureSchema, { error: "Les blocs de signature sont obligatoires" }).min(1, "Indiquez au moins un bloc de signature").max(12, "12 blocs de signature au plus"),
};

/** The avenant without the checks against its base (what a draft is parsed with). */
export const avenantObjectSchema = z.strictObject(avenantShape);

export const avenantSchema = avenantObjectSchema.superRefine((a, ctx) => {
  for (const e of avenantConsistency(a)) ctx.addIssue({ code: "custom", path: e.issuePath, message: e.message });
});

export type Avenant = z.output<typeof avenantSchema>;
export type AvenantInput = z.input<typeof avenantSchema>;

/** Operations against the base, and signature blocks against the parties. */
function avenantConsistency(a: z.output<typeof avenantObjectSchema>): (FieldError & { issuePath: (string | number)[] })[] {
  const out: (FieldError & { issuePath: (string | number)[] })[] = [];
  const r = applyAvenant(a.base, a.operations);
  if (!r.ok) for (const e of r.errors) out.push({ ...e, issuePath: pathSegments(e.path) });
  a.signatures.forEach((s, i) => {
    if (s.partie === "delegataire" && s.indexDelegataire >= a.base.delegataires.length)
      out.push({ path: `signatures[${i}].indexDelegataire`, issuePath: ["signatures", i, "indexDelegataire"], message: "Ce délégataire n'existe pas" });
  });
  // An avenant is an agreement: every party signs it.
  if (a.signatures.length > 0) {
    const signing = new Set(a.signatures.map((s) => (s.partie === "delegant" ? "delegant" : `delegataire:${s.indexDelegataire}`)));
    const parties = [{ k: "delegant", nom: a.base.delegant.nom }, ...a.base.delegataires.map((d, i) => ({ k: `delegataire:${i}`, nom: d.nom }))];
    for (const p of parties)
      if (!signing.has(p.k)) out.push({ path: "signatures", issuePath: ["signatures"], message: `Un avenant est signé par toutes les parties : ajoutez un bloc de signature pour ${p.nom}` });
  }
  return out;
}

/** « operations[2].article » -> ["operations", 2, "article"]. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Articles: where each article of the consolidated convention comes from
// ---------------------------------------------------------------------------------------------

export type PlannedArticle =
  /** An article of the base (1-based `base` number), kept or replaced by operation `remplacePar`. */
  | { source: "base"; base: number; remplacePar?: number }
  /** An article inserted by operation `operation`. */
  | { source: "insere"; operation: number };

/**
 * The consolidated sequence of articles: inserts after article p come right after it (in the order
 * of the operations), deleted articles are left out. Assumes the operations were checked.
 */
export function articlePlan(baseCount: number, operations: readonly AvenantOperation[]): PlannedArticle[] {
  const replaced = new Map<number, number>();
  const deleted = new Set<number>();
  const inserts = new Map<number, number[]>();
  operations.forEach((op, i) => {
    if (op.type === "remplacer_article") replaced.set(op.article, i);
    else if (op.type === "supprimer_article") deleted.add(op.article);
    else if (op.type === "inserer_article") inserts.set(op.apres, [...(inserts.get(op.apres) ?? []), i]);
  });
  const plan: PlannedArticle[] = [];
  for (let p = 0; p <= baseCount; p++) {
    if (p > 0 && !deleted.has(p)) plan.push(replaced.has(p) ? { source: "base", base: p, remplacePar: replaced.get(p)! } : { source: "base", base: p });
    for (const op of inserts.get(p) ?? []) plan.push({ source: "insere", operation: op });
  }
  return plan;
}

/** Runs of base articles that change number: « les articles 5 à 8 deviennent les articles 6 à 9 ». */
export interface Renumerotation {
  de: number;
  a: number;
  nouveauDe: number;
  nouveauA: number;
}

export function renumbering(plan: readonly PlannedArticle[]): Renumerotation[] {
  const runs: Renumerotation[] = [];
  plan.forEach((p, i) => {
    if (p.source !== "base" || p.base === i + 1) return;
    const last = runs[runs.length - 1];
    if (last && last.a === p.base - 1 && last.nouveauA === i) {
      last.a = p.base;
      last.nouveauA = i + 1;
    } else runs.push({ de: p.base, a: p.base, nouveauDe: i + 1, nouveauA: i + 1 });
  });
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Applying an avenant
// ---------------------------------------------------------------------------------------------

export type ApplyResult = { ok: true; data: Convention; plan: PlannedArticle[] } | { ok: false; errors: FieldError[] };

const opPath = (i: number, field?: string) => `operations[${i}]${field ? "." + field : ""}`;
const articlesMot = (n: number) => (n === 1 ? "1 article" : `${n} articles`);
const partieLibelle = (op: { partie: "delegant" | "delegataire"; indexDelegataire: number }, c: Convention) =>
  op.partie === "delegant" ? c.delegant.nom : (c.delegataires[op.indexDelegataire]?.nom ?? `délégataire n° ${op.indexDelegataire + 1}`);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * Applies the operations to the base convention (numbers refer to the base, see above) and
 * re-validates the result with the convention's schema. Errors carry the operation's path
 * (« operations[2].article ») and a French message.
 */
export function applyAvenant(base: Convention, operations: readonly AvenantOperation[]): ApplyResult {
  const errors: FieldError[] = [];
  const n = base.articles.length;
  const touched = new Map<number, { op: number; verbe: string }>();
  let dateFinOp: number | null = null;
  const years = new Map<number, { op: number; ajout: boolean }>();
  const parties = new Map<string, number>();
  let servicesOp: number | null = null;
  const data: Convention = clone(base);
  const existing = new Set((base.financement?.echeancier ?? []).map((e) => e.annee));

  const checkArticle = (i: number, article: number, verbe: string): boolean => {
    if (article > n) {
      errors.push({ path: opPath(i, "article"), message: `L'article ${article} n'existe pas dans la version en vigueur de la convention (${articlesMot(n)})` });
      return false;
    }
    const prev = touched.get(article);
    if (prev) {
      errors.push({ path: opPath(i, "article"), message: `L'article ${article} est déjà ${prev.verbe} par la modification n° ${prev.op + 1}` });
      return false;
    }
    touched.set(article, { op: i, verbe });
    return true;
  };

  operations.forEach((op, i) => {
    switch (op.type) {
      case "remplacer_article":
        checkArticle(i, op.article, "remplacé");
        break;
      case "supprimer_article":
        checkArticle(i, op.article, "supprimé");
        break;
      case "inserer_article":
        if (op.apres > n) errors.push({ path: opPath(i, "apres"), message: `L'article ${op.apres} n'existe pas dans la version en vigueur de la convention (${articlesMot(n)})` });
        break;
      case "modifier_date_fin":
        if (dateFinOp !== null) errors.push({ path: opPath(i, "dateFin"), message: `La date de fin est déjà modifiée par la modification n° ${dateFinOp + 1}` });
        else if (base.dateFin === op.dateFin) errors.push({ path: opPath(i, "dateFin"), message: `La convention prend déjà fin le ${formatDateLongue(op.dateFin)}` });
        else {
          dateFinOp = i;
          data.dateFin = op.dateFin;
        }
        break;
      case "ajouter_annee":
      case "modifier_montants": {
        const ajout = op.type === "ajouter_annee";
        if (!data.financement) {
          errors.push({ path: opPath(i, "annee"), message: "La convention ne comporte pas de partie financière : son échéancier ne peut pas être modifié par avenant" });
          break;
        }
        const prev = years.get(op.annee);
        if (prev) {
          errors.push({ path: opPath(i, "annee"), message: `L'année ${op.annee} est déjà ${prev.ajout ? "ajoutée" : "modifiée"} par la modification n° ${prev.op + 1}` });
          break;
        }
        if (ajout && existing.has(op.annee)) {
          errors.push({ path: opPath(i, "annee"), message: `L'année ${op.annee} figure déjà dans l'échéancier : modifiez ses montants plutôt que de l'ajouter` });
          break;
        }
        if (!ajout && !existing.has(op.annee)) {
          errors.push({ path: opPath(i, "annee"), message: `L'année ${op.annee} ne figure pas dans l'échéancier : ajoutez-la plutôt que de modifier ses montants` });
          break;
        }
        years.set(op.annee, { op: i, ajout });
        const rows = data.financement.echeancier;
        if (ajout) {
          rows.push({ annee: op.annee, ae: op.ae, cp: op.cp });
          rows.sort((a, b) => a.annee - b.annee);
        } else {
          const row = rows.find((e) => e.annee === op.annee)!;
          if (Math.round(row.ae * 100) === Math.round(op.ae * 100) && Math.round(row.cp * 100) === Math.round(op.cp * 100)) {
            errors.push({ path: opPath(i, "ae"), message: `Les montants de ${op.annee} sont inchangés (AE ${formatEuros(row.ae)}, CP ${formatEuros(row.cp)})` });
            break;
          }
          row.ae = op.ae;
          row.cp = op.cp;
        }
        break;
      }
      case "modifier_partie": {
        if (op.partie === "delegataire" && op.indexDelegataire >= base.delegataires.length) {
          errors.push({ path: opPath(i, "partie"), message: "Ce délégataire n'existe pas" });
          break;
        }
        const key = `${op.partie}:${op.partie === "delegant" ? 0 : op.indexDelegataire}`;
        const prev = parties.get(key);
        if (prev !== undefined) {
          errors.push({ path: opPath(i, "partie"), message: `${partieLibelle(op, base)} est déjà modifié par la modification n° ${prev + 1}` });
          break;
        }
        parties.set(key, i);
        const target = op.partie === "delegant" ? data.delegant : data.delegataires[op.indexDelegataire];
        const before = op.partie === "delegant" ? base.delegant : base.delegataires[op.indexDelegataire];
        if (op.representant && (op.representant.nom || op.representant.fonction)) {
          const rep = { nom: op.representant.nom || undefined, fonction: op.representant.fonction || undefined };
          if ((before.representant?.nom ?? undefined) === rep.nom && (before.representant?.fonction ?? undefined) === rep.fonction)
            errors.push({ path: opPath(i, "representant.nom"), message: "Le représentant est inchangé" });
          target.representant = rep;
        }
        if (op.adresse !== undefined) {
          if ((before.adresse ?? "") === op.adresse) errors.push({ path: opPath(i, "adresse"), message: "L'adresse est inchangée" });
          target.adresse = op.adresse || undefined;
        }
        if (op.services !== undefined) {
          if (servicesOp !== null) errors.push({ path: opPath(i, "services"), message: `Les services sont déjà modifiés par la modification n° ${servicesOp + 1}` });
          else if (JSON.stringify(op.services) === JSON.stringify(base.services)) errors.push({ path: opPath(i, "services"), message: "La liste des services est inchangée" });
          else {
            servicesOp = i;
            data.services = [...op.services];
          }
        }
        break;
      }
    }
  });

  if (errors.length) return { ok: false, errors };

  const plan = articlePlan(n, operations);
  if (plan.length === 0) {
    const last = operations.findLastIndex((o) => o.type === "supprimer_article");
    return { ok: false, errors: [{ path: opPath(last, "article"), message: "La convention doit garder au moins un article" }] };
  }
  data.articles = plan.map((p): Article => {
    if (p.source === "insere") {
      const op = operations[p.operation] as Extract<AvenantOperation, { type: "inserer_article" }>;
      return { titre: op.titre, corps: op.corps };
    }
    if (p.remplacePar !== undefined) {
      const op = operations[p.remplacePar] as Extract<AvenantOperation, { type: "remplacer_article" }>;
      return { titre: op.titre, corps: op.corps };
    }
    return base.articles[p.base - 1];
  });

  // The amended convention must still be a valid convention.
  const parsed = conventionSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.flatMap(issueErrors).map((e) => ({ path: blame(e.issuePath, operations, plan), message: `Après l'avenant, la convention ne serait plus valide : ${e.message}` })) };
  }
  return { ok: true, data: parsed.data, plan };
}

/** The operation a validation issue of the amended convention comes from (its path), or « operations ». */
function blame(path: PropertyKey[], operations: readonly AvenantOperation[], plan: readonly PlannedArticle[]): string {
  const [head, index, field] = path;
  const find = (pred: (o: AvenantOperation) => boolean, f?: string) => {
    const i = operations.findLastIndex(pred);
    return i >= 0 ? opPath(i, f) : "operations";
  };
  if (head === "articles" && typeof index === "number") {
    const p = plan[index];
    const op = p?.source === "insere" ? p.operation : p?.remplacePar;
    return op !== undefined ? opPath(op, typeof field === "string" ? field : undefined) : "operations";
  }
  if (head === "dateFin") return find((o) => o.type === "modifier_date_fin", "dateFin");
  if (head === "financement") return find((o) => o.type === "ajouter_annee" || o.type === "modifier_montants", "cp");
  if (head === "services") return find((o) => o.type === "modifier_partie" && o.services !== undefined, "services");
  if (head === "delegant") return find((o) => o.type === "modifier_partie" && o.partie === "delegant");
  if (head === "delegataires" && typeof index === "number") return find((o) => o.type === "modifier_partie" && o.partie === "delegataire" && o.indexDelegataire === index);
  return "operations";
}

// ---------------------------------------------------------------------------------------------
// Drafts
// ---------------------------------------------------------------------------------------------

export interface AvenantDraftCheck {
  /** Values present but wrong: the save is refused. */
  blocking: FieldError[];
  /** Required fields still empty: saved, but the avenant cannot go to signature. */
  missing: FieldError[];
  /** The validated avenant and the convention as it reads once amended, when complete and correct. */
  avenant?: Avenant;
  consolidated?: Convention;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: any = data;
  for (const p of path) {
    if (cur == null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = cur[p as any];
  }
  return cur;
}

/**
 * Splits a draft's issues like the convention's checkDraft: an empty required field is « missing »
 * (saved, but no signature circuit), a wrong value or an operation that does not apply to the
 * convention is « blocking » (nothing saved).
 */
export function splitIssues(data: unknown, error: z.ZodError | undefined, extra: FieldError[] = []): { blocking: FieldError[]; missing: FieldError[] } {
  const blocking: FieldError[] = [];
  const missing: FieldError[] = [];
  for (const { issuePath, ...e } of error?.issues.flatMap(issueErrors) ?? []) {
    if (isEmpty(valueAt(data, issuePath))) missing.push(e);
    else if (!blocking.some((b) => b.path === e.path)) blocking.push(e);
  }
  for (const e of extra) if (!blocking.some((b) => b.path === e.path && b.message === e.message)) blocking.push(e);
  return { blocking, missing };
}

export function checkAvenantDraft(data: unknown): AvenantDraftCheck {
  const parsed = avenantObjectSchema.safeParse(data);
  let extra: FieldError[] = [];
  if (parsed.success) {
    extra = avenantConsistency(parsed.data).map(({ path, message }) => ({ path, message }));
  } else {
    // Check what can be checked: the operations that parse, against a base that parses.
    const raw = data as Record<string, unknown> | null;
    const base = conventionSchema.safeParse(raw?.base);
    const ops = Array.isArray(raw?.operations) ? raw.operations.map((o) => avenantOperationSchema.safeParse(o)) : [];
    if (base.success && ops.length > 0 && ops.every((o) => o.success)) {
      const r = applyAvenant(base.data, ops.map((o) => o.data!));
      if (!r.ok) extra = r.errors;
    }
  }
  const { blocking, missing } = splitIssues(data, parsed.success ? undefined : parsed.error, extra);
  if (!parsed.success || blocking.length || missing.length) return { blocking, missing };
  const r = applyAvenant(parsed.data.base, parsed.data.operations);
  return { blocking, missing, avenant: parsed.data, consolidated: r.ok ? r.data : undefined };
}

// ---------------------------------------------------------------------------------------------
// Where the convention prints a field (for the avenant's and the notice's wording)
// ---------------------------------------------------------------------------------------------

/**
 * 1-based number of the first article whose text uses the field (`{{ dateFin | date }}`,
 * `{% pour e dans financement.echeancier %}`, `{% si services %}`), or null: the avenant then
 * says « Le tableau de l'article 5 … » rather than « L'échéancier de la convention … ».
 */
export function articleCiting(c: Pick<Convention, "articles">, field: string): number | null {
  const esc = field.replace(/[.]/g, "\\.");
  const re = new RegExp(`(\\{\\{|\\{%)[^}]*(?<![\\w.])${esc}(?![\\w])[^}]*(\\}\\}|%\\})`);
  const i = c.articles.findIndex((a) => re.test(a.corps));
  return i < 0 ? null : i + 1;
}

