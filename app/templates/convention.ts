/**
 * Convention templates: a frame (parties, visas, préambule, articles, signatures) followed by
 * default sections (`=== visa`, `=== preambule`, `=== article : Titre`, `=== annexe : Titre`).
 *
 * A draft created from a template keeps its own copy of every default section
 * (`createDraftFromTemplate`), so a rédacteur can change one convention's text without touching
 * the template; rendering (`buildConventionDocument`) uses the convention's own articles and only
 * the template's frame.
 */
import { conventionSchema, titreArticle, type Convention, type ConventionInput } from "../domain/convention";
import type { Block, DocumentTree } from "./document";
import { renderTemplate, TemplateError, type EvalContext } from "./engine";

export interface TemplateSection {
  kind: "visa" | "preambule" | "article" | "annexe";
  titre?: string;
  body: string;
  /** 1-based line of the first body line in the template file. */
  line: number;
}

export interface ParsedTemplate {
  frame: string;
  sections: TemplateSection[];
}

const SECTION = /^===\s*(visa|preambule|préambule|article|annexe)\s*(?::\s*(.*?))?\s*$/i;

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
      const kind = m[1].toLowerCase().replace("é", "e") as TemplateSection["kind"];
      if ((kind === "article" || kind === "annexe") && !m[2])
        throw new TemplateError(`une section « ${kind} » doit avoir un titre : === ${kind} : Titre`, i + 1, kind);
      cur = { kind, titre: m[2], body: "", line: i + 2, lines: [] };
    } else if (/^===/.test(line)) {
      throw new TemplateError("section inconnue (visa, preambule, article ou annexe)", i + 1, line.replace(/^===\s*/, ""));
    } else if (cur) cur.lines.push(line);
    else frame.push(line);
  });
  if (cur) sections.push(cur);
  return {
    frame: frame.join("\n"),
    sections: (sections as (TemplateSection & { lines: string[] })[]).map(({ lines: l, ...s }) => ({ ...s, body: l.join("\n").trim() })),
  };
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

/**
 * New draft: the given data plus the template's default visas, préambule, articles and annexes
 * (copied, not referenced). Fields already present in `partial` win.
 */
export function createDraftFromTemplate(templateSource: string, partial: Partial<ConventionInput> = {}, modele = "convention"): Partial<ConventionInput> {
  const t = parseTemplateFile(templateSource);
  const of = (k: TemplateSection["kind"]) => t.sections.filter((s) => s.kind === k);
  return {
    modele,
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
        { type: "heading", level: 2, runs: [{ kind: "text", text: titreArticle(c.numerotation, i + 1, a.titre) }] } as Block,
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
