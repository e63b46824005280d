// Visible signature stamp: the form XObject used as the signature widget's normal appearance.
// Standard Helvetica with WinAnsiEncoding covers French accents and keeps the text extractable.
import { type PDFDocument, type PDFRef, StandardFontEmbedder, StandardFonts } from "@cantoo/pdf-lib";

type FontNames = Parameters<typeof StandardFontEmbedder.for>[0];

let parisFormat: Intl.DateTimeFormat | undefined; // creating one costs ~1 ms

let lastParts: { t: number; parts: Record<string, string> } | undefined; // /M and the stamp share a date

/** Parts of a date in Europe/Paris, with the UTC offset in minutes. */
function parisParts(d: Date): Record<string, string> {
  const t = d.getTime();
  if (lastParts?.t === t) return lastParts.parts;
  const parts = computeParisParts(d);
  lastParts = { t, parts };
  return parts;
}

function computeParisParts(d: Date) {
  const f = (parisFormat ??= new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }));
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const localAsUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const offset = Math.round((localAsUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  const sign = offset >= 0 ? "+" : "-";
  const oh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const om = String(Math.abs(offset) % 60).padStart(2, "0");
  return { ...p, sign, oh, om } as Record<string, string>;
}

/** The reference's stamp time format: `2022.12.19 23:45:15 +01'00'` (Europe/Paris). */
export function formatStampTime(d: Date): string {
  const p = parisParts(d);
  return `${p.year}.${p.month}.${p.day} ${p.hour}:${p.minute}:${p.second} ${p.sign}${p.oh}'${p.om}'`;
}

/** PDF date string for `/M`: `D:20221219234515+01'00'` (Europe/Paris). */
export function pdfDate(d: Date): string {
  const p = parisParts(d);
  return `D:${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}${p.sign}${p.oh}'${p.om}'`;
}

/** Parses a PDF date (`D:YYYYMMDDHHmmSS+HH'mm'`, later parts optional). */
export function parsePdfDate(s: string): Date | undefined {
  const m = s.match(/^D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([Zz+-])(\d\d)?'?(\d\d)?'?)?$/);
  if (!m) return undefined;
  const utc = Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  const sign = m[7] === "-" ? -1 : m[7] === "+" ? 1 : 0;
  return new Date(utc - sign * ((+(m[8] ?? 0) * 60 + +(m[9] ?? 0)) * 60_000));
}

export interface StampContent {
  name: string;
  function?: string;
  organisation: string;
  date: Date;
  /** « Pour <holder> et par délégation, <delegate> » variant. */
  delegation?: { holder: string; delegate: string };
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
  lines.push({ text: formatStampTime(c.date), bold: false });
  return lines;
}

interface StampFont {
  embedder: StandardFontEmbedder;
  charset: Set<number>;
}
const stampFonts = new Map<string, StampFont>();
function stampFont(name: StandardFonts): StampFont {
  let f = stampFonts.get(name);
  if (!f) {
    const embedder = StandardFontEmbedder.for(name as unknown as FontNames);
    f = { embedder, charset: new Set(embedder.encoding.supportedCodePoints) };
    stampFonts.set(name, f);
  }
  return f;
}

/** Replaces characters WinAnsi cannot encode so that the stamp never fails on a name. */
function winAnsiSafe(font: StampFont, text: string): string {
  const set = font.charset;
  return [...text.normalize("NFC")]
    .map((ch) => (set.has(ch.codePointAt(0)!) ? ch : (ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "") || "?")))
    .map((ch) => (set.has(ch.codePointAt(0)!) ? ch : "?"))
    .join("");
}

const n = (x: number) => {
  const r = Math.round(x * 1000) / 1000;
  return Object.is(r, -0) ? "0" : String(r);
};

/**
 * The stamp's content stream, for a form XObject whose resources name standard Helvetica
 * `/Helv` and Helvetica-Bold `/HelvB` (WinAnsiEncoding): no font program to embed, and the
 * metrics are loaded once per process.
 */
export function stampContentStream(width: number, height: number, c: StampContent): string {
  const regular = stampFont(StandardFonts.Helvetica);
  const bold = stampFont(StandardFonts.HelveticaBold);
  const lines = stampLines(c).map((l) => {
    const font = l.bold ? bold : regular;
    return { ...l, font, text: winAnsiSafe(font, l.text) };
  });
  const pad = 4;
  const x = pad + 2;
  // Fit: at most 9 pt, shrink so the widest line (starting at x) and all lines fit the box.
  let size = 9;
  for (const l of lines) {
    const w = l.font.embedder.widthOfTextAtSize(l.text, 1);
    if (w > 0) size = Math.min(size, (width - x - pad) / w);
  }
  size = Math.max(4, Math.min(size, (height - 2 * pad) / (lines.length * 1.25)));
  const leading = size * 1.25;
  const top = height - pad - size;
  const startY = Math.max(pad, top - (height - 2 * pad - lines.length * leading) / 2);
  const ops = [
    "q",
    "0.96 0.96 1 rg",
    `0 0 ${n(width)} ${n(height)} re`,
    "f",
    "0 0 0.57 RG",
    "0.75 w",
    `0.5 0.5 ${n(width - 1)} ${n(height - 1)} re`,
    "S",
    "0 0 0.3 rg",
    "BT",
    `${n(x)} ${n(startY)} Td`,
  ];
  lines.forEach((l, i) => {
    if (i > 0) ops.push(`0 ${n(-leading)} Td`);
    ops.push(`/${l.bold ? "HelvB" : "Helv"} ${n(size)} Tf`, `<${l.font.embedder.encodeText(l.text).asString()}> Tj`);
  });
  ops.push("ET", "Q");
  return ops.join("\n");
}

/** Font dictionaries of the stamp's resources (standard 14 fonts: nothing embedded). */
export const STAMP_FONTS = {
  Helv: "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
  HelvB: "<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>",
} as const;

/** Builds and registers the appearance stream with pdf-lib (fallback path); returns its reference. */
export async function buildStamp(doc: PDFDocument, width: number, height: number, c: StampContent): Promise<PDFRef> {
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const ctx = doc.context;
  const stream = ctx.stream(stampContentStream(width, height, c), {
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, width, height],
    Resources: { Font: { Helv: regular.ref, HelvB: bold.ref } },
  });
  return ctx.register(stream);
}
