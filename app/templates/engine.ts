/**
 * Template engine: `{{ champ | filtre }}` placeholders, `{% si %}…{% sinon %}…{% fin %}`
 * conditions, `{% pour x dans liste %}…{% fin %}` loops and `{% directive %}` lines, over the
 * document markup of markup.ts. Syntax is documented in templates/README.md.
 *
 * Placeholder values never go through the markup parser: they are replaced by private-use
 * sentinels before parsing and put back as literal text afterwards, so « **» or « <script> » typed
 * into a field stays text.
 */
import { formatAlias, formatDateLongue, formatEuros, formatMontant, nombreEnLettres, terminaisonAccord } from "../domain/convention";
import type { Block } from "./document";
import { parseMarkup } from "./markup";

export class TemplateError extends Error {
  /** 1-based line in the template (or in the article body named by `source`). */
  line: number;
  /** The placeholder, filter or tag at fault. */
  name: string;
  source: string;
  constructor(message: string, line: number, name: string, source = "modèle") {
    super(`${source}, ligne ${line} : ${message} (${name})`);
    this.name = "TemplateError";
    this.line = line;
    this.source = source;
    // `name` is reserved by Error; keep the placeholder name in a dedicated own property.
    Object.defineProperty(this, "name", { value: name, enumerable: true, writable: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

type Node =
  | { t: "text"; value: string }
  | { t: "var"; expr: string; line: number }
  | { t: "if"; branches: { cond: string; body: Node[]; line: number }[]; otherwise: Node[] }
  | { t: "for"; name: string; list: string; body: Node[]; line: number }
  | { t: "directive"; name: string; line: number };

interface Token {
  kind: "text" | "var" | "tag";
  value: string;
  line: number;
}

function tokenize(src: string, source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
  let last = 0;
  let line = 1;
  const lineAt = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (src.charCodeAt(i) === 10) line++;
  };
  for (let m: RegExpExecArray | null; (m = re.exec(src)); ) {
    const text = src.slice(last, m.index);
    if (text) tokens.push({ kind: "text", value: text, line });
    lineAt(last, m.index);
    const tagLine = line;
    lineAt(m.index, re.lastIndex);
    if (m[1] !== undefined) tokens.push({ kind: "var", value: m[1].trim(), line: tagLine });
    else tokens.push({ kind: "tag", value: m[2].trim(), line: tagLine });
    last = re.lastIndex;
  }
  const rest = src.slice(last);
  // Unclosed delimiters are a syntax error, reported at their line.
  const open = /\{\{|\{%/.exec(rest);
  if (open) {
    lineAt(last, last + open.index);
    throw new TemplateError("balise non fermée", line, open[0], source);
  }
  if (rest) tokens.push({ kind: "text", value: rest, line });
  // A tag alone on its line takes the whole line (no blank line left behind). Decide for all
  // tags first, then strip, so consecutive tag lines are all recognised.
  const standalone = tokens.map((tok, i) => {
    if (tok.kind !== "tag") return false;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const before = !prev || (prev.kind === "text" && (i - 1 === 0 ? /(^|\n)[ \t]*$/ : /\n[ \t]*$/).test(prev.value));
    const after = !next || (next.kind === "text" && /^[ \t]*(\n|$)/.test(next.value));
    return before && after;
  });
  standalone.forEach((yes, i) => {
    if (!yes) return;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (prev) prev.value = prev.value.replace(/[ \t]*$/, "");
    if (next) next.value = next.value.replace(/^[ \t]*\n?/, "");
  });
  return tokens;
}

const DIRECTIVES = new Set(["visas", "preambule", "articles", "annexes", "signatures", "saut_de_page", "pieces_jointes", "texte_article"]);

// Parsed templates by (source name, text): a render re-evaluates the same sources (the template,
// the articles of a convention) again and again; nodes are never mutated by evaluation.
// Keyed by source name, then by the text itself (not a concatenation: a fresh key string would be
// hashed again on every lookup, while the text's own hash is computed once).
const parsedCache = new Map<string, Map<string, Node[]>>();
let parsedCount = 0;

export function parseTemplate(src: string, source = "modèle"): Node[] {
  let bySource = parsedCache.get(source);
  const hit = bySource?.get(src);
  if (hit) return hit;
  const nodes = parseTemplateUncached(src, source);
  if (parsedCount >= 500) {
    parsedCache.clear();
    parsedCount = 0;
    bySource = undefined;
  }
  if (!bySource) parsedCache.set(source, (bySource = new Map()));
  bySource.set(src, nodes);
  parsedCount++;
  return nodes;
}

function parseTemplateUncached(src: string, source: string): Node[] {
  const tokens = tokenize(src, source);
  let pos = 0;
  const parseUntil = (ends: string[]): { nodes: Node[]; end?: Token } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos++];
      // Private-use sentinels typed into a template would be taken for values: dropped once, here.
      if (tok.kind === "text") nodes.push({ t: "text", value: tok.value.replace(/[\uE000-\uE003]/g, "") });
      else if (tok.kind === "var") {
        if (!tok.value) throw new TemplateError("champ vide", tok.line, "{{ }}", source);
        nodes.push({ t: "var", expr: tok.value, line: tok.line });
      } else {
        const [kw, ...rest] = tok.value.split(/\s+/);
        const arg = rest.join(" ");
        if (ends.includes(kw)) return { nodes, end: tok };
        if (kw === "si") {
          if (!arg) throw new TemplateError("condition manquante après « si »", tok.line, "si", source);
          const branches = [{ cond: arg, body: [] as Node[], line: tok.line }];
          let otherwise: Node[] = [];
          for (;;) {
            const r = parseUntil(["sinon", "sinonsi", "fin"]);
            branches[branches.length - 1].body = r.nodes;
            if (!r.end) throw new TemplateError("« si » sans « fin »", tok.line, "si", source);
            const [ekw, ...erest] = r.end.value.split(/\s+/);
            if (ekw === "fin") break;
            if (ekw === "sinonsi") {
              branches.push({ cond: erest.join(" "), body: [], line: r.end.line });
              continue;
            }
            const r2 = parseUntil(["fin"]);
            if (!r2.end) throw new TemplateError("« sinon » sans « fin »", r.end.line, "sinon", source);
            otherwise = r2.nodes;
            break;
          }
          nodes.push({ t: "if", branches, otherwise });
        } else if (kw === "pour") {
          const m = /^([A-Za-z_]\w*)\s+dans\s+(.+)$/.exec(arg);
          if (!m) throw new TemplateError("forme attendue : {% pour x dans liste %}", tok.line, "pour", source);
          const r = parseUntil(["fin"]);
          if (!r.end) throw new TemplateError("« pour » sans « fin »", tok.line, "pour", source);
          nodes.push({ t: "for", name: m[1], list: m[2].trim(), body: r.nodes, line: tok.line });
        } else if (DIRECTIVES.has(kw) && !arg) {
          nodes.push({ t: "directive", name: kw, line: tok.line });
        } else {
          throw new TemplateError(ends.length ? "balise inattendue" : "balise inconnue", tok.line, kw, source);
        }
      }
    }
    return { nodes };
  };
  const r = parseUntil([]);
  return r.nodes;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

export interface EvalContext {
  data: Record<string, unknown>;
  /** Keys that exist in the model even when absent from the data (optional fields). */
  knownKeys: ReadonlySet<string>;
  /** Directive handlers: return blocks inserted in place of the directive line (`scopes`: the loops around it). */
  directives?: Partial<Record<string, (line: number, scopes: readonly Record<string, unknown>[]) => Block[]>>;
  source?: string;
}

type Scope = Record<string, unknown>;

const FILTERS: Record<string, (v: unknown) => unknown> = {
  montant: (v) => (typeof v === "number" ? formatMontant(v) : v),
  euros: (v) => (typeof v === "number" ? formatEuros(v) : v),
  date: (v) => (typeof v === "string" ? formatDateLongue(v) : v),
  lettres: (v) => (typeof v === "number" ? nombreEnLettres(v) : v),
  majuscules: (v) => (v == null ? v : String(v).toUpperCase()),
  minuscules: (v) => (v == null ? v : String(v).toLowerCase()),
  alias: (v) => (Array.isArray(v) ? formatAlias(v.map(String)) : v == null ? v : formatAlias([String(v)])),
  liste: (v) => {
    if (!Array.isArray(v)) return v;
    const s = v.map(String);
    return s.length <= 1 ? s.join("") : `${s.slice(0, -1).join(", ")} et ${s[s.length - 1]}`;
  },
  nombre: (v) => (Array.isArray(v) ? v.length : v),
  // Ending agreeing with a party or a list of parties: « Représenté{{ d | accord }} » -> « Représentée ».
  accord: (v) => (v != null && typeof v === "object" ? terminaisonAccord(v as Parameters<typeof terminaisonAccord>[0]) : ""),
  // An article number in running text: « l'article 1er », « l'article 7 ».
  er: (v) => (v === 1 || v === "1" ? "1er" : v),
};

export const FILTER_NAMES = Object.keys(FILTERS);

/** `champ | filtre | filtre` split once per distinct expression (template expressions repeat). */
const EXPR_PARTS = new Map<string, string[]>();

class Evaluator {
  values: string[] = [];
  blocks: Block[][] = [];
  constructor(private ctx: EvalContext) {}

  get source() {
    return this.ctx.source ?? "modèle";
  }

  resolve(path: string, scopes: Scope[], line: number): unknown {
    const str = /^"([^"]*)"$|^'([^']*)'$/.exec(path);
    if (str) return str[1] ?? str[2];
    if (/^-?\d+(\.\d+)?$/.test(path)) return Number(path);
    if (path === "vrai") return true;
    if (path === "faux") return false;
    if (!/^[A-Za-z_]\w*(\.\w+)*$/.test(path)) throw new TemplateError("champ mal formé", line, path, this.source);
    const segs = path.split(".");
    let cur: unknown;
    const scope = [...scopes].reverse().find((s) => segs[0] in s);
    if (scope) cur = scope[segs[0]];
    else if (segs[0] in this.ctx.data) cur = this.ctx.data[segs[0]];
    else if (this.ctx.knownKeys.has(segs[0])) cur = undefined;
    else throw new TemplateError("champ inconnu", line, path, this.source);
    for (const seg of segs.slice(1)) {
      if (cur != null && typeof cur === "object" && seg in (cur as object)) cur = (cur as Record<string, unknown>)[seg];
      else if (this.ctx.knownKeys.has(seg) || (Array.isArray(cur) && /^\d+$/.test(seg))) cur = undefined;
      else throw new TemplateError("champ inconnu", line, path, this.source);
    }
    return cur;
  }

  expr(expr: string, scopes: Scope[], line: number): unknown {
    let split = EXPR_PARTS.get(expr);
    if (!split) {
      split = expr.split("|").map((s) => s.trim());
      if (EXPR_PARTS.size >= 5000) EXPR_PARTS.clear();
      EXPR_PARTS.set(expr, split);
    }
    const [head, ...filters] = split;
    let v = this.resolve(head, scopes, line);
    for (const f of filters) {
      const fn = FILTERS[f];
      if (!fn) throw new TemplateError("filtre inconnu", line, f, this.source);
      v = fn(v);
    }
    return v;
  }

  cond(cond: string, scopes: Scope[], line: number): boolean {
    const ou = cond.split(/\s+ou\s+/);
    if (ou.length > 1) return ou.some((c) => this.cond(c, scopes, line));
    const et = cond.split(/\s+et\s+/);
    if (et.length > 1) return et.every((c) => this.cond(c, scopes, line));
    const neg = /^non\s+(.+)$/.exec(cond.trim());
    if (neg) return !this.cond(neg[1], scopes, line);
    const cmp = /^(.+?)\s*(==|!=|>=|<=|>|<)\s*(.+)$/.exec(cond.trim());
    if (cmp) {
      const a = this.expr(cmp[1], scopes, line) as any;
      const b = this.expr(cmp[3], scopes, line) as any;
      switch (cmp[2]) {
        case "==": return a == b;
        case "!=": return a != b;
        case ">": return a > b;
        case "<": return a < b;
        case ">=": return a >= b;
        default: return a <= b;
      }
    }
    const v = this.expr(cond.trim(), scopes, line);
    return Array.isArray(v) ? v.length > 0 : Boolean(v);
  }

  /** Expands nodes into markup text where values are sentinels \uE000n\uE001. */
  run(nodes: Node[], scopes: Scope[]): string {
    let out = "";
    for (const n of nodes) {
      switch (n.t) {
        case "text":
          out += n.value;
          break;
        case "var": {
          const v = this.expr(n.expr, scopes, n.line);
          const s = v == null ? "" : Array.isArray(v) ? v.map(String).join(", ") : typeof v === "object" ? "" : String(v);
          this.values.push(s);
          out += `\uE000${this.values.length - 1}\uE001`;
          break;
        }
        case "if": {
          const b = n.branches.find((br) => this.cond(br.cond, scopes, br.line));
          out += this.run(b ? b.body : n.otherwise, scopes);
          break;
        }
        case "for": {
          const list = this.expr(n.list, scopes, n.line);
          if (list != null && !Array.isArray(list)) throw new TemplateError("« pour » attend une liste", n.line, n.list, this.source);
          const arr = (list ?? []) as unknown[];
          arr.forEach((item, i) => {
            const boucle = { index: i + 1, premier: i === 0, dernier: i === arr.length - 1, nombre: arr.length };
            out += this.run(n.body, [...scopes, { [n.name]: item, boucle }]);
          });
          break;
        }
        case "directive": {
          const handler = this.ctx.directives?.[n.name];
          if (!handler) throw new TemplateError("directive non disponible ici", n.line, n.name, this.source);
          this.blocks.push(handler(n.line, scopes));
          out += `\n\n\uE002${this.blocks.length - 1}\uE003\n\n`;
          break;
        }
      }
    }
    return out;
  }
}

/** Evaluates template source against data and returns document blocks. */
export function renderTemplate(src: string, ctx: EvalContext, scopes: Scope[] = []): Block[] {
  const nodes = parseTemplate(src, ctx.source);
  const ev = new Evaluator(ctx);
  const text = ev.run(nodes, scopes);
  return parseMarkup(text, ev.values, ev.blocks);
}
