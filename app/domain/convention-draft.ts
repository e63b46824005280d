/**
 * Drafts being edited in the browser: pure helpers shared by the edit form (client-side check),
 * the save-draft service (server-side check) and the convention page.
 *
 * Policy for incomplete drafts (issue 3: « a draft that does not validate cannot go further and
 * says why »):
 *  - a draft is validated with the one `conventionSchema`;
 *  - an issue on a field that is **empty** (missing name, no UO yet, no end date…) does not block
 *    the save: the draft is stored, marked incomplete, and the convention page lists what is
 *    missing; the preview, the PDF and (later) the signature circuit refuse an incomplete draft;
 *  - an issue on a field that **holds a value** (UO « 0310-XX », amount « abc », CP above AE,
 *    a text over 20 000 characters…) blocks the save: nothing is written and the message is shown
 *    beside the field.
 * So what is stored is always « valid for the fields present ».
 */
import { conventionSchema, formatPath, issueErrors, parseMontantEuros, type Convention, type FieldError } from "./convention";

export const LIMITS = {
  text: 20_000,
  intitule: 300,
  // Looked up by paths taken from submitted data: no prototype, so « constructor » finds nothing.
  arrays: Object.assign(Object.create(null) as Record<string, number>, {
    delegataires: 10,
    visas: 50,
    articles: 100,
    annexes: 20,
    signatures: 12,
    services: 50,
    "financement.echeancier": 20,
    "financement.chorus.activites": 50,
    alias: 5,
    designationCommune: 5,
  }),
  /** Whole form submission, in bytes. */
  requestBytes: 10 * 1024 * 1024,
};

/** Loose shape of a stored draft: the convention input, where empty fields are "" or []. */
export type DraftData = Record<string, any>;

const str = (v: unknown): string => (typeof v === "string" ? v.replace(/\r\n?/g, "\n").trim() : v == null ? "" : String(v).trim());
const list = (v: unknown): any[] => (Array.isArray(v) ? v.filter((x) => x !== undefined && x !== null) : v && typeof v === "object" ? Object.values(v) : []);
/** A textarea with one item per line, or an array. */
const lines = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : str(v).split("\n").map((x) => x.trim())).filter(Boolean);
const amount = (v: unknown): number | string => {
  const t = str(v);
  if (t === "") return "";
  return parseMontantEuros(t) ?? t;
};
const int = (v: unknown): number | string => {
  const t = str(v);
  return /^\d{1,9}$/.test(t) ? Number(t) : t;
};

function partie(p: any) {
  return {
    nom: str(p?.nom),
    // "" = agreement read from the name's article (accordParDefaut).
    genre: str(p?.genre),
    nombre: str(p?.nombre),
    adresse: str(p?.adresse),
    alias: lines(p?.alias),
    representant: { nom: str(p?.representant?.nom), fonction: str(p?.representant?.fonction) },
  };
}

/** A checkbox posts "on"; stored data holds a boolean. */
const flag = (v: unknown): boolean => v === true || v === "on" || v === "true" || v === "oui";

function financement(f: any) {
  const ch = f.chorus ?? {};
  return {
    uo: str(f.uo).toUpperCase(),
    echeancier: list(f.echeancier).map((e) => ({ annee: int(e?.annee), ae: amount(e?.ae), cp: amount(e?.cp) })),
    chorus: {
      axeMinisteriel: str(ch.axeMinisteriel),
      domaineFonctionnel: str(ch.domaineFonctionnel),
      centreFinancier: str(ch.centreFinancier).toUpperCase(),
      activites: list(ch.activites).map((a) => ({ code: str(a?.code).toUpperCase(), libelle: str(a?.libelle) })),
      centreDeCout: str(ch.centreDeCout).toUpperCase(),
    },
  };
}

const blank = (o: Record<string, unknown>) => Object.values(o).every((v) => v === "" || v === undefined);

/**
 * What the schema checks: the stored draft keeps the form's empty rows (so the form shows them),
 * but the financial part is optional: untouched schedule rows, Chorus references and a wholly
 * untouched financial part count as absent, not as fields to complete.
 */
export function withoutUntouchedParts(data: DraftData): DraftData {
  const f = data.financement;
  if (!f || typeof f !== "object") return data;
  // A row with no amount is untouched: the form pre-fills the next year.
  const echeancier = Array.isArray(f.echeancier) ? f.echeancier.filter((e: any) => !(e && typeof e === "object" && blank({ ae: e.ae, cp: e.cp }))) : f.echeancier;
  const ch = f.chorus;
  const chorusBlank =
    ch && typeof ch === "object" && blank({ ...ch, activites: undefined }) && (!Array.isArray(ch.activites) || ch.activites.every((a: any) => a && typeof a === "object" && blank(a)));
  const rest: DraftData = { ...f, echeancier };
  if (chorusBlank) delete rest.chorus;
  const { financement: _, ...others } = data;
  if (rest.uo === "" && (!Array.isArray(echeancier) || echeancier.length === 0) && !("chorus" in rest)) return others;
  return { ...others, financement: rest };
}

/**
 * Form entries (after `fromFormEntries`) or stored data -> canonical draft data: strings trimmed,
 * amounts in euros when they parse (kept as typed otherwise, so the schema names the error),
 * « one per line » textareas split, the signature's party select « delegataire:1 » decoded.
 */
export function normaliseDraft(raw: Record<string, any>): DraftData {
  const debutRegle = str(raw.debut?.regle) === "date" ? "date" : "signature";
  return {
    modele: str(raw.modele) || "convention",
    ...(typeof int(raw.modeleVersion) === "number" ? { modeleVersion: int(raw.modeleVersion) } : {}),
    requis: lines(raw.requis),
    titre: str(raw.titre),
    reference: str(raw.reference),
    nor: str(raw.nor).toUpperCase(),
    dateSignature: str(raw.dateSignature),
    publication: str(raw.publication),
    delegant: partie(raw.delegant),
    delegataires: list(raw.delegataires).map(partie),
    designationCommune: lines(raw.designationCommune),
    visas: list(raw.visas).map(str),
    preambule: str(raw.preambule),
    positionPreambule: str(raw.positionPreambule) === "apres-convenu" ? "apres-convenu" : "avant-convenu",
    numerotation: str(raw.numerotation) || "article-deux-points",
    articles: list(raw.articles).map((a) => ({ titre: str(a?.titre), corps: str(a?.corps) })),
    financement: financement(raw.financement ?? {}),
    services: lines(raw.services),
    debut: debutRegle === "date" ? { regle: "date", date: str(raw.debut?.date) } : { regle: "signature" },
    dateFin: str(raw.dateFin),
    reconductionTacite: flag(raw.reconductionTacite),
    preavisMois: raw.preavisMois === undefined ? 3 : int(raw.preavisMois),
    lieuSignature: str(raw.lieuSignature),
    signatures: list(raw.signatures).map((s) => {
      const [p, idx] = str(s?.partie).split(":");
      const index = idx !== undefined ? Number(idx) : Number(s?.indexDelegataire ?? 0);
      return {
        partie: p === "delegataire" ? "delegataire" : "delegant",
        indexDelegataire: Number.isInteger(index) && index >= 0 ? index : 0,
        libelle: str(s?.libelle),
        nom: str(s?.nom),
        fonction: str(s?.fonction),
        email: str(s?.email),
      };
    }),
    annexes: list(raw.annexes).map((a) => ({ titre: str(a?.titre), corps: str(a?.corps) })),
  };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: any = data;
  for (const k of path) {
    if (cur == null) return undefined;
    cur = cur[k as any];
  }
  return cur;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);

export interface DraftCheck {
  /** Values present but wrong: the save is refused. */
  blocking: FieldError[];
  /** Required fields still empty: saved, but the draft cannot go further. */
  missing: FieldError[];
  /** The validated convention, when the draft is complete and correct. */
  convention?: Convention;
}

function limitIssues(data: DraftData): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === "string") {
      if (v.length > LIMITS.text)
        out.push({ path: formatPath(path), message: `Ce texte dépasse la limite de 20 000 caractères (${groupDigits(v.length)} saisis)` });
    } else if (Array.isArray(v)) {
      const key = path.filter((p) => typeof p === "string").join(".");
      const max = LIMITS.arrays[key] ?? LIMITS.arrays[String(path[path.length - 1])];
      if (max !== undefined && v.length > max) out.push({ path: formatPath(path), message: `${max} éléments au plus` });
      v.forEach((x, i) => walk(x, [...path, i]));
    } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(data, []);
  return out;
}

/** Validates a draft with the shared schema and splits the issues (see the policy above). */
export function checkDraft(data: DraftData): DraftCheck {
  const limits = limitIssues(data);
  data = withoutUntouchedParts(data);
  const parsed = conventionSchema.safeParse(data);
  const blocking: FieldError[] = [...limits];
  const missing: FieldError[] = [];
  if (!parsed.success) {
    for (const { issuePath, ...e } of parsed.error.issues.flatMap(issueErrors)) {
      if (isEmpty(valueAt(data, issuePath))) missing.push({ path: e.path, message: missingMessage(e) });
      else if (!blocking.some((b) => b.path === e.path)) blocking.push(e);
    }
  }
  return { blocking, missing, convention: parsed.success && blocking.length === 0 ? parsed.data : undefined };
}

function missingMessage(e: FieldError): string {
  return /obligatoire|Indiquez|au moins/i.test(e.message) ? e.message : `${fieldLabel(e.path)} : à compléter`;
}

/** Map path -> first message (for `state="error"` beside the fields). */
export function errorMap(errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const e of errors) {
    const name = fieldNameFor(e.path);
    if (!(name in out)) out[name] = e.message;
  }
  return out;
}

/** Name of the form control that shows the error of `path`. */
export function fieldNameFor(path: string): string {
  return path
    .replace(/^(delegant|delegataires\[\d+\])\.alias\[\d+\]$/, "$1.alias")
    .replace(/^services\[\d+\]$/, "services")
    .replace(/^(signatures\[\d+\])\.indexDelegataire$/, "$1.partie")
    .replace(/^(delegant|delegataires\[\d+\])\.representant$/, "$1.representant.fonction")
    .replace(/^financement\.chorus$/, "financement.chorus.domaineFonctionnel")
    .replace(/^debut$/, "debut.regle");
}

/** DOM id of a form control named `name` (the error summary links to it). */
export function fieldId(name: string): string {
  return "champ-" + name.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "");
}

const SEGMENTS: Record<string, string> = {
  titre: "titre",
  reference: "référence",
  nor: "NOR",
  delegant: "Délégant",
  nom: "nom",
  adresse: "adresse",
  alias: "dénominations",
  representant: "représentant",
  fonction: "fonction",
  preambule: "Préambule",
  numerotation: "Numérotation",
  corps: "texte",
  financement: "Partie financière",
  uo: "code UO",
  annee: "année",
  ae: "AE",
  cp: "CP",
  chorus: "références Chorus",
  axeMinisteriel: "axe ministériel",
  domaineFonctionnel: "domaine fonctionnel",
  centreFinancier: "centre financier",
  code: "code",
  libelle: "libellé",
  centreDeCout: "centre de coût",
  services: "Services concernés",
  debut: "Prise d'effet",
  date: "date",
  dateFin: "Date de fin",
  preavisMois: "Préavis",
  lieuSignature: "Lieu de signature",
  partie: "partie",
  indexDelegataire: "partie",
  email: "adresse électronique",
  intitule: "Intitulé",
  genre: "accord (genre)",
  nombre: "accord (nombre)",
  publication: "Référence de publication",
  dateSignature: "Date de signature",
  designationCommune: "Désignation commune des délégataires",
  positionPreambule: "Position du préambule",
  reconductionTacite: "Reconduction tacite",
  modeleVersion: "version du modèle",
  requis: "parties requises par le modèle",
};
const INDEXED: Record<string, string> = {
  delegataires: "Délégataire",
  visas: "Visa",
  articles: "Article",
  annexes: "Annexe",
  echeancier: "échéancier, ligne",
  activites: "activité",
  signatures: "Bloc de signature",
  alias: "dénomination",
  services: "service",
};

/** « financement.echeancier[0].ae » -> « Partie financière — échéancier, ligne 1 — AE ». */
export function fieldLabel(path: string): string {
  if (path === "titre") return "Titre du document";
  const parts: string[] = [];
  const re = /([A-Za-z]+)(?:\[(\d+)\])?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    const [, key, index] = m;
    if (index !== undefined) parts.push(`${INDEXED[key] ?? SEGMENTS[key] ?? key} ${Number(index) + 1}`);
    else parts.push(SEGMENTS[key] ?? key);
  }
  const s = parts.join(" — ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Array edits from submit buttons (work without JavaScript): intent « ajouter:articles »,
// « supprimer:articles:2 », « monter:articles:2 », « descendre:articles:2 ».
// ---------------------------------------------------------------------------------------------

export const ARRAY_PATHS = ["visas", "articles", "annexes", "signatures", "financement.echeancier", "financement.chorus.activites"] as const;
export type ArrayPath = (typeof ARRAY_PATHS)[number];

const NOUNS: Record<ArrayPath, { one: string; many: string }> = {
  visas: { one: "visa", many: "visas" },
  articles: { one: "article", many: "articles" },
  annexes: { one: "annexe", many: "annexes" },
  signatures: { one: "bloc de signature", many: "blocs de signature" },
  "financement.echeancier": { one: "année", many: "années" },
  "financement.chorus.activites": { one: "activité", many: "activités" },
};

function emptyItem(path: ArrayPath, current: any[]): unknown {
  switch (path) {
    case "visas":
      return "";
    case "articles":
    case "annexes":
      return { titre: "", corps: "" };
    case "signatures":
      return { partie: "delegataire", indexDelegataire: 0, libelle: "", nom: "", fonction: "", email: "" };
    case "financement.echeancier": {
      const last = current[current.length - 1]?.annee;
      return { annee: typeof last === "number" ? last + 1 : "", ae: "", cp: "" };
    }
    case "financement.chorus.activites":
      return { code: "", libelle: "" };
  }
}

export interface IntentResult {
  data: DraftData;
  /** Form control name to focus after the change. */
  focus?: string;
  /** French message (announced to screen readers). */
  message: string;
  error?: string;
}

export function applyArrayIntent(data: DraftData, intent: string): IntentResult | null {
  const [verb, path, idx] = intent.split(":");
  if (!(ARRAY_PATHS as readonly string[]).includes(path)) return null;
  const p = path as ArrayPath;
  const keys = p.split(".");
  const parent = keys.slice(0, -1).reduce((o: any, k) => o[k], data);
  const key = keys[keys.length - 1];
  const arr: any[] = [...(parent[key] ?? [])];
  const i = Number(idx);
  const noun = NOUNS[p];
  const max = LIMITS.arrays[p];
  const firstField = (n: number) => {
    if (p === "visas") return `visas[${n}]`;
    if (p === "financement.echeancier") return `${p}[${n}].annee`;
    if (p === "financement.chorus.activites") return `${p}[${n}].code`;
    if (p === "signatures") return `${p}[${n}].partie`;
    return `${p}[${n}].titre`;
  };
  switch (verb) {
    case "ajouter":
      if (arr.length >= max) return { data, message: "", error: `Vous ne pouvez pas ajouter plus de ${max} ${noun.many}.` };
      arr.push(emptyItem(p, arr));
      parent[key] = arr;
      return { data, focus: firstField(arr.length - 1), message: `${capital(noun.one)} ${arr.length} ajouté${noun.one.endsWith("e") && p !== "articles" ? "e" : ""}.` };
    case "supprimer":
      if (!Number.isInteger(i) || i < 0 || i >= arr.length) return null;
      arr.splice(i, 1);
      parent[key] = arr;
      return { data, message: `${capital(noun.one)} ${i + 1} supprimé${noun.one.endsWith("e") && p !== "articles" ? "e" : ""}.` };
    case "monter":
    case "descendre": {
      const j = verb === "monter" ? i - 1 : i + 1;
      if (!Number.isInteger(i) || i < 0 || i >= arr.length || j < 0 || j >= arr.length) return null;
      [arr[i], arr[j]] = [arr[j], arr[i]];
      parent[key] = arr;
      return { data, focus: firstField(j), message: `${capital(noun.one)} déplacé${noun.one.endsWith("e") && p !== "articles" ? "e" : ""} en position ${j + 1}.` };
    }
  }
  return null;
}

const groupDigits = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------------------------
// What changed between two versions, in French
// ---------------------------------------------------------------------------------------------

const TOP_LABELS: [string, string][] = [
  ["titre", "titre du document"],
  ["reference", "référence"],
  ["nor", "NOR"],
  ["publication", "référence de publication"],
  ["dateSignature", "date de signature"],
  ["delegant", "délégant"],
  ["delegataires", "délégataires"],
  ["designationCommune", "désignation commune"],
  ["positionPreambule", "position du préambule"],
  ["reconductionTacite", "reconduction tacite"],
  ["visas", "visas"],
  ["preambule", "préambule"],
  ["numerotation", "numérotation des articles"],
  ["services", "services concernés"],
  ["debut", "prise d'effet"],
  ["dateFin", "date de fin"],
  ["preavisMois", "préavis"],
  ["lieuSignature", "lieu de signature"],
  ["signatures", "blocs de signature"],
];
const FIN_LABELS: [string, string][] = [
  ["uo", "UO"],
  ["echeancier", "échéancier"],
  ["chorus", "références Chorus"],
];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function sectionChanges(kind: "article" | "annexe", before: any[] = [], after: any[] = []): string[] {
  const out: string[] = [];
  const key = (a: any) => JSON.stringify([a?.titre ?? "", a?.corps ?? ""]);
  const beforeKeys = before.map(key);
  const afterKeys = after.map(key);
  const usedBefore = new Set<number>();
  const matched: number[] = [];
  after.forEach((a, i) => {
    const exact = beforeKeys.findIndex((k, j) => k === afterKeys[i] && !usedBefore.has(j));
    if (exact >= 0) {
      usedBefore.add(exact);
      matched.push(exact);
      return;
    }
    const byTitle = before.findIndex((b, j) => !usedBefore.has(j) && b?.titre === a?.titre && !afterKeys.includes(beforeKeys[j]));
    const byPlace = byTitle < 0 && i < before.length && !usedBefore.has(i) && !afterKeys.includes(beforeKeys[i]) ? i : -1;
    const j = byTitle >= 0 ? byTitle : byPlace;
    if (j >= 0) {
      usedBefore.add(j);
      matched.push(j);
      out.push(`${kind} ${i + 1} « ${a?.titre || "sans titre"} » modifié${kind === "annexe" ? "e" : ""}`);
    } else out.push(`${kind} ${i + 1} « ${a?.titre || "sans titre"} » ajouté${kind === "annexe" ? "e" : ""}`);
  });
  before.forEach((b, j) => {
    if (!usedBefore.has(j)) out.push(`${kind} « ${b?.titre || "sans titre"} » supprimé${kind === "annexe" ? "e" : ""}`);
  });
  if (matched.some((j, k) => k > 0 && j < matched[k - 1])) out.push(`${kind}s réordonnés`.replace("annexes réordonnés", "annexes réordonnées"));
  return out;
}

/** French summary of what changed: « Modifié : UO, date de fin ; article 3 « Objet » modifié ». */
export function summariseChanges(before: DraftData, after: DraftData, intitule?: { before: string; after: string }): string {
  const fields: string[] = [];
  if (intitule && intitule.before !== intitule.after) fields.push("intitulé");
  for (const [k, label] of TOP_LABELS) if (!same(before[k], after[k])) fields.push(label);
  for (const [k, label] of FIN_LABELS) if (!same(before.financement?.[k], after.financement?.[k])) fields.push(label);
  const parts: string[] = [];
  if (fields.length) parts.push(`Modifié : ${fields.join(", ")}`);
  parts.push(...sectionChanges("article", before.articles, after.articles));
  parts.push(...sectionChanges("annexe", before.annexes, after.annexes));
  return parts.length ? capital(parts.join(" ; ")) : "Aucune modification";
}

/** « 150000 » -> « 150 000 » for an amount input (ordinary spaces: easy to retype). */
export function montantInput(v: unknown): string {
  if (typeof v === "number" && Number.isFinite(v)) {
    const cents = Math.round(v * 100);
    const ent = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, " ");
    const dec = cents % 100;
    return dec === 0 ? ent : `${ent},${dec.toString().padStart(2, "0")}`;
  }
  return v == null ? "" : String(v);
}
