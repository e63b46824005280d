// Viewer-faithful object resolution for the verifier: a revision (the file's prefix ending at a
// given offset) is read the way poppler and MuPDF read it, from its `startxref` through the whole
// cross-reference chain (classic tables, xref streams, hybrid /XRefStm, object streams), newest
// definition first. What matters is which definition the xref designates, never the textual
// order of the bytes (pdf-lib's loader keeps the last text; a byte scan misses object streams).
//
// Strict where a viewer would have to guess: a /Prev loop (poppler: « Circular XRef »), an
// offset that does not hold `num gen obj`, a stream whose /Length does not end at `endstream`
// are errors, and the verifier then says INVALID. Every decoded stream has a hard size cap
// (zlib's maxOutputLength: a 4 MB deflate can inflate to 4 GiB) and all decoding shares one budget.
import zlib from "node:zlib";
import { Dict, Name, Parser, RawUnsupported, Ref, Str, decodeText, unescapeLiteral, type Obj } from "../core/pdf-raw";

export type { Obj };
export { Dict, Name, Ref, Str };

/** A structural fault of the file (French message). `code` lets callers pick the check. */
export class PdfStructureError extends Error {
  constructor(
    message: string,
    readonly code: "xref-loop" | "xref" | "object" | "stream" | "too-large" | "limits" = "object",
  ) {
    super(message);
    this.name = "PdfStructureError";
  }
}

export interface ResolveLimits {
  /** xref sections in one chain (tables, streams, /XRefStm). */
  maxSections: number;
  /** Decoded bytes of one stream (content, object stream, xref stream). */
  maxStreamBytes: number;
  /** Decoded bytes over the whole verification. */
  maxTotalDecoded: number;
  /** Entries of one xref section. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: ResolveLimits = {
  maxSections: 256,
  maxStreamBytes: 32 * 1024 * 1024,
  maxTotalDecoded: 128 * 1024 * 1024,
  maxEntries: 1_000_000,
};

type Entry = { t: 0 } | { t: 1; offset: number; gen: number } | { t: 2; stm: number; idx: number };

interface Parsed {
  num: number;
  gen: number;
  obj: Obj;
  /** Offset after the object (after `endstream` for a stream). */
  end: number;
}

const isWs = (c: number | undefined) => c === 0 || c === 9 || c === 10 || c === 12 || c === 13 || c === 32;

/** Bytes of a string object (hex or literal, escapes decoded): `(fr\055FR)` = `<66722d4652>`. */
export function strBytes(s: Str): Buffer {
  if (s.hex) {
    const h = s.raw.replace(/[\0\t\n\f\r ]+/g, "");
    return Buffer.from(h.length % 2 ? `${h}0` : h, "hex");
  }
  return unescapeLiteral(s.raw);
}

/** Text of a string object, undefined when it is not one or does not decode. */
export function textOf(o: Obj | undefined): string | undefined {
  if (!(o instanceof Str)) return undefined;
  try {
    return decodeText(o);
  } catch {
    return strBytes(o).toString("latin1");
  }
}

/**
 * The file, shared by all its revisions: objects are parsed once per physical location (an
 * object at a given offset is the same text whichever revision designates it), and decoding
 * draws on one budget.
 */
export class PdfFile {
  readonly buf: Buffer;
  private readonly parsed = new Map<number, Parsed>();
  private readonly objStms = new Map<string, Obj[]>();
  private decoded = 0;

  constructor(
    bytes: Uint8Array,
    readonly limits: ResolveLimits = DEFAULT_LIMITS,
  ) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The revision whose bytes end at `end` (the whole file by default). */
  revision(end = this.buf.length): Revision {
    return new Revision(this, end);
  }

  /** `num gen obj … ` at `offset` (PDF whitespace and comments tolerated before it). */
  objectAt(offset: number, num: number, gen: number, end: number): Parsed {
    let p = this.parsed.get(offset);
    if (!p) {
      p = this.parseAt(offset, num, gen);
      this.parsed.set(offset, p);
    } else if (p.num !== num || p.gen !== gen) {
      throw new PdfStructureError(`objet ${num} ${gen} absent à son décalage xref (${offset})`, "xref");
    }
    if (p.end > end) throw new PdfStructureError(`objet ${num} au-delà de la fin de sa révision`, "object");
    return p;
  }

  private header(offset: number): { num: number; gen: number; parser: Parser } {
    if (offset <= 0 || offset >= this.buf.length) throw new PdfStructureError(`décalage ${offset} hors du fichier`, "xref");
    const parser = new Parser(this.buf);
    parser.pos = offset;
    const num = parser.uint();
    const gen = parser.uint();
    if (num < 0 || gen < 0 || parser.peekToken() !== "obj") return { num: -1, gen: -1, parser };
    parser.pos += 3;
    return { num, gen, parser };
  }

  private parseAt(offset: number, num: number, gen: number): Parsed {
    const h = this.header(offset);
    if (h.num !== num || h.gen !== gen) throw new PdfStructureError(`objet ${num} ${gen} absent à son décalage xref (${offset})`, "xref");
    const p = h.parser;
    let obj: Obj;
    try {
      obj = p.object();
    } catch (e) {
      throw new PdfStructureError(`objet ${num} illisible: ${(e as Error).message}`, "object");
    }
    if (p.peekToken() === "stream") {
      if (!(obj instanceof Dict)) throw new PdfStructureError(`objet ${num}: flux sans dictionnaire`, "stream");
      p.pos += 6;
      // The keyword is followed by CRLF or LF (a lone CR tolerated, as viewers do).
      if (this.buf[p.pos] === 13) p.pos++;
      if (this.buf[p.pos] === 10) p.pos++;
      const d = obj.clone();
      d.streamAt = p.pos;
      return { num, gen, obj: d, end: p.pos };
    }
    return { num, gen, obj, end: p.pos };
  }

  /** Raw bytes of a stream whose length is `length`, checked to end at `endstream`. */
  streamBytes(d: Dict, length: number, end: number): Buffer {
    const at = d.streamAt!;
    if (!Number.isSafeInteger(length) || length < 0 || at + length > end)
      throw new PdfStructureError(`longueur de flux invalide (${length}) à l'octet ${at}`, "stream");
    let e = at + length;
    while (e < end && isWs(this.buf[e])) e++;
    if (this.buf.toString("latin1", e, e + 9) !== "endstream")
      throw new PdfStructureError(`« endstream » absent après le flux de l'octet ${at}`, "stream");
    return this.buf.subarray(at, at + length);
  }

  /** Decodes stream data through its filters, at most `cap` bytes (PdfStructureError "too-large"). */
  decode(raw: Buffer, filters: string[], parms: (Dict | undefined)[], cap: number): Buffer {
    let data = raw;
    filters.forEach((f, i) => {
      const left = Math.min(cap, this.limits.maxTotalDecoded - this.decoded);
      if (left <= 0) throw new PdfStructureError("volume total décompressé trop grand", "too-large");
      if (f === "FlateDecode" || f === "Fl") {
        try {
          data = zlib.inflateSync(data, { maxOutputLength: left, finishFlush: zlib.constants.Z_SYNC_FLUSH });
        } catch (e) {
          if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError)
            throw new PdfStructureError(`flux décompressé au-delà de ${left} octets`, "too-large");
          throw new PdfStructureError(`flux compressé illisible: ${(e as Error).message}`, "stream");
        }
        data = unpredict(data, parms[i]);
      } else if (f === "ASCIIHexDecode" || f === "AHx") {
        const h = data.toString("latin1").replace(/>[\s\S]*$/, "").replace(/[\0\t\n\f\r ]+/g, "");
        if (!/^[0-9A-Fa-f]*$/.test(h)) throw new PdfStructureError("flux ASCIIHex invalide", "stream");
        data = Buffer.from(h.length % 2 ? `${h}0` : h, "hex");
      } else throw new PdfStructureError(`filtre non pris en charge: ${f}`, "stream");
      if (data.length > left) throw new PdfStructureError(`flux décompressé au-delà de ${left} octets`, "too-large");
      this.decoded += data.length;
    });
    return data;
  }

  /** Objects of an object stream, parsed once per physical stream. */
  objStm(key: string, load: () => { data: Buffer; n: number; first: number }): Obj[] {
    const cached = this.objStms.get(key);
    if (cached) return cached;
    const { data, n, first } = load();
    if (!Number.isSafeInteger(n) || n < 0 || n > data.length || !Number.isSafeInteger(first) || first < 0 || first > data.length)
      throw new PdfStructureError("flux d'objets: /N ou /First invalide", "object");
    const p = new Parser(data);
    const nums: number[] = [];
    const offs: number[] = [];
    for (let i = 0; i < n; i++) {
      const num = p.uint();
      const off = p.uint();
      if (num < 0 || off < 0) throw new PdfStructureError("flux d'objets: en-tête illisible", "object");
      nums.push(num);
      offs.push(off);
    }
    const objs: Obj[] = [];
    for (let i = 0; i < n; i++) {
      p.pos = first + offs[i];
      try {
        objs.push(p.object());
      } catch (e) {
        throw new PdfStructureError(`flux d'objets: objet ${nums[i]} illisible (${(e as Error).message})`, "object");
      }
    }
    const out = Object.assign(objs, { nums });
    this.objStms.set(key, out);
    return out;
  }
}

/** Undoes a PNG (10–15) predictor; TIFF (2) is refused (not used for xref/object streams). */
function unpredict(data: Buffer, parms: Dict | undefined): Buffer {
  const pred = parms?.get("Predictor");
  if (pred === undefined || pred === 1) return data;
  if (typeof pred !== "number" || pred < 10 || pred > 15) throw new PdfStructureError(`prédicteur non pris en charge: ${String(pred)}`, "stream");
  const num = (k: string, d: number) => {
    const v = parms!.get(k);
    return typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : d;
  };
  const colors = num("Colors", 1);
  const bpc = num("BitsPerComponent", 8);
  const columns = num("Columns", 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((columns * colors * bpc) / 8);
  if (rowLen <= 0 || rowLen > 1 << 20) throw new PdfStructureError("prédicteur: /Columns invalide", "stream");
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  let prev = Buffer.alloc(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    const src = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const row = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v = src[i];
      if (type === 1) v += a;
      else if (type === 2) v += b;
      else if (type === 3) v += (a + b) >> 1;
      else if (type === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (type !== 0) throw new PdfStructureError(`prédicteur PNG inconnu: ${type}`, "stream");
      row[i] = v & 0xff;
    }
    prev = row;
  }
  return out;
}

/** One revision: the prefix of the file ending at `end`, resolved through its xref chain. */
export class Revision {
  readonly xref = new Map<number, Entry>();
  readonly trailer: Dict;
  readonly startxref: number;
  /** Offsets of the sections read, newest first. */
  readonly sections: number[] = [];
  private readonly cache = new Map<number, Obj | undefined>();

  constructor(
    readonly file: PdfFile,
    readonly end: number,
  ) {
    const buf = file.buf;
    if (end <= 0 || end > buf.length) throw new PdfStructureError(`fin de révision ${end} hors du fichier`, "xref");
    const sx = buf.lastIndexOf("startxref", end - 9, "latin1");
    if (sx < 0 || sx < end - 1024) throw new PdfStructureError(`startxref introuvable avant l'octet ${end}`, "xref");
    const p = new Parser(buf.subarray(0, end));
    p.pos = sx + 9;
    this.startxref = p.uint();
    if (this.startxref < 0) throw new PdfStructureError("startxref illisible", "xref");
    let q = p.pos;
    while (q < end && isWs(buf[q])) q++;
    if (buf.toString("latin1", q, q + 5) !== "%%EOF") throw new PdfStructureError("%%EOF manquant après startxref", "xref");

    let trailer: Dict | undefined;
    const visited = new Set<number>();
    const visit = (off: number) => {
      if (visited.has(off)) throw new PdfStructureError(`chaîne de références croisées en boucle (section à l'octet ${off})`, "xref-loop");
      if (visited.size >= file.limits.maxSections) throw new PdfStructureError(`plus de ${file.limits.maxSections} sections de références croisées`, "limits");
      visited.add(off);
      this.sections.push(off);
    };
    for (let off: number | undefined = this.startxref; off !== undefined; ) {
      visit(off);
      const t = this.readSection(off);
      trailer ??= t;
      if (t.has("Encrypt")) throw new PdfStructureError("document chiffré: non pris en charge", "xref");
      const stm = t.get("XRefStm");
      // Hybrid file: the stream's entries come after the table's, before /Prev.
      if (stm !== undefined && !(t.streamAt !== undefined)) {
        const so = this.offsetValue(stm, "/XRefStm");
        visit(so);
        this.readSection(so, true);
      }
      const prev = t.get("Prev");
      off = prev === undefined ? undefined : this.offsetValue(prev, "/Prev");
    }
    this.trailer = trailer!;
    if (!(this.trailer.get("Root") instanceof Ref)) throw new PdfStructureError("/Root absent du trailer", "xref");
  }

  private offsetValue(v: Obj, what: string): number {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v >= this.end)
      throw new PdfStructureError(`${what} invalide`, "xref");
    return v;
  }

  private set(num: number, e: Entry) {
    if (!this.xref.has(num)) this.xref.set(num, e); // newest section first: the first entry wins
  }

  /** Reads the section at `off` (table + trailer, or xref stream); returns its trailer. */
  private readSection(off: number, streamOnly = false): Dict {
    const buf = this.file.buf;
    const p = new Parser(buf.subarray(0, this.end));
    p.pos = off;
    const tok = p.peekToken();
    if (tok === "xref" && !streamOnly) return this.readTable(p);
    if (/^\d+$/.test(tok)) return this.readXrefStream(off);
    throw new PdfStructureError(`section de références croisées attendue à l'octet ${off}`, "xref");
  }

  private readTable(p: Parser): Dict {
    const buf = this.file.buf;
    p.pos += 4;
    try {
      for (;;) {
        if (p.peekToken() === "trailer") {
          p.pos += 7;
          const t = p.object();
          if (!(t instanceof Dict)) throw new PdfStructureError("trailer invalide", "xref");
          return t;
        }
        const first = p.uint();
        const count = p.uint();
        if (first < 0 || count < 0 || count > this.file.limits.maxEntries) throw new PdfStructureError(`sous-section xref invalide à l'octet ${p.pos}`, "xref");
        for (let i = 0; i < count; i++) {
          const offset = p.uint();
          const gen = p.uint();
          p.skipWs();
          const type = buf[p.pos++];
          if (offset < 0 || gen < 0 || (type !== 0x6e && type !== 0x66)) throw new PdfStructureError(`entrée xref invalide à l'octet ${p.pos}`, "xref");
          this.set(first + i, type === 0x6e ? { t: 1, offset, gen } : { t: 0 });
        }
      }
    } catch (e) {
      if (e instanceof PdfStructureError) throw e;
      throw new PdfStructureError(`table xref illisible: ${(e as Error).message}`, "xref");
    }
  }

  private readXrefStream(off: number): Dict {
    const p = new Parser(this.file.buf);
    p.pos = off;
    const num = p.uint();
    const gen = p.uint();
    const { obj } = this.file.objectAt(off, num, gen, this.end);
    if (!(obj instanceof Dict) || obj.streamAt === undefined) throw new PdfStructureError(`flux xref attendu à l'octet ${off}`, "xref");
    const type = obj.get("Type");
    if (type !== undefined && !(type instanceof Name && type.v === "XRef")) throw new PdfStructureError(`flux xref attendu à l'octet ${off}`, "xref");
    const len = obj.get("Length");
    if (typeof len !== "number") throw new PdfStructureError("flux xref: /Length doit être direct", "xref");
    const data = this.decodeStream(obj, this.file.streamBytes(obj, len, this.end), this.file.limits.maxStreamBytes);
    const w = obj.get("W");
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 8))
      throw new PdfStructureError("flux xref: /W invalide", "xref");
    const [w0, w1, w2] = w as number[];
    const size = obj.get("Size");
    const index = obj.get("Index") ?? [0, typeof size === "number" ? size : 0];
    if (!Array.isArray(index) || index.length % 2 || !index.every((x) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0))
      throw new PdfStructureError("flux xref: /Index invalide", "xref");
    const rowLen = w0 + w1 + w2;
    let pos = 0;
    const field = (width: number, dflt: number) => {
      if (width === 0) return dflt;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + data[pos++];
      return v;
    };
    for (let i = 0; i < index.length; i += 2) {
      const first = index[i] as number;
      const count = index[i + 1] as number;
      if (count > this.file.limits.maxEntries || pos + count * rowLen > data.length) throw new PdfStructureError("flux xref: entrées tronquées", "xref");
      for (let k = 0; k < count; k++) {
        const t = field(w0, 1);
        const a = field(w1, 0);
        const b = field(w2, 0);
        if (t === 1) this.set(first + k, { t: 1, offset: a, gen: b });
        else if (t === 2) this.set(first + k, { t: 2, stm: a, idx: b });
        else this.set(first + k, { t: 0 }); // free, or an unknown type (the null object)
      }
    }
    return obj;
  }

  /** Filter names and parameters of a stream dict, resolved in this revision. */
  filtersOf(d: Dict): { filters: string[]; parms: (Dict | undefined)[] } {
    const f = this.resolve(d.get("Filter"));
    const filters = f === undefined || f === null ? [] : Array.isArray(f) ? f.map((x) => this.resolve(x)) : [f];
    if (!filters.every((x): x is Name => x instanceof Name)) throw new PdfStructureError("/Filter invalide", "stream");
    const dp = this.resolve(d.get("DecodeParms"));
    const parms = Array.isArray(dp) ? dp.map((x) => this.dict(x)) : filters.map(() => (dp instanceof Dict ? dp : undefined));
    return { filters: filters.map((x) => x.v), parms };
  }

  decodeStream(d: Dict, raw: Buffer, cap: number): Buffer {
    const { filters, parms } = this.filtersOf(d);
    return this.file.decode(raw, filters, parms, cap);
  }

  /** Raw (encoded) bytes of a stream object of this revision. */
  rawStream(d: Dict): Buffer {
    const len = this.resolve(d.get("Length"));
    return this.file.streamBytes(d, typeof len === "number" ? len : -1, this.end);
  }

  /** Decoded bytes of a stream object of this revision, at most `cap`. */
  streamData(d: Dict, cap = this.file.limits.maxStreamBytes): Buffer {
    return this.decodeStream(d, this.rawStream(d), cap);
  }

  entry(num: number): Entry | undefined {
    return this.xref.get(num);
  }

  /** Where object `num` lives in this revision: a stable key for "same physical object". */
  location(num: number): string | undefined {
    const e = this.xref.get(num);
    if (!e || e.t === 0) return undefined;
    return e.t === 1 ? `@${e.offset}` : `${this.location(e.stm) ?? "?"}#${e.idx}`;
  }

  /** The indirect object `num` as this revision's xref designates it; undefined when free/absent. */
  get(num: number, gen?: number): Obj | undefined {
    const e = this.xref.get(num);
    // A reference whose generation is not the entry's is the null object (as poppler).
    if (gen !== undefined && e && e.t !== 0 && gen !== (e.t === 1 ? e.gen : 0)) return undefined;
    if (this.cache.has(num)) return this.cache.get(num);
    let o: Obj | undefined;
    if (!e || e.t === 0) o = undefined;
    else if (e.t === 1) {
      o = this.file.objectAt(e.offset, num, e.gen, this.end).obj;
    } else {
      const se = this.xref.get(e.stm);
      if (!se || se.t !== 1) throw new PdfStructureError(`objet ${num}: flux d'objets ${e.stm} introuvable`, "object");
      const stm = this.file.objectAt(se.offset, e.stm, se.gen, this.end).obj;
      if (!(stm instanceof Dict) || stm.streamAt === undefined) throw new PdfStructureError(`objet ${e.stm}: flux d'objets attendu`, "object");
      const raw = this.rawStream(stm);
      const objs = this.file.objStm(`${se.offset}:${raw.length}`, () => ({
        data: this.decodeStream(stm, raw, this.file.limits.maxStreamBytes),
        n: this.resolve(stm.get("N")) as number,
        first: this.resolve(stm.get("First")) as number,
      })) as Obj[] & { nums: number[] };
      // As poppler: the entry's index must hold this very object number.
      if (e.idx >= objs.length || objs.nums[e.idx] !== num) throw new PdfStructureError(`objet ${num} absent de son flux d'objets`, "object");
      o = objs[e.idx];
    }
    this.cache.set(num, o);
    return o;
  }

  resolve(o: Obj | undefined): Obj | undefined {
    for (let i = 0; o instanceof Ref; i++) {
      if (i >= 32) return undefined;
      o = this.get(o.num, o.gen);
    }
    return o;
  }

  dict(o: Obj | undefined): Dict | undefined {
    const r = this.resolve(o);
    return r instanceof Dict ? r : undefined;
  }

  array(o: Obj | undefined): Obj[] | undefined {
    const r = this.resolve(o);
    return Array.isArray(r) ? r : undefined;
  }

  name(o: Obj | undefined): string | undefined {
    const r = this.resolve(o);
    return r instanceof Name ? r.v : undefined;
  }

  catalog(): Dict {
    const c = this.dict(this.trailer.get("Root"));
    if (!c) throw new PdfStructureError("catalogue illisible", "object");
    return c;
  }
}

// ------------------------------------------------------------------ form fields

export interface FieldInfo {
  name: string;
  /** The field dict (holding /FT, /V) and its widget (the same dict when merged). */
  field: Dict;
  fieldRef?: Ref;
  widget: Dict;
  widgetRef?: Ref;
  ft?: string;
}

/** Terminal fields of the AcroForm, in /Fields order, with at most `max` fields. */
export function formFields(rev: Revision, max: number): FieldInfo[] {
  const acro = rev.dict(rev.catalog().get("AcroForm"));
  const fields = acro && rev.array(acro.get("Fields"));
  const out: FieldInfo[] = [];
  if (!fields) return out;
  let seen = 0;
  const walk = (arr: Obj[], prefix: string, inheritedFt: string | undefined, depth: number) => {
    if (depth > 8) return;
    for (const item of arr) {
      if (++seen > max) throw new PdfStructureError(`plus de ${max} champs de formulaire`, "limits");
      const d = rev.dict(item);
      if (!d) continue;
      const t = textOf(rev.resolve(d.get("T")));
      const name = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t;
      const ft = rev.name(d.get("FT")) ?? inheritedFt;
      const kids = rev.array(d.get("Kids"));
      const kid0 = kids && kids.length > 0 ? rev.dict(kids[0]) : undefined;
      if (kids && kid0?.has("T")) walk(kids, name, ft, depth + 1);
      else {
        const widgetItem = kid0 ? kids![0] : item;
        out.push({
          name,
          ft,
          field: d,
          fieldRef: item instanceof Ref ? item : undefined,
          widget: kid0 ?? d,
          widgetRef: widgetItem instanceof Ref ? widgetItem : undefined,
        });
      }
    }
  };
  walk(fields, "", undefined, 0);
  return out;
}

/**
 * Positions of the values of `keys` in the dictionary of the uncompressed object `num`
 * (key order free). Duplicated keys are an error: which one a reader keeps is not defined.
 */
export function valueSpans(rev: Revision, num: number, keys: string[]): Map<string, { start: number; end: number }> {
  const e = rev.entry(num);
  if (!e || e.t !== 1) throw new PdfStructureError(`objet ${num}: non stocké directement dans le fichier`, "object");
  const p = new Parser(rev.file.buf.subarray(0, rev.end));
  p.pos = e.offset;
  if (p.uint() !== num || p.uint() !== e.gen) throw new PdfStructureError(`objet ${num} absent à son décalage xref`, "xref");
  const out = new Map<string, { start: number; end: number }>();
  try {
    p.keyword("obj");
    p.skipWs();
    if (p.buf[p.pos] !== 0x3c || p.buf[p.pos + 1] !== 0x3c) throw new PdfStructureError(`objet ${num}: dictionnaire attendu`, "object");
    p.pos += 2;
    const seen = new Set<string>();
    for (;;) {
      p.skipWs();
      if (p.buf[p.pos] === 0x3e && p.buf[p.pos + 1] === 0x3e) return out;
      if (p.buf[p.pos] !== 0x2f) throw new PdfStructureError(`objet ${num}: clé attendue`, "object");
      const k = p.name().v;
      if (seen.has(k)) throw new PdfStructureError(`objet ${num}: clé /${k} répétée`, "object");
      seen.add(k);
      p.skipWs();
      const start = p.pos;
      p.object();
      if (keys.includes(k)) out.set(k, { start, end: p.pos });
    }
  } catch (e) {
    if (e instanceof PdfStructureError) throw e;
    if (e instanceof RawUnsupported) throw new PdfStructureError(`objet ${num} illisible: ${e.message}`, "object");
    throw e;
  }
}
