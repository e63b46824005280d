/**
 * Document tree -> PDF (A4, Marianne), written directly with pdf-writer.ts (no PDF library).
 *
 * Layout turns blocks into "items" (one line, one table row, one signature row…) of known height;
 * pagination places items on pages, keeping headings with what follows, repeating table headers
 * and reserving room for footnotes at the bottom of the page where their marker falls. Content
 * streams are written directly (2-byte glyph ids, Identity-H), which avoids per-line shaping.
 */
import zlib from "node:zlib";
import { runsToPlain, type Align, type Block, type DocumentTree, type Run, type SignatoryBlock, type TableBlock } from "../../templates/document";
import type { FontStyle } from "./fonts/marianne";
import { breakLines, getMetrics, glyphArena, measure, type Frag, type Metrics, resetGlyphArena, superscript, toWords, type Line, type PendingFootnote } from "./layout-text";
import { fontObjects } from "./pdf-fonts";
import { literalString, numText, pdfDate, PdfFileWriter, rounded, textString } from "../core/pdf-writer";
import { withTotalRow } from "./table-totals";
import { SIGNATURE_BOX_HEIGHT, SIGNATURE_BOX_WIDTH, type RenderResult, type SignatureBox } from "./signature-box";

export type { RenderResult, SignatureBox } from "./signature-box";

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
const ML = 68;
const MR = 68;
const MT = 62;
const MB = 62;
const CW = PAGE_WIDTH - ML - MR;
const BODY = { size: 10, leading: 14.2 };
const NOTE = { size: 7.5, leading: 10 };
const FONT_KEY: Record<FontStyle, string> = { regular: "R", bold: "B", italic: "I", bolditalic: "BI" };
const TEXT_COLOR = "0.086 0.086 0.086";
const LINK_COLOR = "0 0 0.569";

export interface RenderOptions {
  /** Fixed dates make the output byte-stable (tests, golden files). */
  creationDate?: Date;
  /**
   * Printed on every page: `header`, a line of small grey text in the top margin (« Version
   * consolidée — document informatif non signé »); `watermark`, large light-grey diagonal text
   * drawn under the page's content, so it never hides the text (« PROJET »).
   */
  marking?: { header?: string; watermark?: string };
}

const MARK_HEADER = { size: 7.5, color: "0.42 0.42 0.45" };
const MARK_WATERMARK = { maxSize: 96, color: "0.9 0.9 0.92" };

interface Note {
  number: number;
  lines: Line[];
  h: number;
  /** Its structure element (a Note under the paragraph or cell that calls it). */
  elem?: Elem;
}

/**
 * A structure element of the tagged PDF. `kids` are child elements and marked-content references
 * (page index and MCID) in reading order; footnotes follow their calling element's content.
 */
export class Elem {
  kids: (Elem | { page: number; mcid: number } | { box: number })[] = [];
  notes: Elem[] = [];
  /** Object number, assigned when the file is written. */
  num = 0;
  constructor(
    readonly s: string,
    public parent: Elem | null,
    /** Extra dictionary entries (« /A << /O /Table /Scope /Column >> », « /Alt (…) »). */
    readonly extra = "",
  ) {
    parent?.kids.push(this);
  }
}
const ARTIFACT = "/Artifact BMC\n";
const ARTIFACT_PAGINATION = "/Artifact <</Type /Pagination>> BDC\n";

/**
 * A page's content stream, written as bytes (ASCII operators, glyph ids as hex digits copied from
 * a per-font table): no long strings to build, flatten and re-encode for every page.
 */
// Content buffers are reused from one render to the next (a render runs without awaiting, so two
// renders never share them): less allocation, less garbage collection.
const sinkPool: Uint8Array[] = [];

class Sink {
  buf = sinkPool.pop() ?? new Uint8Array(32768);
  len = 0;
  // Graphics and text state already set in this stream (they persist across BT/ET), so that
  // lines do not repeat them: null when unknown.
  fill: string | null = null;
  fontStyle: FontStyle | null = null;
  fontSize = 0;

  /** Gives the buffer back to the pool once the stream has been compressed. */
  release() {
    if (sinkPool.length < 64) sinkPool.push(this.buf);
    this.buf = new Uint8Array(0);
    this.len = 0;
  }

  private grow(n: number) {
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  /** Appends an ASCII string. */
  str(s: string) {
    if (this.len + s.length > this.buf.length) this.grow(s.length);
    const buf = this.buf;
    let len = this.len;
    for (let i = 0; i < s.length; i++) buf[len++] = s.charCodeAt(i);
    this.len = len;
  }

  /** Appends one operator line (what `ops.push` did). */
  push(s: string) {
    this.str(s);
    this.str("\n");
    // Raw operators may change the fill colour (table header backgrounds).
    this.fill = null;
  }

  /**
   * Appends the glyph ids of `f` (and of a space) as a literal string of 2-byte codes (half the
   * size of hex, so less to write and to deflate) and returns the advance viewers apply, in 1/1000 em.
   */
  glyphs(m: Metrics, f: Frag, space: boolean): number {
    const sl = f.text.length;
    const n = sl + (space ? 1 : 0);
    if (this.len + 4 * n + 2 > this.buf.length) this.grow(4 * n + 2);
    const buf = this.buf;
    // The glyph ids were looked up when the words were measured.
    const ids = glyphArena.ids;
    const at = f.at;
    const litLen = m.litLen;
    const w1000 = m.w1000;
    let len = this.len;
    let adv = 0;
    buf[len++] = 0x28; // (
    for (let i = 0; i <= sl; i++) {
      let g: number;
      if (i < sl) g = ids[at + i];
      else if (space) g = m.glyph[32] || m.fallback;
      else break;
      const l = litLen[g];
      if (l === 2) {
        // No byte to escape: the code is the glyph id, big-endian.
        buf[len] = g >> 8;
        buf[len + 1] = g & 0xff;
      } else {
        const lit = m.litBytes;
        const o = 4 * g;
        buf[len] = lit[o];
        buf[len + 1] = lit[o + 1];
        buf[len + 2] = lit[o + 2];
        if (l > 3) buf[len + 3] = lit[o + 3];
      }
      len += l;
      adv += w1000[g];
    }
    buf[len++] = 0x29; // )
    this.len = len;
    return adv;
  }

  /** Appends `fmt(n)` (n rounded to 2 decimals), written digit by digit. */
  fmt(n: number) {
    this.cents(Math.round(n * 100));
  }

  /**
   * Appends `String(k / 100)` for an integer k: for |k| < 1e12, the shortest form of k / 100 is
   * exactly k's digits with a decimal point (trailing zeros dropped), so no number-to-string call.
   */
  cents(k: number) {
    if (!(k > -1e12 && k < 1e12)) return this.str(String(k / 100));
    if (this.len + 16 > this.buf.length) this.grow(16);
    const buf = this.buf;
    let len = this.len;
    if (k < 0) {
      buf[len++] = 0x2d; // -
      k = -k;
    }
    const frac = k % 100;
    let int = (k - frac) / 100;
    // Integer part, most significant digit first.
    let digits = int < 10 ? 1 : int < 100 ? 2 : int < 1000 ? 3 : 4;
    for (let t = 10000; int >= t; t *= 10) digits++;
    for (let d = digits - 1; d >= 0; d--) {
      const q = int % 10;
      buf[len + d] = 0x30 + q;
      int = (int - q) / 10;
    }
    len += digits;
    if (frac !== 0) {
      buf[len++] = 0x2e; // .
      const tens = (frac - (frac % 10)) / 10;
      buf[len++] = 0x30 + tens;
      if (frac % 10 !== 0) buf[len++] = 0x30 + (frac % 10);
    }
    this.len = len;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

interface Page {
  index: number;
  ops: Sink;
  links: { rect: [number, number, number, number]; href: string }[];
  notes: Note[];
  notesH: number;
  /** MCID -> the structure element whose content it marks. */
  mcids: Elem[];
  /** The element whose marked content is open in the stream (consecutive lines share one). */
  open: Elem | null;
}

/** Opens marked content for `elem` (unless it is the one already open). */
function tag(p: Page, elem: Elem) {
  if (p.open === elem) return;
  if (p.open) p.ops.str("EMC\n");
  const mcid = p.mcids.length;
  p.mcids.push(elem);
  elem.kids.push({ page: p.index, mcid });
  p.ops.str("/");
  p.ops.str(elem.s);
  p.ops.str(" <</MCID ");
  p.ops.str(String(mcid));
  p.ops.str(">> BDC\n");
  p.open = elem;
}

/** Closes the open marked content, if any. */
function untag(p: Page) {
  if (p.open) p.ops.str("EMC\n");
  p.open = null;
}

/** Draws `fn` as an artifact (page furniture: rules, frames, running headers, page numbers). */
function artifact(p: Page, fn: () => void, pagination = false) {
  untag(p);
  p.ops.str(pagination ? ARTIFACT_PAGINATION : ARTIFACT);
  fn();
  p.ops.str("EMC\n");
}

interface Item {
  h: number;
  before: number;
  keep?: boolean;
  notes?: Note[];
  /** Table header rows, repeated when this row opens a page. */
  header?: Item[];
  draw(p: Page, top: number): void;
}

/** Shared by the paragraphs without footnotes: never mutated. */
const NO_NOTES_MAP: ReadonlyMap<number, Note> = new Map();

/** Shared by the items without footnotes: never mutated. */
const NO_ITEM_NOTES: Note[] = [];

const BT_LINE = "BT\n1 0 0 1 ";
const FONT_SELECT: Record<FontStyle, string> = { regular: "\n/R ", bold: "\n/B ", italic: "\n/I ", bolditalic: "\n/BI " };
const TEXT_RG = `\n${TEXT_COLOR} rg`;
const LINK_RG = `\n${LINK_COLOR} rg`;

/** Coordinates in content streams: two decimals. */
const fmt = (n: number) => rounded(n, 2);

class Writer {
  M = getMetrics();
  used = new Set<FontStyle>();
  boxes: SignatureBox[] = [];
  /** Root of the structure tree (/Document), children in reading order. */
  root = new Elem("Document", null);
  /** The Form element of each signature box (same index as `boxes`). */
  boxElems: Elem[] = [];
  footnoteCounter = 0;
  /** Numbers the next footnote (one closure per render, not one per paragraph). */
  nextFootnote = () => ++this.footnoteCounter;

  /**
   * Draws one line; `align` justify stretches the spaces of every line but the last. One text
   * object per line: the line start is set with Tm, then each word is placed at its exact position
   * by a TJ adjustment from where the viewer's pen is (glyph advances from the font's /W widths).
   */
  drawLine(p: Page, line: Line, x0: number, baseline: number, maxW: number, align: Align, justifyLast = false, textColor = TEXT_COLOR) {
    let x = x0;
    let extra = 0;
    const n = line.words.length;
    let gaps = 0;
    if (align === "justify") for (let i = 0; i < n - 1; i++) if (line.words[i].space > 0) gaps++;
    if (align === "justify" && (!line.last || justifyLast) && gaps > 0) {
      extra = Math.max(0, (maxW - line.width) / gaps);
      // A line stretched too far reads badly and splits in text extraction: leave it ragged.
      if (extra > (line.words[0].frags[0]?.size ?? 10) * 0.7) extra = 0;
    } else if (align === "center") x += (maxW - line.width) / 2;
    else if (align === "right") x += maxW - line.width;
    const out = p.ops;
    out.str(BT_LINE);
    out.fmt(x);
    out.str(" ");
    out.fmt(baseline);
    out.str(" Tm");
    let style: FontStyle | null = out.fontStyle;
    let size = out.fontSize;
    let color = out.fill;
    let open = false; // inside a TJ array
    let pen = x; // where the viewer's pen is, in points
    const words = line.words;
    for (let i = 0; i < n; i++) {
      const w = words[i];
      const frags = w.frags;
      for (let j = 0; j < frags.length; j++) {
        const f = frags[j];
        if (f.style !== style || f.size !== size) {
          if (open) out.str("] TJ");
          open = false;
          this.used.add(f.style);
          out.str(FONT_SELECT[f.style]);
          out.fmt(f.size);
          out.str(" Tf");
          style = f.style;
          size = f.size;
        }
        const want = f.href ? LINK_COLOR : textColor;
        if (want !== color) {
          if (open) out.str("] TJ");
          open = false;
          out.str(want === LINK_COLOR ? LINK_RG : want === TEXT_COLOR ? TEXT_RG : `\n${want} rg`);
          color = want;
        }
        if (!open) out.str("\n[");
        open = true;
        // TJ number k moves the pen by -k/1000 of the font size.
        const k = Math.round(((pen - x) * 1000 * 100) / size);
        const adj = k / 100;
        if (adj !== 0) {
          out.cents(k);
          pen -= (adj * size) / 1000;
        }
        // The space glyph stays in the text so extraction keeps word boundaries.
        // A line broken at a space ends with that space too: tagged content read line after line
        // (assistive technology, `pdfinfo -struct-text`) keeps the word boundary.
        const withSpace = j === frags.length - 1 && w.space > 0 && (i < n - 1 || !line.last);
        pen += (out.glyphs(this.M[f.style], f, withSpace) * size) / 1000;
        if (f.href) p.links.push({ rect: [x, baseline - f.size * 0.25, x + f.width, baseline + f.size * 0.85], href: f.href });
        x += f.width;
      }
      if (i < n - 1) x += w.space + (w.space > 0 ? extra : 0);
    }
    out.str(open ? "] TJ\nET\n" : "\nET\n");
    out.fontStyle = style;
    out.fontSize = size;
    out.fill = color;
  }

  /** Lays out runs and returns lines plus the footnotes they introduce. */
  lines(runs: Run[], width: number, size: number, bold = false): { lines: Line[]; notes: ReadonlyMap<number, Note> } {
    const pending: PendingFootnote[] = [];
    const words = toWords(runs, { size, bold }, pending, this.nextFootnote);
    if (!pending.length) return { lines: breakLines(words, width), notes: NO_NOTES_MAP };
    const notes = new Map<number, Note>();
    for (const pf of pending) {
      const marker = { kind: "text" as const, text: superscript(pf.number) + "\u00a0" };
      const nl = breakLines(toWords([marker, ...pf.runs], { size: NOTE.size }, [], () => 0), CW);
      notes.set(pf.number, { number: pf.number, lines: nl, h: nl.length * NOTE.leading });
    }
    return { lines: breakLines(words, width), notes };
  }

  /** Gives each footnote its Note element, read after `parent`'s content. */
  attachNotes(notes: ReadonlyMap<number, Note>, parent: Elem) {
    for (const n of notes.values()) {
      if (n.elem) continue;
      n.elem = new Elem("Note", null, ` /ID (note-${n.number})`);
      n.elem.parent = parent;
      parent.notes.push(n.elem);
    }
  }

  textItems(runs: Run[], opts: TextOpts): Item[] {
    const { lines, notes } = this.lines(runs, opts.width, opts.size, opts.bold);
    if (notes.size) this.attachNotes(notes, opts.elem);
    const items: Item[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      items[i] = new TextLineItem(this, line, i, opts, line.footnotes.length ? line.footnotes.map((n) => notes.get(n)!).filter(Boolean) : NO_ITEM_NOTES);
    }
    return items;
  }

  table(source: TableBlock, before: number): Item[] {
    const t = withTotalRow(source);
    const all = [...t.header, ...t.rows];
    const cols = Math.max(...all.map((r) => r.length), 1);
    const pad = 4;
    const size = 9.5;
    const leading = 13;
    let widths: number[];
    if (t.widths && t.widths.length === cols) {
      const sum = t.widths.reduce((a, b) => a + b, 0);
      widths = t.widths.map((w) => (w / sum) * CW);
    } else {
      // Natural width of each column (longest cell), shrunk proportionally when too wide.
      const nat = Array.from({ length: cols }, (_, c) =>
        Math.max(30, ...all.map((r) => (r[c] ? measureRuns(this, r[c], size) : 0) + 2 * pad + 2)),
      );
      const sum = nat.reduce((a, b) => a + b, 0);
      widths = sum > CW ? nat.map((w) => Math.max(40, (w / sum) * CW)) : nat;
      const s2 = widths.reduce((a, b) => a + b, 0);
      if (s2 > CW) widths = widths.map((w) => (w / s2) * CW);
    }
    widths = fitLongestWords(widths, minColumnWidths(this, t, cols, size, pad));
    const tableW = widths.reduce((a, b) => a + b, 0);
    const tableElem = new Elem("Table", this.root);
    // A row taller than a page (a 10,000-character cell) is cut into slices of at most
    // `maxLines` lines, each drawn as its own framed row under the repeated header.
    const rowItems = (cells: Run[][], isHeader: boolean, maxLines: number): Item[] => {
      const laid = widths.map((w, c) => this.lines(cells[c] ?? [], w - 2 * pad, size, isHeader));
      const tr = new Elem("TR", tableElem);
      const cellElems = widths.map((_, c) => new Elem(isHeader ? "TH" : "TD", tr, isHeader ? " /A <</O /Table /Scope /Column>>" : ""));
      laid.forEach((l, c) => l.notes.size && this.attachNotes(l.notes, cellElems[c]));
      // A header row drawn again at the top of a later page is page furniture, not content.
      let drawn = false;
      const lineCount = Math.max(1, ...laid.map((l) => l.lines.length));
      const notes = laid.flatMap((l) => [...l.notes.values()]);
      const slices: Item[] = [];
      for (let from = 0; from < lineCount; from += maxLines) {
        const to = Math.min(lineCount, from + maxLines);
        const h = (to - from) * leading + 2 * pad;
        slices.push({
          h,
          before: 0,
          keep: isHeader,
          notes: from === 0 ? notes : undefined,
          draw: (p, top) => {
            const repeat = isHeader && drawn;
            drawn = true;
            const frame = () => {
              if (isHeader) p.ops.push(`0.93 0.93 0.96 rg ${fmt(ML)} ${fmt(top - h)} ${fmt(tableW)} ${fmt(h)} re f`);
              p.ops.push(`0.5 w 0.55 0.55 0.6 RG ${fmt(ML)} ${fmt(top - h)} ${fmt(tableW)} ${fmt(h)} re S`);
              let x = ML;
              for (let c = 1; c < widths.length; c++) {
                x += widths[c - 1];
                p.ops.push(`${fmt(x)} ${fmt(top)} m ${fmt(x)} ${fmt(top - h)} l S`);
              }
            };
            const cellsText = () => {
              let x = ML;
              widths.forEach((w, c) => {
                const align = t.aligns?.[c] ?? "left";
                const lines = laid[c].lines;
                if (!repeat && from < lines.length) tag(p, cellElems[c]);
                for (let k = from; k < to && k < lines.length; k++) {
                  const baseline = top - pad - (k - from + 1) * leading + (leading - size) / 2 + size * 0.22;
                  this.drawLine(p, lines[k], x + pad, baseline, w - 2 * pad, align === "justify" ? "left" : align);
                }
                x += w;
              });
            };
            if (repeat)
              artifact(p, () => {
                frame();
                cellsText();
              }, true);
            else {
              artifact(p, frame);
              cellsText();
            }
          },
        });
      }
      return slices;
    };
    const header = t.header.flatMap((r) => rowItems(r, true, Infinity));
    const headerH = header.reduce((a, h) => a + h.h, 0);
    // What an empty page holds under the header (the first page's bloc marque counted, to be safe).
    const maxLines = Math.max(1, Math.floor((PAGE_HEIGHT - MT - MB - BLOC_MARQUE_HEIGHT - headerH - 2 * pad) / leading));
    const rows = t.rows.flatMap((r) => rowItems(r, false, maxLines).map((slice) => ({ ...slice, header })));
    const items = [...header, ...rows];
    if (items.length) items[0] = { ...items[0], before };
    return items;
  }

  signatures(blocks: SignatoryBlock[], before: number): Item[] {
    const colW = (CW - 16) / 2;
    const items: Item[] = [];
    const group = new Elem("Div", this.root);
    const elems = blocks.map((b) => {
      const div = new Elem("Div", group);
      return { label: new Elem("P", div), name: new Elem("P", div), form: new Elem("Form", div, ` /Alt ${textString(`Champ de signature de ${b.name}`)}`) };
    });
    for (let r = 0; r < blocks.length; r += 2) {
      const row = blocks.slice(r, r + 2);
      const laid = row.map((b) => ({
        label: this.lines([{ kind: "text", text: b.partyLabel, bold: true }], colW, BODY.size),
        name: this.lines([{ kind: "text", text: b.name }], colW, BODY.size),
      }));
      // Labels share a first baseline, names a baseline under the longest label, boxes one top:
      // side-by-side blocks stay aligned when one label wraps and the other does not.
      const labelLines = Math.max(...laid.map((l) => l.label.lines.length));
      const textLines = labelLines + Math.max(...laid.map((l) => l.name.lines.length));
      const h = textLines * BODY.leading + 6 + SIGNATURE_BOX_HEIGHT + 14;
      items.push({
        h,
        before: r === 0 ? before : 0,
        keep: r + 2 < blocks.length,
        draw: (p, top) => {
          row.forEach((b, k) => {
            const x = ML + k * (colW + 16);
            let y = top;
            const e = elems[r + k];
            // Step by step (not top - n × leading): the same coordinates, to the byte, as before.
            const step = (lines: Line[], count: number, elem: Elem) => {
              for (const line of lines) {
                tag(p, elem);
                this.drawLine(p, line, x, y - BODY.leading + 4, colW, "left");
                y -= BODY.leading;
              }
              for (let n = lines.length; n < count; n++) y -= BODY.leading;
            };
            step(laid[k].label.lines, labelLines, e.label);
            step(laid[k].name.lines, textLines - labelLines, e.name);
            const rect = { x, y: y - 6 - SIGNATURE_BOX_HEIGHT, width: SIGNATURE_BOX_WIDTH, height: SIGNATURE_BOX_HEIGHT };
            // Light dashed frame so the reserved place is visible before signature.
            artifact(p, () => p.ops.push(`q 0.6 w 0.7 0.7 0.75 RG [3 2] 0 d ${fmt(rect.x)} ${fmt(rect.y)} ${fmt(rect.width)} ${fmt(rect.height)} re S Q`));
            const index = this.boxes.length + 1;
            e.form.kids.push({ box: index - 1 });
            this.boxElems.push(e.form);
            this.boxes.push({
              fieldName: `signature-${index}`,
              pageIndex: p.index,
              rect,
              signatory: { name: b.name, function: b.function, organisation: b.organisation, email: b.email },
              partyLabel: b.partyLabel,
            });
          });
        },
      });
    }
    return items;
  }

  items(blocks: Block[]): Item[] {
    const items: Item[] = [];
    let gap = 0;
    // A run-in heading (level 4) is printed in bold at the start of the paragraph that follows it.
    let runIn: Run[] | null = null;
    blocks.forEach((b, bi) => {
      const next = blocks[bi + 1];
      if (runIn && b.type !== "paragraph") {
        items.push(...this.textItems(runIn, { elem: new Elem("P", this.root), x: ML, width: CW, size: BODY.size, leading: BODY.leading, align: "left", before: Math.max(gap, 0) }));
        gap = 7;
        runIn = null;
      }
      switch (b.type) {
        case "heading": {
          if (b.level === 4) {
            runIn = b.runs.map((r) => (r.kind === "text" ? { ...r, bold: true } : r));
            break;
          }
          const cfg =
            b.level === 1
              ? { size: 17, leading: 22, before: 18, after: 16, align: "center" as Align }
              : b.level === 2
                ? { size: 11, leading: 15, before: 14, after: 6, align: "left" as Align }
                : { size: 10, leading: 14, before: 8, after: 3, align: "left" as Align };
          const h = new Elem(`H${b.level}`, this.root);
          items.push(...this.textItems(b.runs, { elem: h, x: ML, width: CW, size: cfg.size, leading: cfg.leading, align: cfg.align, bold: true, before: Math.max(gap, cfg.before), keep: true }));
          if (b.titleLine) items.push(...this.textItems(b.titleLine, { elem: h, x: ML, width: CW, size: cfg.size, leading: cfg.leading, align: cfg.align, bold: true, before: 0, keep: true }));
          gap = cfg.after;
          break;
        }
        case "paragraph": {
          const keep = next?.type === "signatures";
          if (keep) {
            // « Fait à … » never stands alone above the signatures: the last lines of what
            // precedes it (the end of the last article) go with it to the signature page.
            let k = items.length - 1;
            for (let n = 0; k >= 0 && n < KEEP_BEFORE_SIGNATURES && items[k] instanceof TextLineItem; k--, n++) items[k].keep = true;
            // Not one line of that paragraph left alone at the foot of the previous page.
            const first = items[k + 1];
            if (first instanceof TextLineItem && first.i === 1 && items[k] instanceof TextLineItem) items[k].keep = true;
          }
          const runs = runIn ? [...runIn, { kind: "text", text: " " } as Run, ...b.runs] : b.runs;
          runIn = null;
          const lines = this.textItems(runs, { elem: new Elem("P", this.root), x: ML, width: CW, size: BODY.size, leading: BODY.leading, align: b.align ?? "justify", before: Math.max(gap, 0), keep });
          // A sentence introducing a table or a list (« … par la ligne suivante : ») stays with it.
          if (lines.length && (next?.type === "table" || next?.type === "list") && /:\s*$/.test(runsToPlain(b.runs))) lines[lines.length - 1].keep = true;
          items.push(...lines);
          gap = 7;
          break;
        }
        case "list": {
          const list = new Elem("L", this.root, " /A <</O /List /ListNumbering /Disc>>");
          b.items.forEach((it, k) => {
            const li = new Elem("LI", list);
            const lbl = new Elem("Lbl", li);
            items.push(...this.textItems(it, { elem: new Elem("LBody", li), lbl, x: ML + 22, width: CW - 22, size: BODY.size, leading: BODY.leading, align: "justify", before: k === 0 ? gap : 2.5, bullet: "•" }));
          });
          gap = 7;
          break;
        }
        case "table":
          items.push(...this.table(b, Math.max(gap, 4)));
          gap = 10;
          break;
        case "signatures":
          items.push(...this.signatures(b.blocks, Math.max(gap, 12)));
          gap = 10;
          break;
        case "pageBreak":
          items.push({ h: 0, before: 0, draw: () => {}, ...{ pageBreak: true } } as Item);
          gap = 0;
          break;
      }
    });
    if (runIn) items.push(...this.textItems(runIn, { elem: new Elem("P", this.root), x: ML, width: CW, size: BODY.size, leading: BODY.leading, align: "left", before: Math.max(gap, 0) }));
    return items;
  }
}

interface TextOpts {
  /** The structure element the lines belong to (P, H1…, LBody). */
  elem: Elem;
  /** The list item's label element (the bullet). */
  lbl?: Elem;
  x: number;
  width: number;
  size: number;
  leading: number;
  align: Align;
  bold?: boolean;
  before: number;
  keep?: boolean;
  bullet?: string;
}

/** One line of a paragraph, heading or list item (a class, not a closure per line). */
class TextLineItem implements Item {
  h: number;
  before: number;
  keep?: boolean;
  constructor(
    private w: Writer,
    private line: Line,
    /** Index of the line in its paragraph. */
    readonly i: number,
    private opts: TextOpts,
    public notes: Note[],
  ) {
    this.h = opts.leading;
    this.before = i === 0 ? opts.before : 0;
    this.keep = opts.keep;
  }

  draw(p: Page, top: number) {
    const opts = this.opts;
    const baseline = top - opts.leading + (opts.leading - opts.size) / 2 + opts.size * 0.22;
    if (this.i === 0 && opts.bullet) {
      tag(p, opts.lbl ?? opts.elem);
      this.w.drawLine(p, breakLines(toWords([{ kind: "text", text: opts.bullet }], { size: opts.size }, [], () => 0), 100)[0], opts.x - 12, baseline, 12, "left");
    }
    tag(p, opts.elem);
    this.w.drawLine(p, this.line, opts.x, baseline, opts.width, opts.align);
  }
}

/**
 * The narrowest each column may be: its longest word (header words in bold) plus padding, so that
 * no word is cut between letters (« Authentification »). Header words always count; body words
 * count while the table can still fit the text width.
 */
function minColumnWidths(w: Writer, t: TableBlock, cols: number, size: number, pad: number): number[] {
  const longest = (rows: Run[][][], header: boolean) =>
    Array.from({ length: cols }, (_, c) => {
      let max = 0;
      for (const r of rows)
        for (const run of r[c] ?? [])
          if (run.kind === "text")
            for (const word of run.text.split(/[\s]+/)) if (word) max = Math.max(max, measure(w.M[header || run.bold ? "bold" : "regular"], word, size));
      return max > 0 ? max + 2 * pad + 1 : 0;
    });
  const head = longest(t.header, true);
  const body = longest(t.rows, false);
  const both = head.map((h, c) => Math.max(h, body[c]));
  return both.reduce((a, b) => a + b, 0) <= CW ? both : head;
}

/**
 * Widens the columns narrower than their minimum, taking the room from the columns that have
 * some to spare, in proportion to that spare room; the total width does not change.
 */
export function fitLongestWords(widths: number[], min: number[]): number[] {
  const total = widths.reduce((a, b) => a + b, 0);
  if (min.reduce((a, b) => a + b, 0) > total) return widths;
  const need = widths.reduce((a, wd, c) => a + Math.max(0, min[c] - wd), 0);
  if (need <= 0) return widths;
  const spare = widths.map((wd, c) => Math.max(0, wd - min[c]));
  const spareSum = spare.reduce((a, b) => a + b, 0);
  return widths.map((wd, c) => (wd < min[c] ? min[c] : wd - (spare[c] / spareSum) * need));
}

function measureRuns(w: Writer, runs: Run[], size: number): number {
  let total = 0;
  for (const r of runs) if (r.kind === "text") total += measure(w.M[r.bold ? "bold" : "regular"], r.text, size);
  return total;
}

/** The bloc marque's text, as its figure's alternate text says it. */
export const BLOC_MARQUE_ALT = "République française — Liberté, Égalité, Fraternité";

function blocMarque(w: Writer, p: Page, figure: Elem, noteElem: Elem | null, note?: string) {
  const mk = (text: string, size: number, bold: boolean, italic = false) =>
    breakLines(toWords([{ kind: "text", text, bold, italic }], { size }, [], () => 0), CW)[0];
  tag(p, figure);
  let y = PAGE_HEIGHT - 44;
  for (const t of ["RÉPUBLIQUE", "FRANÇAISE"]) {
    w.drawLine(p, mk(t, 10.5, true), ML, y, CW, "left");
    y -= 11.5;
  }
  y -= 3;
  for (const t of ["Liberté", "Égalité", "Fraternité"]) {
    w.drawLine(p, mk(t, 7.5, false, true), ML, y, CW, "left");
    y -= 8.5;
  }
  if (note && noteElem) {
    tag(p, noteElem);
    w.drawLine(p, mk(note, 8, false), ML, PAGE_HEIGHT - 44, CW, "right");
  }
  untag(p);
}
const BLOC_MARQUE_HEIGHT = 72;
/** Lines of the text before « Fait à … » kept with it and the signature blocks. */
const KEEP_BEFORE_SIGNATURES = 2;
/** How many items kept together are looked ahead at most (lines, « Fait à », signature rows). */
const KEEP_CHAIN = 12;

/**
 * The page's marking, drawn first so the content is painted over it: the watermark diagonally
 * across the page centre in light grey, the header centred in the top margin in small grey text.
 */
function marking(w: Writer, p: Page, mark: NonNullable<RenderOptions["marking"]>) {
  const one = (text: string, size: number, bold: boolean) => breakLines(toWords([{ kind: "text", text, bold }], { size }, [], () => 0), Infinity)[0];
  if (mark.watermark) {
    const angle = Math.atan2(PAGE_HEIGHT, PAGE_WIDTH);
    const diagonal = Math.hypot(PAGE_WIDTH, PAGE_HEIGHT);
    const natural = measure(w.M.bold, mark.watermark, 100);
    const size = Math.min(MARK_WATERMARK.maxSize, (100 * diagonal * 0.7) / Math.max(natural, 1));
    const line = one(mark.watermark, size, true);
    if (line) {
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      p.ops.push(`q ${c.toFixed(4)} ${s.toFixed(4)} ${(-s).toFixed(4)} ${c.toFixed(4)} ${fmt(PAGE_WIDTH / 2)} ${fmt(PAGE_HEIGHT / 2)} cm`);
      w.drawLine(p, line, -line.width / 2, -size * 0.35, line.width, "left", false, MARK_WATERMARK.color);
      p.ops.push("Q");
      // Q restored the font and colour set inside: the next line must set them again.
      p.ops.fontStyle = null;
      p.ops.fontSize = 0;
    }
  }
  if (mark.header) {
    for (const line of breakLines(toWords([{ kind: "text", text: mark.header }], { size: MARK_HEADER.size }, [], () => 0), CW).slice(0, 1)) {
      w.drawLine(p, line, ML, PAGE_HEIGHT - 31, CW, "center", false, MARK_HEADER.color);
    }
  }
}

/** Renders a document tree to PDF bytes and returns the signature boxes. */
export async function renderDocument(doc: DocumentTree, options: RenderOptions = {}): Promise<RenderResult> {
  resetGlyphArena();
  const w = new Writer();
  // The bloc marque is a figure read first, with its alternate text.
  const figure = doc.blocMarque
    ? new Elem("Figure", w.root, ` /Alt ${textString(BLOC_MARQUE_ALT)} /A <</O /Layout /Placement /Block /BBox [${ML} ${fmt(PAGE_HEIGHT - 44 - 2 * 11.5 - 3 - 3 * 8.5)} ${fmt(ML + 80)} ${fmt(PAGE_HEIGHT - 34)}]>>`)
    : null;
  const headerNoteElem = doc.blocMarque && doc.headerNote ? new Elem("P", w.root) : null;
  const items = w.items(doc.blocks);

  // ---- pagination
  const pages: Page[] = [];
  let y = 0;
  let empty = true;
  const newPage = () => {
    const p: Page = { index: pages.length, ops: new Sink(), links: [], notes: [], notesH: 0, mcids: [], open: null };
    pages.push(p);
    y = PAGE_HEIGHT - MT - (p.index === 0 && doc.blocMarque ? BLOC_MARQUE_HEIGHT - 20 : 0);
    empty = true;
    if (options.marking) artifact(p, () => marking(w, p, options.marking!));
    if (p.index === 0 && figure) blocMarque(w, p, figure, headerNoteElem, doc.headerNote);
    return p;
  };
  let page = newPage();
  const notesHeight = (p: Page, it: Item) => {
    const h = (it.notes ?? []).reduce((a, n) => a + n.h, 0);
    return h > 0 && p.notesH === 0 ? h + 10 : h;
  };
  const place = (it: Item) => {
    if (!empty) y -= it.before;
    it.draw(page, y);
    y -= it.h;
    for (const n of it.notes ?? []) {
      if (page.notesH === 0) page.notesH = 10;
      page.notes.push(n);
      page.notesH += n.h;
    }
    empty = false;
  };
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if ((it as any).pageBreak) {
      if (!empty) page = newPage();
      continue;
    }
    // Room for this item and the items it must stay with (headings, header rows, « Fait à »).
    let need = (empty ? 0 : it.before) + it.h + notesHeight(page, it);
    for (let j = i; items[j]?.keep && j + 1 < items.length && j - i < KEEP_CHAIN; j++) need += items[j + 1].before + items[j + 1].h;
    if (!empty && y - need < MB + page.notesH) page = newPage();
    if (empty && it.header && !it.header.includes(items[i - 1]) && !it.keep) for (const h of it.header) place(h);
    place(it);
  }

  // ---- footnotes and footers, now that the page count is known
  for (const p of pages) {
    untag(p);
    if (p.notes.length) {
      let top = MB + p.notesH;
      artifact(p, () => p.ops.push(`q 0.5 w 0.5 0.5 0.5 RG ${fmt(ML)} ${fmt(top - 4)} m ${fmt(ML + 120)} ${fmt(top - 4)} l S Q`));
      top -= 10;
      for (const n of p.notes) {
        tag(p, n.elem ?? (n.elem = new Elem("Note", w.root, ` /ID (note-${n.number})`)));
        for (const line of n.lines) {
          w.drawLine(p, line, ML, top - NOTE.leading + 2.5, CW, "left");
          top -= NOTE.leading;
        }
      }
    }
    untag(p);
    const footer = breakLines(toWords([{ kind: "text", text: `Page ${p.index + 1} / ${pages.length}` }], { size: 8 }, [], () => 0), CW)[0];
    artifact(p, () => w.drawLine(p, footer, ML, 30, CW, "center"), true);
  }

  const bytes = writePdf(doc, pages, w, options);
  return { pdf: bytes, boxes: w.boxes, pageCount: pages.length };
}

// ---- PDF file, written directly (no object model) with pdf-writer.ts: classic xref table, no
// object streams, which is what the signing engine's reader expects.

const FONT_ORDER: FontStyle[] = ["regular", "bold", "italic", "bolditalic"];
const HEADER = Buffer.from("%PDF-1.7\n%\x81\x81\x81\x81\n\n", "latin1");

function writePdf(doc: DocumentTree, pages: Page[], w: Writer, options: RenderOptions): Uint8Array {
  // A blank line after each object.
  const file = new PdfFileWriter(0, "\n");
  file.raw(HEADER);
  const obj = (n: number, body: string) => file.object(n, 0, body);

  // ---- numbering
  const PAGES = 1;
  const CATALOG = 2;
  const INFO = 3;
  const PREFS = 4;
  const RESOURCES = 5;
  let next = 6;
  const fonts: [FontStyle, number][] = [];
  for (const s of FONT_ORDER) if (w.used.has(s)) {
    fonts.push([s, next]);
    next += 5;
  }
  const pageNums = pages.map(() => {
    const n = next;
    next += 2; // page, content stream
    return n;
  });
  const linkNums = pages.map((p) => p.links.filter((l) => /^(https?:|mailto:)/i.test(l.href)).map((l) => ({ l, n: next++ })));
  const widgetNums = w.boxes.map(() => next++);
  const ACROFORM = w.boxes.length ? next++ : 0;
  // ---- structure tree: the root, the parent tree, then every element in reading order
  const STRUCT_ROOT = next++;
  const PARENT_TREE = next++;
  const elems: Elem[] = [];
  const number = (e: Elem) => {
    e.num = next++;
    elems.push(e);
    for (const k of e.kids) if (k instanceof Elem) number(k);
    for (const n of e.notes) number(n);
  };
  number(w.root);
  const size = next;

  // ---- fonts: bytes prepared once per process
  for (const [s, first] of fonts) {
    const f = fontObjects(s, first);
    for (let i = 0; i < 5; i++) file.placed(first + i, file.pos + f.offsets[i]);
    file.raw(f.bytes);
  }
  obj(RESOURCES, `<<\n/Font <<\n${fonts.map(([s, n]) => `/${FONT_KEY[s]} ${n} 0 R`).join("\n")}\n>>\n/ProcSet [ /PDF /Text ]\n>>`);

  // ---- pages
  pages.forEach((p, i) => {
    const n = pageNums[i];
    const annots = [...linkNums[i].map((x) => x.n), ...widgetNums.filter((_, k) => w.boxes[k].pageIndex === i)];
    obj(
      n,
      `<<\n/Type /Page\n/Parent ${PAGES} 0 R\n/MediaBox [ 0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT} ]\n/Contents ${n + 1} 0 R\n/Resources ${RESOURCES} 0 R\n/StructParents ${i}` +
        (annots.length ? `\n/Annots [ ${annots.map((a) => `${a} 0 R`).join(" ")} ]\n/Tabs /S` : "") +
        "\n>>",
    );
    // Level 1: content streams are repetitive text operators; speed matters more than a few kilobytes.
    const content = zlib.deflateSync(p.ops.bytes(), { level: 1 });
    p.ops.release();
    file.object(n + 1, 0, `<<\n/Filter /FlateDecode\n/Length ${content.length}\n>>`, content);
    for (const { l, n: an } of linkNums[i]) {
      obj(
        an,
        `<<\n/Type /Annot\n/Subtype /Link\n/Rect [ ${l.rect.map((v) => rounded(v, 2)).join(" ")} ]\n/Border [ 0 0 0 ]\n/A <<\n/S /URI\n/URI <${Buffer.from(l.href, "latin1").toString("hex").toUpperCase()}>\n>>\n>>`,
      );
    }
  });
  obj(PAGES, `<<\n/Type /Pages\n/Kids [ ${pageNums.map((n) => `${n} 0 R`).join(" ")} ]\n/Count ${pages.length}\n>>`);

  // ---- empty signature fields (merged field/widget), one per box
  w.boxes.forEach((b, k) => {
    const r = b.rect;
    obj(
      widgetNums[k],
      `<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/T ${literalString(b.fieldName)}\n/TU ${textString(`Signature de ${b.signatory.name} (${b.partyLabel.replace(/[,\s]+$/, "")})`)}\n/Rect [ ${[r.x, r.y, r.x + r.width, r.y + r.height].map(numText).join(" ")} ]\n/F 4\n/P ${pageNums[b.pageIndex]} 0 R\n/StructParent ${pages.length + k}\n>>`,
    );
  });
  if (ACROFORM) obj(ACROFORM, `<<\n/Fields [ ${widgetNums.map((n) => `${n} 0 R`).join(" ")} ]\n/SigFlags 0\n>>`);

  // ---- structure tree
  obj(STRUCT_ROOT, `<<\n/Type /StructTreeRoot\n/K [ ${w.root.num} 0 R ]\n/ParentTree ${PARENT_TREE} 0 R\n/ParentTreeNextKey ${pages.length + w.boxes.length}\n>>`);
  let nums = "";
  pages.forEach((p, i) => (nums += `${i} [ ${p.mcids.map((e) => `${e.num} 0 R`).join(" ")} ]\n`));
  w.boxElems.forEach((e, k) => (nums += `${pages.length + k} ${e.num} 0 R\n`));
  obj(PARENT_TREE, `<<\n/Nums [ ${nums}]\n>>`);
  for (const e of elems) {
    // Content on one page: /Pg once and bare MCIDs; otherwise one marked-content reference each.
    let pg = -1;
    for (const k of e.kids) if (!(k instanceof Elem) && "mcid" in k) pg = pg === -1 || pg === k.page ? k.page : -2;
    const kids = [...e.kids, ...e.notes].map((k) =>
      k instanceof Elem
        ? `${k.num} 0 R`
        : "mcid" in k
          ? pg >= 0
            ? String(k.mcid)
            : `<</Type /MCR /Pg ${pageNums[k.page]} 0 R /MCID ${k.mcid}>>`
          : `<</Type /OBJR /Obj ${widgetNums[k.box]} 0 R /Pg ${pageNums[w.boxes[k.box].pageIndex]} 0 R>>`,
    );
    obj(
      e.num,
      // Compact (/Type is optional): a convention has a few hundred of these, written uncompressed.
      `<</S /${e.s} /P ${e.parent ? e.parent.num : STRUCT_ROOT} 0 R` + (pg >= 0 ? ` /Pg ${pageNums[pg]} 0 R` : "") + ` /K [${kids.join(" ")}]${e.extra}>>`,
    );
  }

  // ---- catalog and metadata
  const m = doc.meta;
  obj(
    CATALOG,
    `<<\n/Type /Catalog\n/Pages ${PAGES} 0 R` +
      (ACROFORM ? `\n/AcroForm ${ACROFORM} 0 R` : "") +
      `\n/ViewerPreferences ${PREFS} 0 R\n/Lang ${literalString(m.lang ?? "fr-FR")}\n/MarkInfo <<\n/Marked true\n>>\n/StructTreeRoot ${STRUCT_ROOT} 0 R\n>>`,
  );
  obj(PREFS, "<<\n/DisplayDocTitle true\n>>");
  const date = literalString(pdfDate(options.creationDate ?? new Date(), "utc"));
  let info = `<<\n/Title ${textString(m.title)}`;
  if (m.subject) info += `\n/Subject ${textString(m.subject)}`;
  if (m.author) info += `\n/Author ${textString(m.author)}`;
  if (m.keywords?.length) info += `\n/Keywords ${textString(m.keywords.join(" "))}`;
  info += `\n/Creator ${textString("Paraphe")}\n/Producer ${textString("Paraphe")}\n/CreationDate ${date}\n/ModDate ${date}\n>>`;
  obj(INFO, info);

  // ---- classic cross-reference table and trailer
  file.end(`<<\n/Size ${size}\n/Root ${CATALOG} 0 R\n/Info ${INFO} 0 R\n>>`);
  return file.bytes();
}
