/**
 * Marianne for PDF output.
 *
 * react-dsfr ships Marianne only as CFF-flavoured WOFF; embedding CFF through fontkit gives
 * poppler warnings (see DESIGN.md). We unwrap the WOFF (zlib), convert the CFF outlines to
 * TrueType (glyf) with fonteditor-core, keeping only the Latin/French repertoire, and cache the
 * result in `.cache/fonts/` (or $PARAPHE_FONT_CACHE). Conversion runs once per machine (~0.6 s);
 * every process then parses each TTF once with fontkit and keeps an advance-width table.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";

const require = createRequire(import.meta.url);

export type FontStyle = "regular" | "bold" | "italic" | "bolditalic";
export const FONT_STYLES: FontStyle[] = ["regular", "bold", "italic", "bolditalic"];
const SOURCE: Record<FontStyle, string> = {
  regular: "Marianne-Regular",
  bold: "Marianne-Bold",
  italic: "Marianne-Regular_Italic",
  bolditalic: "Marianne-Bold_Italic",
};

/** Code points kept in the converted fonts: Latin-1, Latin Extended-A, punctuation, €, superscripts. */
function repertoire(): number[] {
  const cps: number[] = [];
  const add = (a: number, b: number) => {
    for (let c = a; c <= b; c++) cps.push(c);
  };
  add(0x20, 0x7e);
  add(0xa0, 0x17f);
  add(0x2010, 0x2027);
  add(0x202f, 0x203a);
  add(0x2070, 0x2079);
  cps.push(0x20ac, 0x2122, 0x2192, 0x2212, 0x2260, 0x2264, 0x2265, 0x2022, 0x25aa, 0x2713);
  return cps;
}

export interface LoadedFont {
  style: FontStyle;
  /** PostScript name with a subset tag (the file only holds part of Marianne). */
  postscriptName: string;
  ttf: Uint8Array;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  bbox: [number, number, number, number];
  /** code point -> glyph id (0 when absent). */
  glyphOf: Map<number, number>;
  /** glyph id -> advance width in font units. */
  advance: Uint16Array;
  /** glyph id -> code point used for ToUnicode (first one mapped). */
  unicodeOf: Map<number, number>;
}

function fontsDir(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  // app/pdf/rendering/fonts -> repository root
  const root = path.resolve(here, "../../../..");
  return process.env.PARAPHE_FONT_CACHE ?? path.join(root, ".cache", "fonts");
}

function woffPath(name: string): string {
  const pkg = path.dirname(require.resolve("@codegouvfr/react-dsfr/package.json"));
  return path.join(pkg, "dsfr", "fonts", `${name}.woff`);
}

/** CFF WOFF -> TrueType bytes (glyf outlines), restricted to the French repertoire. */
export function convertWoffToTtf(woff: Uint8Array): Uint8Array {
  const { Font } = require("fonteditor-core") as typeof import("fonteditor-core");
  const woff2ttfMod = require("fonteditor-core/lib/ttf/woff2ttf");
  const woff2ttf = (woff2ttfMod.default ?? woff2ttfMod) as (b: ArrayBuffer, o: object) => ArrayBuffer;
  const ab = woff.buffer.slice(woff.byteOffset, woff.byteOffset + woff.byteLength) as ArrayBuffer;
  const sfnt = woff2ttf(ab, { inflate: (d: number[]) => Array.from(zlib.inflateSync(Buffer.from(d))) });
  const font = Font.create(sfnt, { type: "otf", subset: repertoire(), hinting: false, kerning: false } as any);
  const out = font.write({ type: "ttf", hinting: false } as any) as ArrayBuffer | Buffer;
  return new Uint8Array(out as ArrayBuffer);
}

/** Path of the cached TTF, generating it on first use. */
export function ensureTtf(style: FontStyle): string {
  const dir = fontsDir();
  const file = path.join(dir, `${SOURCE[style]}.ttf`);
  if (fs.existsSync(file)) return file;
  const ttf = convertWoffToTtf(fs.readFileSync(woffPath(SOURCE[style])));
  fs.mkdirSync(dir, { recursive: true });
  // Write then rename: concurrent test workers may race on a fresh clone.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, ttf);
  fs.renameSync(tmp, file);
  return file;
}

const loaded = new Map<FontStyle, LoadedFont>();

/** Parses a font once per process and builds its metric tables. */
export function loadFont(style: FontStyle): LoadedFont {
  const cached = loaded.get(style);
  if (cached) return cached;
  const ttf = new Uint8Array(fs.readFileSync(ensureTtf(style)));
  const f = fontkit.create(ttf as any) as any;
  const glyphOf = new Map<number, number>();
  const unicodeOf = new Map<number, number>();
  const advance = new Uint16Array(f.numGlyphs);
  for (let g = 0; g < f.numGlyphs; g++) advance[g] = f.getGlyph(g).advanceWidth;
  for (const cp of f.characterSet as number[]) {
    const g = f.glyphForCodePoint(cp).id;
    if (g === 0) continue;
    glyphOf.set(cp, g);
    if (!unicodeOf.has(g)) unicodeOf.set(g, cp);
  }
  const bb = f.bbox;
  const font: LoadedFont = {
    style,
    postscriptName: `PARAPH+${SOURCE[style].replace("_", "")}`,
    ttf,
    unitsPerEm: f.unitsPerEm,
    ascent: f.ascent,
    descent: f.descent,
    capHeight: f.capHeight || f.ascent * 0.7,
    italicAngle: f.italicAngle || 0,
    bbox: [bb.minX, bb.minY, bb.maxX, bb.maxY],
    glyphOf,
    advance,
    unicodeOf,
  };
  loaded.set(style, font);
  return font;
}

