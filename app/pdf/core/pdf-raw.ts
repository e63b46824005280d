// A small, strict PDF reader and incremental update for the signing hot path (the objects are
// written with pdf-writer.ts, the writer the renderer and the stamp use too).
//
// An incremental signature needs only a handful of objects: the trailer chain (/Root, /Size,
// /Info, /ID, /Prev), the catalog, the AcroForm, the signature fields and their widgets. This
// module reads exactly those, through the cross-reference tables, without parsing the rest of
// the document; the cost is then independent of the page count and of the number of earlier
// revisions (pdf-lib's loader parses every object of every revision).
//
// Supported on purpose: classic cross-reference tables (what the renderer, pdf-lib with
// `useObjectStreams: false` and this update produce). Anything else — cross-reference streams,
// hybrid files (/XRefStm), encryption, an offset that does not point at the expected object —
// throws RawUnsupported, and the caller falls back to the @cantoo/pdf-lib path.

import { nameText, numText, PdfFileWriter } from "./pdf-writer";

export class RawUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RawUnsupported";
  }
}

// ------------------------------------------------------------------ objects

export class Name {
  constructor(readonly v: string) {}
}
export class Ref {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
/** A string object kept as its source text (escapes and all) so that rewriting is exact. */
export class Str {
  constructor(
    readonly raw: string,
    readonly hex: boolean,
  ) {}
}
export class Dict {
  readonly map = new Map<string, Obj>();
  /** For a stream object: offset of the byte after the `stream` keyword line. */
  streamAt?: number;
  get(k: string): Obj | undefined {
    return this.map.get(k);
  }
  has(k: string): boolean {
    return this.map.has(k);
  }
  clone(): Dict {
    const d = new Dict();
    for (const [k, v] of this.map) d.map.set(k, v);
    return d;
  }
}
export type Obj = null | boolean | number | Name | Ref | Str | Obj[] | Dict;

// ------------------------------------------------------------------ lexer / parser

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of "()<>[]{}/%") DELIM[c.charCodeAt(0)] = 1;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

export class Parser {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  fail(what: string): never {
    throw new RawUnsupported(`${what} à l'octet ${this.pos}`);
  }

  skipWs(): void {
    const b = this.buf;
    for (;;) {
      const c = b[this.pos];
      if (c === undefined) return;
      if (WS[c]) this.pos++;
      else if (c === 0x25) {
        // comment to end of line
        while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      } else return;
    }
  }

  /** A regular token (keyword, number) at the current position, without consuming it. */
  peekToken(): string {
    this.skipWs();
    const b = this.buf;
    let e = this.pos;
    while (e < b.length && !WS[b[e]] && !DELIM[b[e]]) e++;
    return b.toString("latin1", this.pos, e);
  }

  keyword(k: string): void {
    if (this.peekToken() !== k) this.fail(`« ${k} » attendu`);
    this.pos += k.length;
  }

  /** Non-negative integer token; -1 when the next token is not one. */
  uint(): number {
    this.skipWs();
    const b = this.buf;
    let p = this.pos;
    let n = 0;
    while (p < b.length && isDigit(b[p])) n = n * 10 + (b[p++] - 0x30);
    if (p === this.pos || (p < b.length && !WS[b[p]] && !DELIM[b[p]])) return -1;
    this.pos = p;
    return n;
  }

  object(depth = 0): Obj {
    if (depth > 64) this.fail("imbrication trop profonde");
    this.skipWs();
    const b = this.buf;
    const c = b[this.pos];
    if (c === undefined) this.fail("fin de fichier inattendue");
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literal();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.dict(depth);
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const arr: Obj[] = [];
      for (;;) {
        this.skipWs();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        arr.push(this.object(depth + 1));
      }
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const tok = this.peekToken();
      const n = Number(tok);
      if (tok === "" || !Number.isFinite(n)) this.fail("nombre illisible");
      this.pos += tok.length;
      // `num gen R`
      if (/^\d+$/.test(tok)) {
        const save = this.pos;
        const gen = this.uint();
        if (gen >= 0 && this.peekToken() === "R") {
          this.pos += 1;
          return new Ref(n, gen);
        }
        this.pos = save;
      }
      return n;
    }
    const tok = this.peekToken();
    this.pos += tok.length;
    if (tok === "true") return true;
    if (tok === "false") return false;
    if (tok === "null") return null;
    return this.fail(`objet inattendu « ${tok.slice(0, 20)} »`);
  }

  name(): Name {
    const b = this.buf;
    let e = ++this.pos;
    while (e < b.length && !WS[b[e]] && !DELIM[b[e]]) e++;
    let s = b.toString("latin1", this.pos, e);
    this.pos = e;
    if (s.includes("#")) s = s.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return new Name(s);
  }

  literal(): Str {
    const b = this.buf;
    const start = ++this.pos;
    let depth = 1;
    for (let p = start; p < b.length; p++) {
      const c = b[p];
      if (c === 0x5c) p++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.pos = p + 1;
        return new Str(b.toString("latin1", start, p), false);
      }
    }
    return this.fail("chaîne non terminée");
  }

  hexString(): Str {
    const b = this.buf;
    const start = ++this.pos;
    const end = b.indexOf(0x3e, start);
    if (end < 0) this.fail("chaîne hexadécimale non terminée");
    this.pos = end + 1;
    const raw = b.toString("latin1", start, end);
    if (!/^[0-9A-Fa-f\s]*$/.test(raw)) this.fail("chaîne hexadécimale invalide");
    return new Str(raw, true);
  }

  dict(depth: number): Dict {
    const b = this.buf;
    this.pos += 2;
    const d = new Dict();
    for (;;) {
      this.skipWs();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return d;
      }
      if (b[this.pos] !== 0x2f) this.fail("clé de dictionnaire attendue");
      const k = this.name().v;
      d.map.set(k, this.object(depth + 1));
    }
  }
}

// ------------------------------------------------------------------ serialization

/** Serializes an object (strings are written back exactly as read). */
export function serialize(o: Obj): string {
  if (o === null) return "null";
  if (typeof o === "boolean") return o ? "true" : "false";
  if (typeof o === "number") return numText(o);
  if (o instanceof Name) return nameText(o.v);
  if (o instanceof Ref) return `${o.num} ${o.gen} R`;
  if (o instanceof Str) return o.hex ? `<${o.raw}>` : `(${o.raw})`;
  if (Array.isArray(o)) return `[${o.map(serialize).join(" ")}]`;
  if (o.streamAt !== undefined) throw new RawUnsupported("réécriture d'un flux non prise en charge");
  let s = "<<";
  for (const [k, v] of o.map) s += `${nameText(k)} ${serialize(v)}`;
  return `${s}>>`;
}

// ------------------------------------------------------------------ document

interface XrefEntry {
  offset: number;
  gen: number;
}

/** Text of a PDF text string: UTF-16BE with BOM, else PDFDocEncoding (≈ Latin-1). */
export function decodeText(s: Str): string {
  let bytes: Buffer;
  if (s.hex) {
    const h = s.raw.replace(/\s+/g, "");
    bytes = Buffer.from(h.length % 2 ? `${h}0` : h, "hex");
  } else bytes = unescapeLiteral(s.raw);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    return swapped.swap16().toString("utf16le");
  }
  if (bytes.some((c) => c >= 0x80 && c < 0xa0)) throw new RawUnsupported("texte PDFDocEncoding étendu");
  return bytes.toString("latin1");
}

const LITERAL_ESCAPES: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };

/** Bytes of a literal string's source text: escapes (`\n`, `\055`…) and end-of-line rules applied. */
export function unescapeLiteral(raw: string): Buffer {
  if (!raw.includes("\\") && !raw.includes("\r")) return Buffer.from(raw, "latin1");
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c === 13) {
      if (raw.charCodeAt(i + 1) === 10) i++;
      out.push(10);
      continue;
    }
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    c = raw.charCodeAt(++i);
    if (LITERAL_ESCAPES[c] !== undefined) out.push(LITERAL_ESCAPES[c]);
    else if (c >= 0x30 && c <= 0x37) {
      let v = 0;
      let k = 0;
      while (k < 3 && raw.charCodeAt(i) >= 0x30 && raw.charCodeAt(i) <= 0x37) v = v * 8 + raw.charCodeAt(i++) - 0x30, k++;
      i--;
      out.push(v & 0xff);
    } else if (c === 13) {
      if (raw.charCodeAt(i + 1) === 10) i++;
    } else if (c !== 10 && !Number.isNaN(c)) out.push(c);
  }
  return Buffer.from(out);
}

export class RawPdf {
  readonly buf: Buffer;
  readonly xref = new Map<number, XrefEntry | null>(); // null: free
  readonly trailer: Dict; // the newest trailer
  readonly startxref: number;
  readonly size: number;
  private readonly cache = new Map<number, Obj>();

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tailFrom = Math.max(0, this.buf.length - 1024);
    const sx = this.buf.lastIndexOf("startxref", this.buf.length, "latin1");
    if (sx < tailFrom) throw new RawUnsupported("startxref introuvable en fin de fichier");
    const p = new Parser(this.buf);
    p.pos = sx + 9;
    this.startxref = p.uint();
    if (this.startxref < 0) throw new RawUnsupported("startxref illisible");
    if (!/^%%EOF/.test(this.buf.toString("latin1", p.pos, p.pos + 16).trimStart()))
      throw new RawUnsupported("%%EOF manquant après startxref");
    let trailer: Dict | undefined;
    let size = 0;
    const seen = new Set<number>();
    for (let off: number | undefined = this.startxref; off !== undefined; ) {
      if (seen.has(off) || seen.size > 10_000) throw new RawUnsupported("chaîne /Prev en boucle");
      seen.add(off);
      const t = this.readSection(p, off);
      trailer ??= t;
      if (t.has("XRefStm")) throw new RawUnsupported("fichier hybride (/XRefStm)");
      if (t.has("Encrypt")) throw new RawUnsupported("document chiffré");
      const sz = t.get("Size");
      if (typeof sz === "number") size = Math.max(size, sz);
      const prev = t.get("Prev");
      off = prev === undefined ? undefined : typeof prev === "number" && Number.isSafeInteger(prev) && prev >= 0 ? prev : p.fail("/Prev invalide");
    }
    this.trailer = trailer!;
    for (const k of this.xref.keys()) if (k >= size) size = k + 1;
    this.size = size;
    if (!(this.trailer.get("Root") instanceof Ref)) throw new RawUnsupported("/Root absent du trailer");
  }

  /** Reads one classic xref section (newest first: existing entries win) and its trailer. */
  private readSection(p: Parser, off: number): Dict {
    if (off >= this.buf.length) throw new RawUnsupported("décalage xref hors du fichier");
    p.pos = off;
    if (p.peekToken() !== "xref") throw new RawUnsupported("table xref classique attendue (flux xref non pris en charge)");
    p.pos += 4;
    const b = this.buf;
    for (;;) {
      const tok = p.peekToken();
      if (tok === "trailer") {
        p.pos += 7;
        p.skipWs();
        const t = p.object();
        if (!(t instanceof Dict)) p.fail("trailer invalide");
        return t;
      }
      const first = p.uint();
      const count = p.uint();
      if (first < 0 || count < 0) p.fail("sous-section xref invalide");
      for (let i = 0; i < count; i++) {
        const offset = p.uint();
        const gen = p.uint();
        p.skipWs();
        const type = b[p.pos++];
        if (offset < 0 || gen < 0 || (type !== 0x6e && type !== 0x66)) p.fail("entrée xref invalide");
        const num = first + i;
        if (this.xref.has(num)) continue;
        this.xref.set(num, type === 0x6e ? { offset, gen } : null);
      }
    }
  }

  /** The indirect object `num`, parsed on first use; undefined when free or absent. */
  get(num: number): Obj | undefined {
    if (this.cache.has(num)) return this.cache.get(num);
    const e = this.xref.get(num);
    if (!e) return undefined;
    if (e.offset === 0 || e.offset >= this.buf.length) throw new RawUnsupported(`objet ${num}: décalage invalide`);
    const p = new Parser(this.buf);
    p.pos = e.offset;
    if (p.uint() !== num || p.uint() !== e.gen) throw new RawUnsupported(`objet ${num} absent à son décalage xref`);
    p.keyword("obj");
    const o = p.object();
    if (p.peekToken() === "stream") {
      if (!(o instanceof Dict)) return p.fail("flux sans dictionnaire");
      p.pos += 6;
      o.streamAt = p.pos;
    } else if (p.peekToken() !== "endobj") p.fail("endobj attendu");
    this.cache.set(num, o);
    return o;
  }

  genOf(num: number): number {
    return this.xref.get(num)?.gen ?? 0;
  }

  resolve(o: Obj | undefined): Obj | undefined {
    for (let i = 0; o instanceof Ref && i < 32; i++) o = this.get(o.num);
    return o instanceof Ref ? undefined : o;
  }

  dict(o: Obj | undefined): Dict | undefined {
    const r = this.resolve(o);
    return r instanceof Dict ? r : undefined;
  }

  array(o: Obj | undefined): Obj[] | undefined {
    const r = this.resolve(o);
    return Array.isArray(r) ? r : undefined;
  }

  catalog(): Dict {
    const c = this.dict(this.trailer.get("Root"));
    if (!c) throw new RawUnsupported("catalogue illisible");
    return c;
  }
}

// ------------------------------------------------------------------ signature fields

export interface RawField {
  name: string;
  fieldRef?: Ref;
  field: Dict;
  widgetRef?: Ref;
  widget: Dict;
  signed: boolean;
}

/** Signature fields of the AcroForm, in the order of the /Fields tree (as signatureFields). */
export function rawSignatureFields(pdf: RawPdf): RawField[] {
  const acro = pdf.dict(pdf.catalog().get("AcroForm"));
  const out: RawField[] = [];
  const fields = acro && pdf.array(acro.get("Fields"));
  if (!fields) return out;
  const text = (o: Obj | undefined) => {
    const r = pdf.resolve(o);
    return r instanceof Str ? decodeText(r) : undefined;
  };
  const walk = (arr: Obj[], prefix: string, inheritedFt: string | undefined, depth: number) => {
    if (depth > 8) return;
    for (const item of arr) {
      const d = pdf.dict(item);
      if (!d) continue;
      const t = text(d.get("T"));
      const name = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t;
      const ftObj = pdf.resolve(d.get("FT"));
      const ft = ftObj instanceof Name ? ftObj.v : inheritedFt;
      const kids = pdf.array(d.get("Kids"));
      const kid0 = kids && kids.length > 0 ? pdf.dict(kids[0]) : undefined;
      if (kids && kid0?.has("T")) walk(kids, name, ft, depth + 1);
      else if (ft === "Sig") {
        const widgetItem = kid0 ? kids![0] : item;
        out.push({
          name,
          field: d,
          fieldRef: item instanceof Ref ? item : undefined,
          widget: kid0 ?? d,
          widgetRef: widgetItem instanceof Ref ? widgetItem : undefined,
          signed: d.has("V"),
        });
      }
    }
  };
  walk(fields, "", undefined, 0);
  return out;
}

export function rectOf(pdf: RawPdf, d: Dict): { x: number; y: number; width: number; height: number } | undefined {
  const a = pdf.array(d.get("Rect"));
  if (!a || a.length !== 4) return undefined;
  const n = a.map((x) => pdf.resolve(x));
  if (!n.every((x): x is number => typeof x === "number")) return undefined;
  const [x1, y1, x2, y2] = n as number[];
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

// ------------------------------------------------------------------ incremental writer

export interface NewObject {
  num: number;
  gen: number;
  /** The object's body (between `obj` and `endobj`), or a stream: dict text + raw bytes. */
  body: string;
  stream?: Uint8Array;
  /** Unique strings of `body` whose absolute offsets in the output are wanted. */
  markers?: string[];
}

export interface WrittenUpdate {
  bytes: Uint8Array;
  /** Absolute offset of each marker string passed to `markers`, found in its object. */
  offsets: Map<string, number>;
}

/**
 * Appends objects, a classic xref section and a trailer (with /Prev) to `input`. The output's
 * first input.length bytes are input's. The absolute offsets of each object's `markers` are
 * returned (used to locate the signature placeholders without searching).
 */
export function writeIncrement(pdf: RawPdf, objects: NewObject[], newSize: number): WrittenUpdate {
  const input = pdf.buf;
  const w = new PdfFileWriter(input.length);
  const last = input[input.length - 1];
  if (last !== 10 && last !== 13) w.raw("\n");
  const offsets = new Map<string, number>();
  for (const o of [...objects].sort((a, b) => a.num - b.num)) {
    const bodyAt = w.object(o.num, o.gen, o.body, o.stream);
    for (const m of o.markers ?? []) {
      const i = o.body.indexOf(m);
      if (i < 0 || o.body.indexOf(m, i + 1) >= 0) throw new Error(`pdf-raw: marqueur ${m} absent ou répété`);
      offsets.set(m, bodyAt + i);
    }
  }
  const t = pdf.trailer;
  let tr = `<</Size ${newSize}/Root ${serialize(t.get("Root")!)}`;
  if (t.has("Info")) tr += `/Info ${serialize(t.get("Info")!)}`;
  if (t.has("ID")) tr += `/ID ${serialize(t.get("ID")!)}`;
  tr += `/Prev ${pdf.startxref}>>`;
  w.end(tr);
  return { bytes: w.bytes(input), offsets };
}
