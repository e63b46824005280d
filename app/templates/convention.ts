/**
 * Convention templates: a frame (parties, visas, préambule, articles, signatures) followed by
 * default sections (`=== visa`, `=== preambule`, `=== article : Titre`, `=== annexe : Titre`).
 *
 * A draft created from a template keeps its own copy of every default section
 * (`createDraftFromTemplate`), so a rédacteur can change one convention's text without touching
 * the template; rendering (`buildConventionDocument`) uses the convention's own articles and only
 * the template's frame.
 */
import { conventionSchema, numeroArticle, REQUIS, titreArticle, type Convention, type ConventionInput } from "../domain/convention";
import type { Block, DocumentTree } from "./document";
import { renderTemplate, TemplateError, type EvalContext } from "./engine";
import { listConventionTemplates, type TemplateChoice } from "./files";

export interface TemplateSection {
  kind: "visa" | "preambule" | "article" | "annexe";
  titre?: string;
  body: string;
  /** 1-based line of the first body line in the template file. */
  line: number;
}

/** The `=== modele` section: « cle : valeur » lines describing the template. */
export interface TemplateInfo {
  titre: string;
  description: string;
  /** Raised by whoever changes the template; recorded in each draft created from it. */
  version: number;
  /** Frame options the rédacteur may choose per convention (e.g. « positionPreambule »). */
  options: string[];
  /** Optional parts this template needs (« financement », « echeancier », « dateFin »), copied into each draft. */
  requis: string[];
}

export interface ParsedTemplate {
  frame: string;
  sections: TemplateSection[];
  info: TemplateInfo;
}

const SECTION = /^===\s*(visa|preambule|préambule|article|annexe|modele|modèle)\s*(?::\s*(.*?))?\s*$/i;
export const TEMPLATE_OPTIONS = ["positionPreambule"] as const;

const templateFileCache = new Map<string, ParsedTemplate>();

/** Splits a template file into its frame and sections (cached by source; callers only read it). */
export function parseTemplateFile(source: string): ParsedTemplate {
  const hit = templateFileCache.get(source);
  if (hit) return hit;
  const parsed = parseTemplateFileUncached(source);
  if (templateFileCache.size >= 50) templateFileCache.clear();
  templateFileCache.set(source, parsed);
  return parsed;
}

function parseTemplateFileUncached(source: string): ParsedTemplate {
  const lines = source.split(/\r?\n/);
  const frame: string[] = [];
  const sections: TemplateSection[] = [];
  let cur: (TemplateSection & { lines: string[] }) | null = null;
  lines.forEach((line, i) => {
    const m = SECTION.exec(line);
    if (m) {
      if (cur) sections.push(cur);
      const kind = m[1].toLowerCase().replace(/[éè]/, "e") as TemplateSection["kind"] | "modele";
      if ((kind === "article" || kind === "annexe") && !m[2])
        throw new TemplateError(`une section « ${kind} » doit avoir un titre : === ${kind} : Titre`, i + 1, kind);
      cur = { kind: kind as TemplateSection["kind"], titre: m[2], body: "", line: i + 2, lines: [] };
    } else if (/^===/.test(line)) {
      throw new TemplateError("section inconnue (visa, preambule, article, annexe ou modele)", i + 1, line.replace(/^===\s*/, ""));
    } else if (cur) cur.lines.push(line);
    else frame.push(line);
  });
  if (cur) sections.push(cur);
  const all = (sections as (TemplateSection & { lines: string[] })[]).map(({ lines: l, ...s }) => ({ ...s, body: l.join("\n").trim() }));
  const meta = all.find((s) => (s.kind as string) === "modele");
  return { frame: frame.join("\n"), sections: all.filter((s) => s !== meta), info: parseInfo(meta) };
}

function parseInfo(meta: TemplateSection | undefined): TemplateInfo {
  const info: TemplateInfo = { titre: "", description: "", version: 1, options: [], requis: [] };
  if (!meta) return info;
  meta.body.split("\n").forEach((raw, k) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(titre|description|version|options|requis)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new TemplateError("ligne attendue « titre : … », « description : … », « version : … », « options : … » ou « requis : … »", meta.line + k, line);
    if (m[1] === "version") {
      if (!/^\d+$/.test(m[2])) throw new TemplateError("la version doit être un nombre entier", meta.line + k, m[2]);
      info.version = Number(m[2]);
    } else if (m[1] === "requis") {
      info.requis = m[2].split(/[,\s]+/).filter(Boolean);
      const bad = info.requis.find((o) => !(REQUIS as readonly string[]).includes(o));
      if (bad) throw new TemplateError(`partie requise inconnue (${REQUIS.join(", ")})`, meta.line + k, bad);
    } else if (m[1] === "options") {
      info.options = m[2].split(/[,\s]+/).filter(Boolean);
      const bad = info.options.find((o) => !(TEMPLATE_OPTIONS as readonly string[]).includes(o));
      if (bad) throw new TemplateError(`option inconnue (${TEMPLATE_OPTIONS.join(", ")})`, meta.line + k, bad);
    } else info[m[1] as "titre" | "description"] = m[2];
  });
  return info;
}

// Keys of the model, so an optional field left empty is not mistaken for an unknown placeholder.
function collectKeys(s: any, out: Set<string>, seen = new Set<unknown>()): Set<string> {
  if (!s || seen.has(s)) return out;
  seen.add(s);
  const def = s._zod?.def ?? s.def;
  switch (def?.type) {
    case "object":
      for (const [k, v] of Object.entries(def.shape)) {
        out.add(k);
        collectKeys(v, out, seen);
      }
      break;
    case "array":
      collectKeys(def.element, out, seen);
      break;
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      collectKeys(def.innerType, out, seen);
      break;
    case "pipe":
      collectKeys(def.in, out, seen);
      collectKeys(def.out, out, seen);
      break;
    case "union":
      for (const o of def.options) collectKeys(o, out, seen);
      break;
  }
  return out;
}

export const MODEL_KEYS: ReadonlySet<string> = collectKeys(conventionSchema, new Set(["boucle", "index", "premier", "dernier", "nombre", "article", "numero", "delegataire"]));

/** The template's title line of article n: « Article 1er » then the title in capitals on its own line, or one line. */
function articleHeading(c: Convention, n: number, titre: string): Block {
  if (c.numerotation === "article-er-ligne")
    return { type: "heading", level: 2, runs: [{ kind: "text", text: numeroArticle(c.numerotation, n) }], titleLine: [{ kind: "text", text: titre.toLocaleUpperCase("fr-FR") }] };
  return { type: "heading", level: 2, runs: [{ kind: "text", text: titreArticle(c.numerotation, n, titre) }] };
}

/** « Pièce jointe : Grille d'évaluation » / « Pièces jointes : 1. … ; 2. … », from the annexes. */
export function piecesJointes(annexes: readonly { titre: string }[]): string {
  if (annexes.length === 0) return "";
  if (annexes.length === 1) return `Pièce jointe : ${annexes[0].titre}`;
  return `Pièces jointes : ${annexes.map((a, i) => `annexe ${i + 1} – ${a.titre}`).join(" ; ")}`;
}

/**
 * New draft: the given data plus the template's default visas, préambule, articles and annexes
 * (copied, not referenced). Fields already present in `partial` win.
 */
export function createDraftFromTemplate(templateSource: string, partial: Partial<ConventionInput> = {}, modele = "convention"): Partial<ConventionInput> {
  const t = parseTemplateFile(templateSource);
  const of = (k: TemplateSection["kind"]) => t.sections.filter((s) => s.kind === k);
  return {
    modele,
    modeleVersion: t.info.version,
    requis: t.info.requis as ConventionInput["requis"],
    ...partial,
    visas: partial.visas ?? of("visa").map((s) => s.body),
    preambule: partial.preambule ?? of("preambule").map((s) => s.body).join("\n\n"),
    articles: partial.articles ?? of("article").map((s) => ({ titre: s.titre!, corps: s.body })),
    annexes: partial.annexes ?? of("annexe").map((s) => ({ titre: s.titre!, corps: s.body })),
  };
}

/** Template source + validated convention -> document tree (for the PDF and HTML renderers). */
export function buildConventionDocument(templateSource: string, c: Convention): DocumentTree {
  const t = parseTemplateFile(templateSource);
  const data = c as unknown as Record<string, unknown>;
  const sub = (src: string, source: string, scopes: Record<string, unknown>[] = []): Block[] =>
    renderTemplate(src, { data, knownKeys: MODEL_KEYS, source }, scopes);

  const directives: EvalContext["directives"] = {
    visas: () => c.visas.flatMap((v, i) => sub(v, `visas[${i}]`)),
    preambule: () => sub(c.preambule, "preambule"),
    articles: () =>
      c.articles.flatMap((a, i) => [
        articleHeading(c, i + 1, a.titre),
        ...sub(a.corps, `articles[${i}].corps`, [{ article: { numero: i + 1, titre: a.titre } }]),
      ]),
    annexes: () =>
      c.annexes.flatMap((a, i) => [
        { type: "pageBreak" } as Block,
        { type: "heading", level: 2, runs: [{ kind: "text", text: `Annexe ${c.annexes.length > 1 ? i + 1 + " " : ""}– ${a.titre}` }] } as Block,
        ...sub(a.corps, `annexes[${i}].corps`),
      ]),
    signatures: () => [
      {
        type: "signatures",
        blocks: c.signatures.map((s) => {
          const party = s.partie === "delegant" ? c.delegant : c.delegataires[s.indexDelegataire];
          return { partyLabel: s.libelle, organisation: party?.nom ?? s.libelle, name: s.nom, function: s.fonction, email: s.email };
        }),
      },
    ],
    saut_de_page: () => [{ type: "pageBreak" }],
    pieces_jointes: () => (c.annexes.length ? [{ type: "paragraph", runs: [{ kind: "text", text: piecesJointes(c.annexes) }] }] : []),
  };
  const blocks = renderTemplate(t.frame, { data, knownKeys: MODEL_KEYS, directives, source: "modèle" });
  const parties = [c.delegant, ...c.delegataires].map((p) => p.nom);
  const note = [c.reference && `Réf. ${c.reference}`, c.nor && `NOR ${c.nor}`].filter(Boolean).join(" – ");
  return {
    meta: {
      title: `${c.titre} – ${parties.join(" / ")}`,
      subject: "Convention de délégation de gestion (décret n° 2004-1085 du 14 octobre 2004)",
      author: c.delegant.nom,
      keywords: [...(c.financement ? [c.financement.uo] : []), ...(c.reference ? [c.reference] : []), ...(c.nor ? [c.nor] : [])],
      lang: "fr-FR",
    },
    blocMarque: true,
    ...(note ? { headerNote: note } : {}),
    blocks,
  };
}

/** Validates raw data (JSON or form) and builds the document; throws the zod error when invalid. */
export function buildDocumentFromData(templateSource: string, input: unknown): DocumentTree {
  return buildConventionDocument(templateSource, conventionSchema.parse(input));
}

/** Title, description and version of each convention template, for the creation form. */
export function conventionTemplates(): TemplateChoice[] {
  return listConventionTemplates((source) => {
    const { titre, description, version, options } = parseTemplateFile(source).info;
    return { titre, description, version, options };
  });
}
