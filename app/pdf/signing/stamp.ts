// Visible signature stamp: the form XObject used as the signature widget's normal appearance.
// It is written in the document's own embedded Marianne (the body's font, glyph ids through
// Identity-H, text extractable through the font's ToUnicode), one size per stamp, wrapped to the box.
import { PDFArray, PDFDict, type PDFDocument, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, type PDFRef, PDFStream } from "@cantoo/pdf-lib";
import { getMetrics, glyphId, measure, type Metrics } from "../rendering/layout-text";
import { fontObjectBodies } from "../rendering/pdf-fonts";
import { type Dict, Name, type NewObject, type Obj, type RawPdf, Ref } from "../core/pdf-raw";
import { parisParts, rounded } from "../core/pdf-writer";

/** The reference's stamp time format: `2022.12.19 23:45:15 +01'00'` (Europe/Paris). */
export function formatStampTime(d: Date): string {
  const p = parisParts(d);
  return `${p.year}.${p.month}.${p.day} ${p.hour}:${p.minute}:${p.second} ${p.sign}${p.oh}'${p.om}'`;
}

export interface StampContent {
  name: string;
  function?: string;
  organisation: string;
  date: Date;
  /**
   * « Pour <holder> et par délégation, <delegate> » variant; `act` is the delegation act's
   * reference (« arrêté du 2 janvier 2026 portant délégation de signature »), cited on the stamp.
   */
  delegation?: { holder: string; delegate: string; act?: string };
}

export function stampLines(c: StampContent): { text: string; bold: boolean }[] {
  const lines: { text: string; bold: boolean }[] = [];
  if (c.delegation) {
    lines.push({ text: `Pour ${c.delegation.holder} et par délégation,`, bold: false });
    lines.push({ text: `Signé électroniquement par ${c.delegation.delegate}`, bold: true });
  } else {
    lines.push({ text: `Signé électroniquement par ${c.name}`, bold: true });
  }
  if (c.function) lines.push({ text: c.function, bold: false });
  lines.push({ text: c.organisation, bold: false });
  if (c.delegation?.act) lines.push({ text: `Délégation : ${c.delegation.act}`, bold: false });
  lines.push({ text: formatStampTime(c.date), bold: false });
  return lines;
}

const n = (x: number) => rounded(x, 3);

/** Resource names of the stamp's two fonts (Marianne regular and bold, Identity-H). */
export const STAMP_FONT_KEYS = { regular: "MR", bold: "MB" } as const;

/** Sizes tried, largest first: the first at which the wrapped text fits the box wins. */
export const STAMP_SIZES = [7.5, 7, 6.5, 6, 5.5, 5, 4.5, 4];
const STAMP_PAD = 4;
const STAMP_LEADING = 1.2;

export interface StampLayout {
  size: number;
  leading: number;
  /** Lines after wrapping, each with its width at `size` (points). */
  lines: { text: string; bold: boolean; width: number }[];
  x: number;
  /** Baseline of the first line. */
  top: number;
}

/** Word-wraps one line to `max` points; a word wider than the line is cut between characters. */
function wrap(m: Metrics, text: string, size: number, max: number): string[] {
  const out: string[] = [];
  let cur = "";
  const push = (w: string) => {
    const cand = cur ? `${cur} ${w}` : w;
    if (measure(m, cand, size) <= max) {
      cur = cand;
      return;
    }
    if (cur) out.push(cur);
    cur = "";
    // A word alone too wide: cut it.
    let piece = "";
    for (const ch of w) {
      if (piece && measure(m, piece + ch, size) > max) {
        out.push(piece);
        piece = "";
      }
      piece += ch;
    }
    cur = piece;
  };
  for (const w of text.split(/\s+/).filter(Boolean)) push(w);
  if (cur || !out.length) out.push(cur);
  return out;
}

/**
 * One font size for the whole stamp: the largest of STAMP_SIZES at which every line, wrapped at
 * word boundaries, fits inside the box. At the smallest size, lines that still do not fit are
 * dropped from the middle (the name first and the date last are kept) and the last kept line
 * marked with « … »: nothing is ever drawn outside the box.
 */
export function layoutStamp(width: number, height: number, c: StampContent): StampLayout {
  const M = getMetrics();
  const x = STAMP_PAD + 2;
  const maxW = Math.max(1, width - x - STAMP_PAD);
  const maxH = Math.max(1, height - 2 * STAMP_PAD);
  const source = stampLines(c);
  const wrapAt = (size: number) =>
    source.flatMap((l) => wrap(M[l.bold ? "bold" : "regular"], l.text, size, maxW).map((t) => ({ text: t, bold: l.bold, width: measure(M[l.bold ? "bold" : "regular"], t, size) })));
  let size = STAMP_SIZES[STAMP_SIZES.length - 1];
  let lines = wrapAt(size);
  for (const s of STAMP_SIZES) {
    const l = wrapAt(s);
    if (l.length * s * STAMP_LEADING <= maxH + 1e-6) {
      size = s;
      lines = l;
      break;
    }
  }
  const leading = size * STAMP_LEADING;
  const room = Math.max(1, Math.floor((maxH + 1e-6) / leading));
  if (lines.length > room) {
    const last = lines[lines.length - 1];
    const kept = lines.slice(0, Math.max(0, room - 1));
    if (kept.length) {
      const k = kept[kept.length - 1];
      const m = M[k.bold ? "bold" : "regular"];
      let t = k.text;
      while (t && measure(m, `${t}…`, size) > maxW) t = t.slice(0, -1);
      kept[kept.length - 1] = { ...k, text: `${t}…`, width: measure(m, `${t}…`, size) };
    }
    lines = room > 1 ? [...kept, last] : [last];
  }
  // Vertically centred in the box.
  const block = lines.length * leading;
  const top = height - STAMP_PAD - (maxH - block) / 2 - size;
  return { size, leading, lines, x, top };
}

/** Glyph ids of `text` in `m`, as a hex string operand (Identity-H: the code is the glyph id). */
function hexGlyphs(m: Metrics, text: string): string {
  let h = "<";
  for (const ch of text) h += m.hex[glyphId(m, ch.codePointAt(0)!)];
  return `${h}>`;
}

/**
 * The stamp's content stream, for a form XObject whose resources name the document's Marianne
 * fonts `/MR` (regular) and `/MB` (bold), both Type0/Identity-H with the renderer's glyph ids
 * (see `rawStampFonts`). Text is clipped to the box as a last guard.
 */
export function stampContentStream(width: number, height: number, c: StampContent): string {
  const M = getMetrics();
  const lay = layoutStamp(width, height, c);
  const ops = [
    "q",
    "0.96 0.96 1 rg",
    `0 0 ${n(width)} ${n(height)} re`,
    "f",
    "0 0 0.57 RG",
    "0.75 w",
    `0.5 0.5 ${n(width - 1)} ${n(height - 1)} re`,
    "S",
    `1 1 ${n(width - 2)} ${n(height - 2)} re W n`,
    "0 0 0.3 rg",
    "BT",
    `${n(lay.x)} ${n(lay.top)} Td`,
  ];
  let current: boolean | null = null;
  lay.lines.forEach((l, i) => {
    if (i > 0) ops.push(`0 ${n(-lay.leading)} Td`);
    if (l.bold !== current) {
      ops.push(`/${l.bold ? STAMP_FONT_KEYS.bold : STAMP_FONT_KEYS.regular} ${n(lay.size)} Tf`);
      current = l.bold;
    }
    ops.push(`${hexGlyphs(M[l.bold ? "bold" : "regular"], l.text)} Tj`);
  });
  ops.push("ET", "Q");
  return ops.join("\n");
}

/** Whether `font` (a font dictionary of `pdf`) is the renderer's Marianne `style`, glyph for glyph. */
function isOurFont(pdf: RawPdf, font: Dict | undefined, style: "regular" | "bold"): boolean {
  const f = getMetrics()[style].font;
  if (!font) return false;
  const base = font.get("BaseFont");
  const enc = font.get("Encoding");
  if (!(base instanceof Name) || base.v !== f.postscriptName || !(enc instanceof Name) || enc.v !== "Identity-H") return false;
  const cid = pdf.dict(pdf.array(font.get("DescendantFonts"))?.[0]);
  const desc = pdf.dict(cid?.get("FontDescriptor"));
  const file = pdf.dict(desc?.get("FontFile2"));
  return pdf.resolve(file?.get("Length1")) === f.ttf.length;
}

/**
 * The stamp's font resources for a document read by the raw signing path: the document's own
 * Marianne fonts when its pages embed them (the renderer's output: nothing is added), else the
 * fonts embedded anew as new objects numbered by `alloc`. `resources` is the /Font dictionary.
 */
export function rawStampFonts(pdf: RawPdf, widget: Dict, alloc: () => number): { resources: string; objects: NewObject[] } {
  const found: Partial<Record<"regular" | "bold", Ref>> = {};
  const pages: Obj[] = [];
  const p = widget.get("P");
  if (p) pages.push(p);
  const kids = pdf.array(pdf.dict(pdf.catalog().get("Pages"))?.get("Kids"));
  if (kids) pages.push(...kids.slice(0, 4));
  for (const page of pages) {
    const res = pdf.dict(pdf.dict(page)?.get("Resources"));
    const fonts = pdf.dict(res?.get("Font"));
    if (!fonts) continue;
    for (const v of fonts.map.values()) {
      if (!(v instanceof Ref)) continue;
      for (const style of ["regular", "bold"] as const) if (!found[style] && isOurFont(pdf, pdf.dict(v), style)) found[style] = v;
    }
    if (found.regular && found.bold) break;
  }
  const objects: NewObject[] = [];
  const refOf = (style: "regular" | "bold") => {
    const r = found[style];
    if (r) return `${r.num} ${r.gen} R`;
    const nums = [alloc(), alloc(), alloc(), alloc(), alloc()];
    for (const o of fontObjectBodies(style, nums)) objects.push({ num: o.num, gen: 0, body: o.body, stream: o.stream });
    return `${nums[0]} 0 R`;
  };
  return { resources: `<</${STAMP_FONT_KEYS.regular} ${refOf("regular")}/${STAMP_FONT_KEYS.bold} ${refOf("bold")}>>`, objects };
}

/** Whether a pdf-lib font dictionary is the renderer's Marianne `style`. */
function isOurPdfLibFont(doc: PDFDocument, d: PDFDict, style: "regular" | "bold"): boolean {
  const f = getMetrics()[style].font;
  if (d.get(PDFName.of("BaseFont"))?.toString() !== `/${f.postscriptName}`) return false;
  if (d.get(PDFName.of("Encoding"))?.toString() !== "/Identity-H") return false;
  const cid = doc.context.lookupMaybe(d.lookupMaybe(PDFName.of("DescendantFonts"), PDFArray)?.get(0), PDFDict);
  const desc = cid?.lookupMaybe(PDFName.of("FontDescriptor"), PDFDict);
  const file = desc?.lookupMaybe(PDFName.of("FontFile2"), PDFStream);
  return file?.dict.lookupMaybe(PDFName.of("Length1"), PDFNumber)?.asNumber() === f.ttf.length;
}

/** The font for `style` in a pdf-lib document: the document's own Marianne, else embedded anew. */
function pdfLibStampFont(doc: PDFDocument, style: "regular" | "bold"): PDFRef {
  for (const [ref, o] of doc.context.enumerateIndirectObjects()) {
    if (o instanceof PDFDict && !(o instanceof PDFStream) && isOurPdfLibFont(doc, o, style)) return ref;
  }
  const ctx = doc.context;
  const nums = [0, 1, 2, 3, 4].map(() => ctx.nextRef());
  const bodies = fontObjectBodies(style, nums.map((r) => r.objectNumber));
  bodies.forEach((b, i) => {
    const obj = parseDict(ctx, b.body);
    ctx.assign(nums[i], b.stream ? PDFRawStream.of(obj, b.stream) : obj);
  });
  return nums[0];
}

/** Parses a dictionary written by `fontObjectBodies` into a pdf-lib object. */
function parseDict(ctx: PDFDocument["context"], text: string): PDFDict {
  const parser = PDFObjectParser.forBytes(Buffer.from(text, "latin1"), ctx);
  const o = parser.parseObject();
  if (!(o instanceof PDFDict)) throw new Error("stamp: dictionnaire de police illisible");
  return o;
}

/** Builds and registers the appearance stream with pdf-lib (fallback path); returns its reference. */
export async function buildStamp(doc: PDFDocument, width: number, height: number, c: StampContent): Promise<PDFRef> {
  const regular = pdfLibStampFont(doc, "regular");
  const bold = pdfLibStampFont(doc, "bold");
  const ctx = doc.context;
  const stream = ctx.stream(stampContentStream(width, height, c), {
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, width, height],
    Resources: { Font: { [STAMP_FONT_KEYS.regular]: regular, [STAMP_FONT_KEYS.bold]: bold } },
  });
  return ctx.register(stream);
}
