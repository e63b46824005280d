/**
 * Differences between two versions of a convention (the initial act and the consolidated data
 * after each avenant): article by article, with the words added and removed; amount by amount in
 * the AE/CP schedule; and the fields that are not articles (dates, parties, services).
 *
 * Articles are compared as they read (their template fields evaluated with that version's data,
 * so a new end date shows in the article that prints it), or as typed when a text cannot be
 * evaluated. Articles are paired by identical text first, then, between two identical ones, by
 * title or by a shared vocabulary; the rest is added or deleted.
 */
import { formatDateLongue, formatEuros, type Convention, type Partie } from "./convention";
import type { Block, Run } from "../templates/document";
import { renderTemplate } from "../templates/engine";
import { MODEL_KEYS } from "../templates/convention";

export interface WordChange {
  op: "=" | "+" | "-";
  text: string;
}

export interface ArticleDiff {
  /** The article's number in the later version (in the earlier one for a deleted article). */
  numero: number;
  numeroAvant?: number;
  numeroApres?: number;
  titreAvant?: string;
  titreApres?: string;
  change: "ajoute" | "supprime" | "modifie" | "inchange";
  /** The article's text, word by word: kept « = », added « + », removed « - ». */
  words: WordChange[];
}

export interface AmountDiff {
  annee: number;
  aeAvant?: number;
  aeApres?: number;
  cpAvant?: number;
  cpApres?: number;
  change: "ajoute" | "supprime" | "modifie" | "inchange";
}

export interface FieldDiff {
  label: string;
  avant: string;
  apres: string;
}

export interface VersionDiff {
  articles: ArticleDiff[];
  amounts: AmountDiff[];
  fields: FieldDiff[];
}

/** Above this many cells the middle of two texts is shown as removed then added (bounded work). */
const LCS_MAX_CELLS = 4_000_000;

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

/** Words with the whitespace before them (so that the pieces join back into the text). */
function tokens(text: string): string[] {
  const t = text.match(/\s*\S+/g) ?? [];
  const tail = /\s+$/.exec(text);
  if (tail && t.length) t[t.length - 1] += tail[0];
  return t;
}

const wordCount = (s: string) => (s.match(/\S+/g) ?? []).length;

/**
 * Readable changes: an equality of one or two words between two changes (« de », « la ») is
 * counted as removed and added, then each run of changes reads as all its removed words followed
 * by all its added words (« - 28 février 2023 » « + 31 décembre 2024 »).
 */
function cleanup(ops: WordChange[]): WordChange[] {
  const spread: WordChange[] = ops.flatMap((o, k) =>
    o.op === "=" && k > 0 && k < ops.length - 1 && ops[k - 1].op !== "=" && ops[k + 1].op !== "=" && wordCount(o.text) <= 2
      ? [
          { op: "-", text: o.text },
          { op: "+", text: o.text },
        ]
      : [o],
  );
  const out: WordChange[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    push(out, "-", removed);
    push(out, "+", added);
    removed = added = "";
  };
  for (const o of spread) {
    if (o.op === "=") {
      flush();
      push(out, "=", o.text);
    } else if (o.op === "-") removed += o.text;
    else added += o.text;
  }
  flush();
  return out;
}

function push(out: WordChange[], op: WordChange["op"], text: string) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/**
 * Word-level diff: common prefix and suffix, then a longest common subsequence on the middle
 * (words compared without their spaces). Bounded: a middle larger than LCS_MAX_CELLS is replaced whole.
 */
export function diffWords(before: string, after: string): WordChange[] {
  const a = tokens(before);
  const b = tokens(after);
  const key = (t: string) => t.trim();
  let start = 0;
  while (start < a.length && start < b.length && key(a[start]) === key(b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && key(a[endA - 1]) === key(b[endB - 1])) {
    endA--;
    endB--;
  }
  const out: WordChange[] = [];
  push(out, "=", b.slice(0, start).join(""));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m > LCS_MAX_CELLS) {
    push(out, "-", midA.join(""));
    push(out, "+", midB.join(""));
  } else if (n > 0 || m > 0) {
    // lcs[i][j] = LCS length of midA[i..] and midB[j..], in one flat array.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] = key(midA[i]) === key(midB[j]) ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && key(midA[i]) === key(midB[j])) {
        push(out, "=", midB[j]);
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) push(out, "+", midB[j++]);
      else push(out, "-", midA[i++]);
    }
  }
  push(out, "=", b.slice(endB).join(""));
  return cleanup(out);
}

// ---------------------------------------------------------------------------------------------
// Articles as they read
// ---------------------------------------------------------------------------------------------

const plainRuns = (runs: Run[]) => runs.map((r) => (r.kind === "text" ? r.text : "")).join("");

function blocksText(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case "heading":
          return plainRuns(b.runs);
        case "paragraph":
          return plainRuns(b.runs);
        case "list":
          return b.items.map((it) => "– " + plainRuns(it)).join("\n");
        case "table":
          return [...b.header, ...b.rows].map((r) => r.map(plainRuns).join(" | ")).join("\n");
        default:
          return "";
      }
    })
    .filter(Boolean)
    .join("\n\n")
    .replace(/[\u00a0\u202f]/g, " ");
}

/** The article's text with its fields evaluated for that version (as typed if it cannot be). */
export function articleText(c: Convention, index: number): string {
  const a = c.articles[index];
  try {
    return blocksText(renderTemplate(a.corps, { data: c as unknown as Record<string, unknown>, knownKeys: MODEL_KEYS, source: `articles[${index}].corps` }, [{ article: { numero: index + 1, titre: a.titre } }]));
  } catch {
    return a.corps;
  }
}

function similarity(x: string, y: string): number {
  const wa = new Set(x.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const wb = new Set(y.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  if (wa.size === 0 && wb.size === 0) return 1;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return common / Math.max(wa.size, wb.size);
}

/** Pairs of article indexes (before, after); null on one side for a deleted or added article. */
function alignArticles(ta: { titre: string; text: string }[], tb: { titre: string; text: string }[]): [number | null, number | null][] {
  const n = ta.length;
  const m = tb.length;
  const same = (i: number, j: number) => ta[i].titre === tb[j].titre && ta[i].text === tb[j].text;
  // Anchors: longest common subsequence of identical articles (a few hundred at most).
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i * w + j] = same(i, j) ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  const anchors: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (same(i, j)) anchors.push([i++, j++]);
    else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) i++;
    else j++;
  }
  const out: [number | null, number | null][] = [];
  let pi = 0;
  let pj = 0;
  for (const [ai, aj] of [...anchors, [n, m] as [number, number]]) {
    // The gap before this anchor: pair by title, then by vocabulary, in order.
    const left = Array.from({ length: ai - pi }, (_, k) => pi + k);
    const right = Array.from({ length: aj - pj }, (_, k) => pj + k);
    let r = 0;
    for (const i of left) {
      let found = -1;
      for (let k = r; k < right.length; k++) {
        const j = right[k];
        if (ta[i].titre === tb[j].titre || similarity(ta[i].text, tb[j].text) >= 0.5) {
          found = k;
          break;
        }
      }
      if (found < 0) {
        out.push([i, null]);
        continue;
      }
      for (; r < found; r++) out.push([null, right[r]]);
      out.push([i, right[found]]);
      r = found + 1;
    }
    for (; r < right.length; r++) out.push([null, right[r]]);
    if (ai < n) out.push([ai, aj]);
    pi = ai + 1;
    pj = aj + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

const dateOr = (d: string | undefined, none: string) => (d ? formatDateLongue(d) : none);
const representant = (p: Partie) => [p.representant?.nom, p.representant?.fonction].filter(Boolean).join(", ");
const liste = (v: readonly string[]) => (v.length <= 1 ? v.join("") : `${v.slice(0, -1).join(", ")} et ${v[v.length - 1]}`);

function fieldsOf(c: Convention): [string, string][] {
  const out: [string, string][] = [
    ["Titre", c.titre],
    ["Référence", c.reference ?? ""],
    ["Prise d'effet", c.debut.regle === "date" ? `le ${formatDateLongue(c.debut.date)}` : "à la signature"],
    ["Date de fin", dateOr(c.dateFin, "durée indéterminée")],
    ["Reconduction tacite", c.reconductionTacite ? "oui" : "non"],
    ["Préavis", `${c.preavisMois} mois`],
    ["Services numériques", liste(c.services)],
    ["Code UO", c.financement?.uo ?? ""],
  ];
  const party = (label: string, p: Partie | undefined) => {
    out.push([`${label} — nom`, p?.nom ?? ""], [`${label} — adresse`, p?.adresse ?? ""], [`${label} — représentant`, p ? representant(p) : ""]);
  };
  party("Délégant", c.delegant);
  c.delegataires.forEach((d, i) => party(c.delegataires.length > 1 ? `Délégataire ${i + 1}` : "Délégataire", d));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------

export function diffVersions(a: Convention, b: Convention): VersionDiff {
  const ta = a.articles.map((x, i) => ({ titre: x.titre, text: articleText(a, i) }));
  const tb = b.articles.map((x, i) => ({ titre: x.titre, text: articleText(b, i) }));
  const articles: ArticleDiff[] = alignArticles(ta, tb).map(([i, j]) => {
    if (i === null) return { numero: j! + 1, numeroApres: j! + 1, titreApres: tb[j!].titre, change: "ajoute", words: [{ op: "+", text: tb[j!].text }] };
    if (j === null) return { numero: i + 1, numeroAvant: i + 1, titreAvant: ta[i].titre, change: "supprime", words: [{ op: "-", text: ta[i].text }] };
    const same = ta[i].titre === tb[j].titre && ta[i].text === tb[j].text;
    return {
      numero: j + 1,
      numeroAvant: i + 1,
      numeroApres: j + 1,
      titreAvant: ta[i].titre,
      titreApres: tb[j].titre,
      change: same ? "inchange" : "modifie",
      words: same ? [{ op: "=", text: tb[j].text }] : diffWords(ta[i].text, tb[j].text),
    };
  });

  const ya = new Map((a.financement?.echeancier ?? []).map((e) => [e.annee, e]));
  const yb = new Map((b.financement?.echeancier ?? []).map((e) => [e.annee, e]));
  const cents = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 100));
  const amounts: AmountDiff[] = [...new Set([...ya.keys(), ...yb.keys()])]
    .sort((x, y) => x - y)
    .map((annee) => {
      const x = ya.get(annee);
      const y = yb.get(annee);
      const change = !x ? "ajoute" : !y ? "supprime" : cents(x.ae) === cents(y.ae) && cents(x.cp) === cents(y.cp) ? "inchange" : "modifie";
      return { annee, ...(x ? { aeAvant: x.ae, cpAvant: x.cp } : {}), ...(y ? { aeApres: y.ae, cpApres: y.cp } : {}), change };
    });

  const fa = new Map(fieldsOf(a));
  const fb = new Map(fieldsOf(b));
  const fields: FieldDiff[] = [];
  for (const label of new Set([...fa.keys(), ...fb.keys()])) {
    const avant = fa.get(label) ?? "";
    const apres = fb.get(label) ?? "";
    if (avant !== apres) fields.push({ label, avant, apres });
  }
  return { articles, amounts, fields };
}

/** « 150 000 € » or « — » (for the history table). */
export const montantOuTiret = (v: number | undefined) => (v === undefined ? "—" : formatEuros(v));
