// Visible signature stamp: the form XObject used as the signature widget's normal appearance.
// Standard Helvetica with WinAnsiEncoding covers French accents and keeps the text extractable.
import {
  type PDFDocument,
  type PDFFont,
  type PDFRef,
  PDFName,
  PDFOperator,
  StandardFonts,
  beginText,
  endText,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingRgbColor,
  showText,
  stroke,
  moveText,
  fill,
} from "@cantoo/pdf-lib";

let parisFormat: Intl.DateTimeFormat | undefined; // creating one costs ~1 ms

/** Parts of a date in Europe/Paris, with the UTC offset in minutes. */
function parisParts(d: Date) {
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

/** Replaces characters WinAnsi cannot encode so that the stamp never fails on a name. */
function winAnsiSafe(font: PDFFont, text: string): string {
  const set = new Set(font.getCharacterSet());
  return [...text.normalize("NFC")]
    .map((ch) => (set.has(ch.codePointAt(0)!) ? ch : (ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "") || "?")))
    .map((ch) => (set.has(ch.codePointAt(0)!) ? ch : "?"))
    .join("");
}

/** Builds and registers the appearance stream; returns its reference. */
export async function buildStamp(doc: PDFDocument, width: number, height: number, c: StampContent): Promise<PDFRef> {
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const lines = stampLines(c).map((l) => {
    const font = l.bold ? bold : regular;
    return { ...l, font, text: winAnsiSafe(font, l.text) };
  });
  const pad = 4;
  // Fit: at most 9 pt, shrink so the widest line and all lines fit the box.
  let size = 9;
  for (const l of lines) {
    const w = l.font.widthOfTextAtSize(l.text, 1);
    if (w > 0) size = Math.min(size, (width - 2 * pad) / w);
  }
  size = Math.max(4, Math.min(size, (height - 2 * pad) / (lines.length * 1.25)));
  const leading = size * 1.25;
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    setFillingRgbColor(0.96, 0.96, 1),
    rectangle(0, 0, width, height),
    fill(),
    setStrokingRgbColor(0, 0, 0.57),
    setLineWidth(0.75),
    rectangle(0.5, 0.5, width - 1, height - 1),
    stroke(),
    setFillingRgbColor(0, 0, 0.3),
    beginText(),
  ];
  const top = height - pad - size;
  const startY = Math.max(pad, top - (height - 2 * pad - lines.length * leading) / 2);
  ops.push(moveText(pad + 2, startY));
  lines.forEach((l, i) => {
    if (i > 0) ops.push(moveText(0, -leading));
    ops.push(setFontAndSize(l.bold ? "HelvB" : "Helv", size), showText(l.font.encodeText(l.text)));
  });
  ops.push(endText(), popGraphicsState());
  const ctx = doc.context;
  const stream = ctx.formXObject(ops, {
    BBox: [0, 0, width, height],
    Resources: { Font: { Helv: regular.ref, HelvB: bold.ref } },
  });
  void PDFName;
  return ctx.register(stream);
}
