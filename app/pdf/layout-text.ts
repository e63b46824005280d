/**
 * Text measurement and line breaking. Words are measured from a per-process advance-width table
 * (no shaping per line: Marianne needs no shaping for French), which is what makes rendering fast.
 */
import { FONT_STYLES, loadFont, type FontStyle, type LoadedFont } from "./fonts/marianne";
import { frenchSpacing, type Run, type TextRun } from "../templates/document";

export interface Metrics {
  font: LoadedFont;
  /** BMP code point -> glyph id (0 = missing). */
  glyph: Uint16Array;
  /** glyph id -> 4 hex digits, for content streams. */
  hex: string[];
  /** glyph id -> advance / unitsPerEm. */
  adv: Float32Array;
  used: Uint8Array;
  /**
   * glyph id -> its 2-byte code as it appears in a PDF literal string, at [4 * id], escaped
   * (« ( » « ) » « \\ » and CR), `litLen[id]` bytes long (2 to 4).
   */
  litBytes: Uint8Array;
  litLen: Uint8Array;
  /** glyph id -> advance in 1/1000 em, rounded: the /W widths viewers advance by. */
  w1000: Int32Array;
  /** Glyph drawn for characters outside the repertoire (« ? »). */
  fallback: number;
}

let metricsCache: Record<FontStyle, Metrics> | null = null;

/** Parses fonts and builds the lookup tables once per process. */
export function getMetrics(): Record<FontStyle, Metrics> {
  if (metricsCache) return metricsCache;
  const out = {} as Record<FontStyle, Metrics>;
  for (const style of FONT_STYLES) {
    const font = loadFont(style);
    const glyph = new Uint16Array(0x10000);
    for (const [cp, g] of font.glyphOf) if (cp < 0x10000) glyph[cp] = g;
    // Fallbacks keep text readable when a character is outside the repertoire.
    const q = font.glyphOf.get(0x3f) ?? 0;
    for (const [from, to] of [[0x202f, 0xa0], [0x2009, 0x20], [0x200a, 0x20], [0x2007, 0x20], [0x2011, 0x2d], [0x9, 0x20]] as const) {
      if (!glyph[from]) glyph[from] = font.glyphOf.get(to) ?? q;
    }
    const hex = Array.from(font.advance, (_, g) => g.toString(16).padStart(4, "0"));
    const adv = Float32Array.from(font.advance, (a) => a / font.unitsPerEm);
    const scale = 1000 / font.unitsPerEm;
    const w1000 = Int32Array.from(font.advance, (a) => Math.round(a * scale));
    glyph[0] = 0;
    // Unknown characters: « ? » rather than an invisible .notdef.
    out[style] = { font, glyph, hex, adv, used: new Uint8Array(font.advance.length), fallback: q, w1000, ...literalCodes(font.advance.length) };
  }
  metricsCache = out;
  return out;
}

function literalCodes(n: number): { litBytes: Uint8Array; litLen: Uint8Array } {
  const litBytes = new Uint8Array(4 * n);
  const litLen = new Uint8Array(n);
  for (let g = 0; g < n; g++) {
    let k = 4 * g;
    for (const b of [g >> 8, g & 0xff]) {
      if (b === 0x28 || b === 0x29 || b === 0x5c) litBytes[k++] = 0x5c;
      if (b === 0x0d) {
        litBytes[k++] = 0x5c;
        litBytes[k++] = 0x72; // \r: a raw CR would be read as a line feed
      } else litBytes[k++] = b;
    }
    litLen[g] = k - 4 * g;
  }
  return { litBytes, litLen };
}

export function glyphId(m: Metrics, cp: number): number {
  const g = cp < 0x10000 ? m.glyph[cp] : 0;
  return g || m.fallback;
}

/** Width in points of a string. */
export function measure(m: Metrics, s: string, size: number): number {
  const adv = m.adv;
  const glyph = m.glyph;
  const fb = m.fallback;
  let w = 0;
  // charCodeAt is a UTF-16 code unit, always < 0x10000.
  for (let i = 0; i < s.length; i++) w += adv[glyph[s.charCodeAt(i)] || fb];
  return w * size;
}

export function styleOf(r: { bold?: boolean; italic?: boolean }, baseBold = false): FontStyle {
  const b = r.bold || baseBold;
  return b ? (r.italic ? "bolditalic" : "bold") : r.italic ? "italic" : "regular";
}

export interface Frag {
  text: string;
  style: FontStyle;
  size: number;
  width: number;
  href?: string;
}

export interface Word {
  frags: Frag[];
  width: number;
  /** Width of the space that follows (0 when the word ends the paragraph). */
  space: number;
  footnotes: number[];
}

export interface Line {
  words: Word[];
  width: number;
  last: boolean;
  footnotes: number[];
}

export interface PendingFootnote {
  number: number;
  runs: TextRun[];
}

const SUP: Record<string, string> = { "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3", "4": "\u2074", "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079" };
export const superscript = (n: number) => String(n).replace(/\d/g, (d) => SUP[d]);

export interface RunStyle {
  size: number;
  bold?: boolean;
}

/** Shared by the words and lines without footnotes (most of them): never mutated, only replaced. */
const NO_NOTES: number[] = [];

const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Splits runs into words (a word may span several runs, e.g. « ANSSI¹ »). Footnote runs become
 * superscript markers numbered by `nextFootnote` and are reported through `notes`.
 */
export function toWords(runs: Run[], st: RunStyle, notes: PendingFootnote[], nextFootnote: () => number): Word[] {
  const M = getMetrics();
  const words: Word[] = [];
  let cur: Word | null = null;
  const push = (text: string, style: FontStyle, href?: string) => {
    const m = M[style];
    const width = measure(m, text, st.size);
    cur ??= { frags: [], width: 0, space: 0, footnotes: NO_NOTES };
    const last = cur.frags[cur.frags.length - 1];
    if (last && last.style === style && last.href === href) {
      last.text += text;
      last.width += width;
    } else cur.frags.push({ text, style, size: st.size, width, href });
    cur.width += width;
  };
  const end = (space: boolean) => {
    if (!cur) return;
    const lastFrag = cur.frags[cur.frags.length - 1];
    cur.space = space ? measure(M[lastFrag.style], " ", st.size) : 0;
    words.push(cur);
    cur = null;
  };
  for (const r of frenchSpacing(runs)) {
    if (r.kind === "footnote") {
      const n = nextFootnote();
      notes.push({ number: n, runs: r.runs });
      push(superscript(n), styleOf({}, st.bold));
      cur!.footnotes = [...cur!.footnotes, n];
      continue;
    }
    const style = styleOf(r, st.bold);
    // Words and runs of spaces, tabs and newlines (a scan, not a regex split: this is hot).
    const t = r.text;
    const len = t.length;
    let i = 0;
    while (i < len) {
      if (isBlank(t.charCodeAt(i))) {
        i++;
        while (i < len && isBlank(t.charCodeAt(i))) i++;
        end(true);
        continue;
      }
      const from = i;
      i++;
      while (i < len && !isBlank(t.charCodeAt(i))) i++;
      const p = from === 0 && i === len ? t : t.slice(from, i);
      if (p.length > 24 && p.includes("/")) {
        // Long URLs and paths may break after a slash (a zero-width join, not a space).
        const pieces = p.split(/(?<=[^/]\/)(?!\/)/);
        pieces.forEach((piece, k) => {
          push(piece, style, r.href);
          if (k < pieces.length - 1) end(false);
        });
      } else push(p, style, r.href);
    }
  }
  end(false);
  // A trailing space of the last word is not needed.
  if (words.length) words[words.length - 1].space = 0;
  return words;
}

/** Splits a word wider than the line into pieces that fit (URLs, 10,000 characters without spaces). */
function splitWord(w: Word, max: number): Word[] {
  const M = getMetrics();
  const out: Word[] = [];
  let cur: Word = { frags: [], width: 0, space: 0, footnotes: [] };
  for (const f of w.frags) {
    const m = M[f.style];
    let buf = "";
    let bw = 0;
    for (const ch of f.text) {
      const cw = measure(m, ch, f.size);
      if (cur.width + bw + cw > max && (buf || cur.frags.length)) {
        if (buf) cur.frags.push({ ...f, text: buf, width: bw });
        cur.width += bw;
        out.push(cur);
        cur = { frags: [], width: 0, space: 0, footnotes: [] };
        buf = "";
        bw = 0;
      }
      buf += ch;
      bw += cw;
    }
    if (buf) {
      cur.frags.push({ ...f, text: buf, width: bw });
      cur.width += bw;
    }
  }
  cur.space = w.space;
  cur.footnotes = w.footnotes;
  out.push(cur);
  return out;
}

/** Greedy line breaking (what word processors do); justification happens when drawing. */
export function breakLines(words: Word[], max: number): Line[] {
  const lines: Line[] = [];
  let cur: Word[] = [];
  let width = 0;
  const flush = (last: boolean) => {
    if (!cur.length) return;
    let footnotes = NO_NOTES;
    for (const w of cur) if (w.footnotes.length) footnotes = footnotes.concat(w.footnotes);
    lines.push({ words: cur, width, last, footnotes });
    cur = [];
    width = 0;
  };
  const add = (w: Word) => {
    const prevSpace = cur.length ? cur[cur.length - 1].space : 0;
    if (cur.length && width + prevSpace + w.width > max) flush(false);
    width += (cur.length ? cur[cur.length - 1].space : 0) + w.width;
    cur.push(w);
  };
  for (const w0 of words) {
    if (w0.width > max) for (const w of splitWord(w0, max)) add(w);
    else add(w0);
  }
  flush(true);
  return lines;
}
