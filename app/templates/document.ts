/**
 * The document tree produced by the template engine. One tree feeds both the PDF renderer
 * (app/pdf/rendering/render.ts) and the HTML renderer (app/pdf/rendering/render-html.ts). All strings are literal
 * text: renderers never interpret markup or HTML found in them.
 */

export interface TextRun {
  kind: "text";
  text: string;
  bold?: boolean;
  italic?: boolean;
  href?: string;
}

/** A footnote: the renderer numbers it, prints a superscript marker and the note at page bottom. */
export interface FootnoteRun {
  kind: "footnote";
  runs: TextRun[];
}

export type Run = TextRun | FootnoteRun;

export type Align = "justify" | "left" | "center" | "right";

export interface HeadingBlock {
  type: "heading";
  /**
   * 1 = document title, 2 = article, 3 = sub-section, 4 = run-in sub-heading (« Contexte. » in
   * bold, followed on the same line by the next paragraph's text).
   */
  level: 1 | 2 | 3 | 4;
  runs: Run[];
  /** A second line of the heading: the article's title under « Article 1er ». */
  titleLine?: Run[];
}

export interface ParagraphBlock {
  type: "paragraph";
  runs: Run[];
  align?: Align;
}

export interface ListBlock {
  type: "list";
  items: Run[][];
}

export interface TableBlock {
  type: "table";
  /** Rows repeated at the top of every page the table spans. */
  header: Run[][][];
  rows: Run[][][];
  /** Relative column widths. */
  widths?: number[];
  /** Column alignment (numbers right-aligned). */
  aligns?: Align[];
}

export interface SignatoryBlock {
  /** « Le Ministère de la Justice, » */
  partyLabel: string;
  organisation: string;
  name: string;
  function?: string;
  email?: string;
}

export interface SignaturesBlock {
  type: "signatures";
  blocks: SignatoryBlock[];
}

export interface PageBreakBlock {
  type: "pageBreak";
}

export type Block = HeadingBlock | ParagraphBlock | ListBlock | TableBlock | SignaturesBlock | PageBreakBlock;

export interface DocumentMeta {
  title: string;
  subject?: string;
  author?: string;
  keywords?: string[];
  /** BCP 47, « fr-FR » by default. */
  lang?: string;
}

export interface DocumentTree {
  meta: DocumentMeta;
  /** Print the « RÉPUBLIQUE FRANÇAISE » bloc-marque at the top of page 1. */
  blocMarque?: boolean;
  /** Small text under the bloc-marque, e.g. the reference number / NOR. */
  headerNote?: string;
  blocks: Block[];
}

export const text = (t: string, opts: Omit<TextRun, "kind" | "text"> = {}): TextRun => ({ kind: "text", text: t, ...opts });

/** Plain text of runs (footnotes excluded), for tests and summaries. */
export function runsToPlain(runs: Run[]): string {
  return runs.map((r) => (r.kind === "text" ? r.text : "")).join("");
}

/**
 * French typography: the space before « : ; ! ? » and inside « » becomes non-breaking, across run
 * boundaries too. Only existing spaces are changed (« https://… » is untouched).
 */
const FRENCH_PUNCT = /[:;!?«»]/;
// Spaces before the punctuation (a lookahead, so a plain replacement string: cheaper than « $1 »).
const SPACES_BEFORE = /[ \u202f]+(?=[:;!?»])/g;
const SPACES_AFTER_GUILLEMET = /«[ \u202f]+/g;

// Every rule below joins a digit and an ordinary space: runs without both are left alone.
const DIGIT = / \d|\d /;
// « n° 12 », « art. 5 », « p. 3 »: the abbreviation stays with its number.
const ABBREVIATION_SPACE = /(?<![\p{L}\p{N}])(n°|N°|nos|art\.|p\.|pp\.) +(?=\d)/gu;
// « 150 000 », « 1 234 567 »: groups of three digits stay together; « 25 000 € » with its unit.
const GROUP_SPACE = /(?<=\d) (?=\d{3}(?!\d))/g;
const CURRENCY_SPACE = /(?<=\d) +(?=€|euros?\b|EUR\b)/g;
// « 14 mars 2023 », « 1er janvier 2024 »: a date is not cut.
const DATE = /\b(\d{1,2}|1er) +(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) +(?=\d{4}\b)/g;

/** Non-breaking spaces inside numbers, amounts and dates, and after « n° », « art. », « p. ». */
export function keepNumbersTogether(text: string): string {
  return text
    .replace(ABBREVIATION_SPACE, "$1\u00a0")
    .replace(GROUP_SPACE, "\u00a0")
    .replace(CURRENCY_SPACE, "\u00a0")
    .replace(DATE, "$1\u00a0$2\u00a0");
}

/** Returns `runs` itself when nothing changes, otherwise a copy (runs are never mutated). */
export function frenchSpacing(runs: Run[]): Run[] {
  let out = runs;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (r.kind !== "text") continue;
    // Most runs hold neither « : ; ! ? « » » nor a digit: two tests instead of replacements and a copy.
    const punct = FRENCH_PUNCT.test(r.text);
    const digit = DIGIT.test(r.text);
    if (!punct && !digit) continue;
    let text = digit ? keepNumbersTogether(r.text) : r.text;
    if (!punct) {
      if (text === r.text) continue;
      if (out === runs) out = runs.slice();
      out[i] = { ...r, text };
      continue;
    }
    text = text.replace(SPACES_BEFORE, "\u00a0");
    if (text.includes("«")) text = text.replace(SPACES_AFTER_GUILLEMET, "«\u00a0");
    if (out === runs) out = runs.slice();
    out[i] = { ...r, text };
  }
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i];
    const b = out[i + 1];
    if (a.kind !== "text" || b.kind !== "text") continue;
    // endsWith/startsWith rather than anchored regexes, which scan the whole run.
    if (a.text.endsWith(" ") && b.text.length > 0 && ":;!?»".includes(b.text[0])) {
      if (out === runs) out = runs.slice();
      out[i] = { ...a, text: a.text.replace(/ +$/, "\u00a0") };
    }
    if (a.text.endsWith("«") && b.text.startsWith(" ")) {
      if (out === runs) out = runs.slice();
      out[i + 1] = { ...b, text: b.text.replace(/^ +/, "\u00a0") };
    }
  }
  return out;
}
