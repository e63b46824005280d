/**
 * Embeds the cached Marianne TrueType fonts as Type0/CIDFontType2 (Identity-H) fonts. The font
 * file and ToUnicode CMap are compressed once per process; per document we only register a few
 * small dictionaries, which keeps per-document font work small (no fontkit subsetting per PDF).
 */
import zlib from "node:zlib";
import type { FontStyle } from "./fonts/marianne";
import { getMetrics } from "./layout-text";
import { PdfFileWriter } from "../core/pdf-writer";

interface Prepared {
  fontFile: Uint8Array;
  toUnicode: Uint8Array;
  widths: number[];
}

const prepared = new Map<FontStyle, Prepared>();

function utf16hex(cp: number): string {
  if (cp < 0x10000) return cp.toString(16).padStart(4, "0");
  const c = cp - 0x10000;
  return ((0xd800 + (c >> 10)).toString(16) + (0xdc00 + (c & 0x3ff)).toString(16)).padStart(8, "0");
}

function prepare(style: FontStyle): Prepared {
  const hit = prepared.get(style);
  if (hit) return hit;
  const m = getMetrics()[style];
  const f = m.font;
  const entries = [...f.unicodeOf.entries()].sort((a, b) => a[0] - b[0]);
  let cmap =
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
    "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n";
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    cmap += `${chunk.length} beginbfchar\n`;
    for (const [g, cp] of chunk) cmap += `<${m.hex[g]}> <${utf16hex(cp)}>\n`;
    cmap += "endbfchar\n";
  }
  cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend";
  const scale = 1000 / f.unitsPerEm;
  const p: Prepared = {
    fontFile: zlib.deflateSync(f.ttf),
    toUnicode: zlib.deflateSync(Buffer.from(cmap, "latin1")),
    widths: Array.from(f.advance, (a) => Math.round(a * scale)),
  };
  prepared.set(style, p);
  return p;
}

/** Warms the per-process caches (fonts parsed, streams compressed). */
export function warmFonts(): void {
  for (const s of ["regular", "bold", "italic", "bolditalic"] as FontStyle[]) prepare(s);
}

/** Bodies of the Type0, CIDFontType2 and FontDescriptor dictionaries of `style`, objects `nums`. */
function fontDictBodies(style: FontStyle, nums: number[]): [string, string, string] {
  const p = prepare(style);
  const f = getMetrics()[style].font;
  const scale = 1000 / f.unitsPerEm;
  const name = `/${f.postscriptName}`;
  const italic = style === "italic" || style === "bolditalic";
  const [, cid, desc, file, tou] = nums;
  return [
    `<<\n/Type /Font\n/Subtype /Type0\n/BaseFont ${name}\n/Encoding /Identity-H\n/DescendantFonts [ ${cid} 0 R ]\n/ToUnicode ${tou} 0 R\n>>`,
    `<<\n/Type /Font\n/Subtype /CIDFontType2\n/BaseFont ${name}\n/CIDSystemInfo <<\n/Registry (Adobe)\n/Ordering (Identity)\n/Supplement 0\n>>\n/FontDescriptor ${desc} 0 R\n/W [ 0 [ ${p.widths.join(" ")} ] ]\n/CIDToGIDMap /Identity\n>>`,
    // Nonsymbolic (32), Italic (64)
    `<<\n/Type /FontDescriptor\n/FontName ${name}\n/Flags ${32 + (italic ? 64 : 0)}\n/FontBBox [ ${f.bbox.map((v) => Math.round(v * scale)).join(" ")} ]\n/ItalicAngle ${f.italicAngle}\n/Ascent ${Math.round(f.ascent * scale)}\n/Descent ${Math.round(f.descent * scale)}\n/CapHeight ${Math.round(f.capHeight * scale)}\n/StemV ${style.startsWith("bold") ? 140 : 80}\n/FontFile2 ${file} 0 R\n>>`,
  ];
}

/**
 * The five objects of one embedded font as bodies (dictionary text, stream bytes already
 * compressed), numbered `nums`: what an incremental update appends when a document to sign does
 * not carry the font its stamp needs.
 */
export function fontObjectBodies(style: FontStyle, nums: number[]): { num: number; body: string; stream?: Uint8Array }[] {
  const p = prepare(style);
  const f = getMetrics()[style].font;
  const [d0, d1, d2] = fontDictBodies(style, nums);
  return [
    { num: nums[0], body: d0 },
    { num: nums[1], body: d1 },
    { num: nums[2], body: d2 },
    { num: nums[3], body: `<<\n/Length1 ${f.ttf.length}\n/Filter /FlateDecode\n/Length ${p.fontFile.length}\n>>`, stream: p.fontFile },
    { num: nums[4], body: `<<\n/Filter /FlateDecode\n/Length ${p.toUnicode.length}\n>>`, stream: p.toUnicode },
  ];
}

const fontChunks = new Map<string, { bytes: Uint8Array; offsets: number[] }>();

/**
 * The five objects of one embedded font (Type0, CIDFontType2, FontDescriptor, FontFile2,
 * ToUnicode), numbered `first` .. `first + 4`, serialized once per process and per numbering:
 * a document only copies these bytes. `offsets[i]` is where object `first + i` starts.
 */
export function fontObjects(style: FontStyle, first: number): { bytes: Uint8Array; offsets: number[] } {
  const key = `${style}:${first}`;
  let hit = fontChunks.get(key);
  if (!hit) {
    const file = new PdfFileWriter();
    const offsets = fontObjectBodies(style, [first, first + 1, first + 2, first + 3, first + 4]).map((o) => {
      const at = file.pos;
      file.object(o.num, 0, o.body, o.stream);
      return at;
    });
    hit = { bytes: file.bytes(), offsets };
    fontChunks.set(key, hit);
  }
  return hit;
}
