/**
 * Text measurement and line breaking. Words are measured from a per-process advance-width table
 * (no shaping per line: Marianne needs no shaping for French), which is what makes rendering fast.
 */
import { FONT_STYLES, loadFont, type FontStyle, type LoadedFont } from "./fonts/marianne";
import { frenchSpacing, type Run, type TextRun } from "../../templates/document";

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
  /** Where the glyph ids of `text` (one per UTF-16 unit) start in `glyphArena.ids`. */
  at: number;
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

/**
 * Glyph ids of the text laid out by the current render, in layout order: words are looked up once,
 * when measured, and drawing copies ids instead of looking characters up again. Reset by each
 * render (renders run start to finish without awaiting, so they never share it).
 */
export const glyphArena = { ids: new Uint16Array(16384), len: 0 };

export function resetGlyphArena() {
  glyphArena.len = 0;
  // Don't keep the room a very long document needed.
  if (glyphArena.ids.length > 1 << 20) glyphArena.ids = new Uint16Array(16384);
}

/** Makes room for `n` more ids; returns the array to write to. */
function arenaRoom(n: number): Uint16Array {
  const a = glyphArena;
  if (a.len + n > a.ids.length) {
    let size = a.ids.length * 2;
    while (size < a.len + n) size *= 2;
    const ids = new Uint16Array(size);
    ids.set(a.ids.subarray(0, a.len));
    a.ids = ids;
  }
  return a.ids;
}

/** Appends the glyph ids of `text`; returns where they start. */
function arenaWrite(m: Metrics, text: string): number {
  const ids = arenaRoom(text.length);
  const at = glyphArena.len;
  for (let i = 0; i < text.length; i++) ids[at + i] = glyphId(m, text.charCodeAt(i));
  glyphArena.len = at + text.length;
  return at;
}

/** Copies `n` ids from `from` to the end of the arena; returns where they start. */
function arenaCopy(from: number, n: number): number {
  const ids = arenaRoom(n);
  const at = glyphArena.len;
  ids.copyWithin(at, from, from + n);
  glyphArena.len = at + n;
  return at;
}

/** Shared by the words and lines without footnotes (most of them): never mutated, only replaced. */
const NO_NOTES: number[] = [];

const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The same text as a flat (sequential or sliced) string. Template output is mostly rope strings
 * (concatenations), on which V8's optimized charCodeAt is several times slower; copying once is
 * cheaper than scanning the rope, and the words sliced from the copy are flat too.
 */
function flat(t: string): string {
  return t.length < 2 ? t : (" " + t).slice(1);
}

/** Appends `text` to the word being built (a new one when `cur` is null) and returns that word. */
function pushText(cur: Word | null, m: Metrics, text: string, at: number, style: FontStyle, size: number, href: string | undefined): Word {
  return pushMeasured(cur, text, measure(m, text, size), at, style, size, href);
}

/** `pushText` for a text already measured (`width` is `measure(m, text, size)`). */
function pushMeasured(cur: Word | null, text: string, width: number, at: number, style: FontStyle, size: number, href: string | undefined): Word {
  // A new word: a one-element array literal (a push onto [] would allocate room for 17).
  if (cur === null) return { frags: [{ text, at, style, size, width, href }], width, space: 0, footnotes: NO_NOTES };
  const frags = cur.frags;
  const last = frags.length ? frags[frags.length - 1] : undefined;
  if (last && last.style === style && last.href === href) {
    // The ids of both parts must follow each other in the arena (they do when written in order).
    if (last.at + last.text.length !== at) {
      last.at = arenaCopy(last.at, last.text.length);
      arenaCopy(at, text.length);
    }
    last.text += text;
    last.width += width;
  } else frags.push({ text, at, style, size, width, href });
  cur.width += width;
  return cur;
}

/**
 * Closes the word being built (if any): records the width of the space that follows it, in the
 * font of its last fragment (`lastM`).
 */
function endWord(words: Word[], cur: Word | null, lastM: Metrics, space: boolean, size: number): null {
  if (cur === null) return null;
  // measure(lastM, " ", size), without the call.
  cur.space = space ? lastM.adv[lastM.glyph[32] || lastM.fallback] * size : 0;
  words.push(cur);
  return null;
}

/**
 * Splits runs into words (a word may span several runs, e.g. « ANSSI¹ »). Footnote runs become
 * superscript markers numbered by `nextFootnote` and are reported through `notes`.
 */
// No closures in here: tsx/esbuild (keepNames) names every closure created per call, which costs.
export function toWords(runs: Run[], st: RunStyle, notes: PendingFootnote[], nextFootnote: () => number): Word[] {
  const M = getMetrics();
  const size = st.size;
  const words: Word[] = [];
  let cur: Word | null = null;
  // Metrics of the last fragment pushed (the font of the space after the word).
  let lastM = M.regular;
  const rs = frenchSpacing(runs);
  for (let ri = 0; ri < rs.length; ri++) {
    const r = rs[ri];
    if (r.kind === "footnote") {
      const n = nextFootnote();
      notes.push({ number: n, runs: r.runs });
      const fs = styleOf({}, st.bold);
      lastM = M[fs];
      const sup = superscript(n);
      cur = pushText(cur, lastM, sup, arenaWrite(lastM, sup), fs, size, undefined);
      cur.footnotes = [...cur.footnotes, n];
      continue;
    }
    const style = styleOf(r, st.bold);
    const m = M[style];
    const adv = m.adv;
    const glyph = m.glyph;
    const fb = m.fallback;
    const href = r.href;
    // Words and runs of spaces, tabs and newlines (a scan, not a regex split: this is hot). Words
    // are measured during the scan, exactly as `measure` would (same additions in the same order).
    const t = flat(r.text);
    const len = t.length;
    let ids = arenaRoom(len);
    let i = 0;
    while (i < len) {
      let c = t.charCodeAt(i);
      if (c <= 32 && isBlank(c)) {
        i++;
        while (i < len && isBlank(t.charCodeAt(i))) i++;
        cur = endWord(words, cur, lastM, true, size);
        continue;
      }
      const from = i;
      const at = glyphArena.len;
      let n = at;
      let w = 0;
      for (;;) {
        const g = glyph[c] || fb;
        ids[n++] = g;
        w += adv[g];
        if (++i >= len) break;
        c = t.charCodeAt(i);
        if (c <= 32 && isBlank(c)) break;
      }
      glyphArena.len = n;
      const p = from === 0 && i === len ? t : t.slice(from, i);
      lastM = m;
      if (p.length <= 24 || !p.includes("/")) cur = pushMeasured(cur, p, w * size, at, style, size, href);
      else {
        // Long URLs and paths may break after a slash (a zero-width join, not a space).
        const pieces = p.split(/(?<=[^/]\/)(?!\/)/);
        let pos = at;
        for (let k = 0; k < pieces.length; k++) {
          cur = pushText(cur, m, pieces[k], pos, style, size, href);
          pos += pieces[k].length;
          if (k < pieces.length - 1) cur = endWord(words, cur, lastM, false, size);
        }
      }
      // A merge that had to copy ids may have moved the arena: room for the rest of the run.
      if (glyphArena.ids !== ids || glyphArena.len !== n) ids = arenaRoom(len - i);
    }
  }
  endWord(words, cur, lastM, false, size);
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
    let pos = 0; // offset of `ch` in f.text
    let bufAt = 0; // offset of `buf` in f.text
    for (const ch of f.text) {
      const cw = measure(m, ch, f.size);
      if (cur.width + bw + cw > max && (buf || cur.frags.length)) {
        if (buf) cur.frags.push({ ...f, text: buf, at: f.at + bufAt, width: bw });
        cur.width += bw;
        out.push(cur);
        cur = { frags: [], width: 0, space: 0, footnotes: [] };
        buf = "";
        bw = 0;
        bufAt = pos;
      }
      buf += ch;
      bw += cw;
      pos += ch.length;
    }
    if (buf) {
      cur.frags.push({ ...f, text: buf, at: f.at + bufAt, width: bw });
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
  const lines = new LineFiller(max);
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w.width > max) for (const piece of splitWord(w, max)) lines.add(piece);
    else lines.add(w);
  }
  return lines.finish();
}

/** Fills lines word by word (a class rather than closures: this runs for every word). */
class LineFiller {
  private lines: Line[] = [];
  private cur: Word[] = [];
  private width = 0;
  constructor(private readonly max: number) {}

  add(w: Word) {
    if (this.cur.length && this.width + this.cur[this.cur.length - 1].space + w.width > this.max) {
      this.lines.push(lineOf(this.cur, this.width, false));
      this.cur = [];
      this.width = 0;
    }
    this.width += (this.cur.length ? this.cur[this.cur.length - 1].space : 0) + w.width;
    this.cur.push(w);
  }

  finish(): Line[] {
    if (this.cur.length) this.lines.push(lineOf(this.cur, this.width, true));
    return this.lines;
  }
}

function lineOf(words: Word[], width: number, last: boolean): Line {
  let footnotes = NO_NOTES;
  for (let i = 0; i < words.length; i++) if (words[i].footnotes.length) footnotes = footnotes.concat(words[i].footnotes);
  return { words, width, last, footnotes };
}
