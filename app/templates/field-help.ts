/**
 * What the article editor's help panel lists, derived from what the engine accepts: the fields
 * from the convention model (its zod schema), the filters from the engine's own table, and
 * examples of blocks that the engine's tests render. Browser-safe (no template files).
 */
import { conventionSchema } from "../domain/convention";
import { fieldLabel } from "../domain/convention-draft";
import { FILTER_NAMES, renderTemplate } from "./engine";
import type { Block, Run } from "./document";

export type FieldHelp = { path: string; label: string; list: boolean; items: { name: string; label: string }[] };

/** Parts of the model that are the document's own text or its bookkeeping, not values to print in an article. */
const NOT_PRINTED = new Set(["modele", "modeleVersion", "requis", "visas", "preambule", "articles", "annexes", "positionPreambule", "numerotation"]);

type Def = { type?: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown; in?: unknown; out?: unknown; options?: unknown[] };
const defOf = (s: any): Def | undefined => s?._zod?.def ?? s?.def;

/** The schema under wrappers (optional, default, pipe…): an object, an array or a leaf. */
function unwrap(s: unknown): { kind: "object"; shape: Record<string, unknown> } | { kind: "array"; element: unknown } | { kind: "leaf" } {
  for (let cur = s, i = 0; cur && i < 20; i++) {
    const def = defOf(cur);
    switch (def?.type) {
      case "object":
        return { kind: "object", shape: def.shape ?? {} };
      case "array":
        return { kind: "array", element: def.element };
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "catch":
        cur = def.innerType;
        continue;
      case "pipe": {
        const inner = unwrap(def.in);
        cur = inner.kind === "leaf" ? def.out : def.in;
        if (inner.kind !== "leaf") return inner;
        continue;
      }
      case "union": {
        // A discriminated union of objects (debut: by signature or on a date): the fields of all its forms.
        const forms = (def.options ?? []).map(unwrap);
        if (forms.length && forms.every((f) => f.kind === "object"))
          return { kind: "object", shape: Object.assign({}, ...forms.map((f) => (f as { shape: Record<string, unknown> }).shape)) };
        return { kind: "leaf" };
      }
      default:
        return { kind: "leaf" };
    }
  }
  return { kind: "leaf" };
}

const listLabel = (path: string) => fieldLabel(`${path}[0]`).replace(/ 1$/, "");

/** Every value of the convention model an article may print, with its French label; lists with the fields of one item. */
export function templateFields(schema: unknown = conventionSchema): FieldHelp[] {
  const out: FieldHelp[] = [];
  const walk = (s: unknown, path: string) => {
    const node = unwrap(s);
    if (node.kind === "object") {
      for (const [key, child] of Object.entries(node.shape)) if (path || !NOT_PRINTED.has(key)) walk(child, path ? `${path}.${key}` : key);
    } else if (node.kind === "array") {
      const item = unwrap(node.element);
      const items = item.kind === "object" ? itemFields(item.shape, `${path}[0]`) : [];
      out.push({ path, label: listLabel(path), list: true, items });
    } else out.push({ path, label: fieldLabel(path), list: false, items: [] });
  };
  walk(schema, "");
  return out;
}

function itemFields(shape: Record<string, unknown>, prefix: string): { name: string; label: string }[] {
  return Object.entries(shape).flatMap(([key, child]) => {
    const node = unwrap(child);
    if (node.kind === "object") return itemFields(node.shape, `${prefix}.${key}`).map((f) => ({ name: `${key}.${f.name}`, label: f.label }));
    return [{ name: key, label: fieldLabel(`${prefix}.${key}`).split(" — ").slice(-1)[0] }];
  });
}

/** Every key of the model, so an optional field left empty is not taken for an unknown one (as the renderer's MODEL_KEYS). */
export function modelKeys(schema: unknown = conventionSchema): ReadonlySet<string> {
  const keys = new Set<string>(["boucle", "index", "premier", "dernier", "nombre", "article", "numero"]);
  const walk = (s: unknown) => {
    const node = unwrap(s);
    if (node.kind === "object")
      for (const [key, child] of Object.entries(node.shape)) {
        keys.add(key);
        walk(child);
      }
    else if (node.kind === "array") walk(node.element);
  };
  walk(schema);
  return keys;
}

/** What each of the engine's filters does, in French, with an example over the draft's own data. */
export const FILTER_HELP: Record<string, { aide: string; exemple: string }> = {
  montant: { aide: "un nombre en montant, les milliers séparés", exemple: "{% pour e dans financement.echeancier %}{{ e.ae | montant }} {% fin %}" },
  euros: { aide: "un montant suivi de « € »", exemple: "{% pour e dans financement.echeancier %}{{ e.cp | euros }} {% fin %}" },
  date: { aide: "une date en toutes lettres", exemple: "{{ dateFin | date }}" },
  lettres: { aide: "un nombre écrit en lettres", exemple: "{{ preavisMois | lettres }}" },
  majuscules: { aide: "le texte en capitales", exemple: "{{ lieuSignature | majuscules }}" },
  minuscules: { aide: "le texte en minuscules", exemple: "{{ delegant.nom | minuscules }}" },
  alias: { aide: "les dénominations d'une partie (« ci-après … »)", exemple: "{{ delegant.alias | alias }}" },
  liste: { aide: "une liste en une phrase : « A, B et C »", exemple: "{{ services | liste }}" },
  nombre: { aide: "le nombre d'éléments d'une liste", exemple: "{{ financement.echeancier | nombre }}" },
  accord: { aide: "la terminaison qui s'accorde avec une partie (e, s, es)", exemple: "représenté{{ delegant | accord }}" },
  er: { aide: "un numéro d'article dans le texte : « 1er », « 7 »", exemple: "l'article {{ article.numero | er }}" },
};

/** Conditions and repetitions, as the engine reads them. */
export const BLOCK_HELP: { syntaxe: string; aide: string; exemple: string }[] = [
  {
    syntaxe: "{% si champ %}…{% sinon %}…{% fin %}",
    aide: "imprime un texte selon une condition ; « non », « et », « ou », « == », « != », « > », « < » ; « {% sinonsi … %} » enchaîne une autre condition",
    exemple: "{% si dateFin %}jusqu'au {{ dateFin | date }}{% sinon %}pour une durée indéterminée{% fin %}",
  },
  {
    syntaxe: '{% si debut.regle == "date" %}…{% fin %}',
    aide: "compare un champ à une valeur écrite entre guillemets",
    exemple: '{% si debut.regle == "date" %}le {{ debut.date | date }}{% sinon %}à sa date de signature{% fin %}',
  },
  {
    syntaxe: "{% pour x dans liste %}…{% fin %}",
    aide: "répète un texte pour chaque élément d'une liste ; dans la boucle : boucle.index (1, 2…), boucle.premier, boucle.dernier, boucle.nombre",
    exemple: "{% pour d dans delegataires %}{{ d.nom }}{% si non boucle.dernier %}, {% fin %}{% fin %}",
  },
];

export { FILTER_NAMES };

const runsText = (runs: Run[]): string => runs.map((r) => (r.kind === "text" ? r.text : "")).join("");
function blocksText(blocks: Block[]): string {
  return blocks
    .map((b) => ("runs" in b && Array.isArray(b.runs) ? runsText(b.runs as Run[]) : "items" in b && Array.isArray(b.items) ? (b.items as Run[][]).map(runsText).join(" ; ") : ""))
    .filter(Boolean)
    .join(" ");
}

/** A snippet rendered with the draft's data, as plain text (« — » when it prints nothing, the engine's message when it is wrong). */
export function exampleWith(snippet: string, data: Record<string, unknown>, keys: ReadonlySet<string>, scope: Record<string, unknown> = { article: { numero: 1, titre: "" } }): string {
  try {
    const text = blocksText(renderTemplate(snippet, { data, knownKeys: keys, source: "exemple" }, [scope])).trim();
    return text || "—";
  } catch (error) {
    return `erreur : ${(error as Error).message}`;
  }
}
