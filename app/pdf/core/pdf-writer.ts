// The one PDF-object writer, shared by the renderer (a whole file), the signer (an incremental
// update) and the stamp (its appearance stream): how names, numbers, strings and dates are
// written, how an indirect object is framed, and the classic cross-reference table and trailer
// that close a file or an update. Reading is pdf-raw.ts's (signing) and pdf-resolve.ts's
// (verification); pdf-raw's `serialize` writes the objects it read with these helpers.

// ------------------------------------------------------------------ values

const DELIMITERS = "()<>[]{}/%";
const NAME_OK = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) NAME_OK[c] = DELIMITERS.includes(String.fromCharCode(c)) || c === 0x23 ? 0 : 1;

/** A name object, `/Name`, other bytes than regular characters written `#XX`; Latin-1 only. */
export function nameText(v: string): string {
  let out = "/";
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // Unreachable from the signing path: the names it writes back were read as Latin-1.
    if (c > 0xff) throw new RangeError("nom PDF non latin-1");
    out += NAME_OK[c] ? v[i] : `#${c.toString(16).padStart(2, "0").toUpperCase()}`;
  }
  return out;
}

/** A number: decimal text, never exponent notation (as pdf-lib writes numbers). */
export function numText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(n);
  if (!s.includes("e")) return s;
  return n.toFixed(20).replace(/0+$/, "").replace(/\.$/, "");
}

/** A coordinate rounded to `places` decimals (content streams, rectangles): `12.5`, `0`, `-3.25`. */
export function rounded(x: number, places: 2 | 3): string {
  const k = places === 2 ? 100 : 1000;
  return String(Math.round(x * k) / k);
}

/** A literal string of ASCII text, `(…)`, with `\`, `(` and `)` escaped. */
export function literalString(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => "\\" + c)})`;
}

const HEX_DIGITS = Uint8Array.from("0123456789ABCDEF", (c) => c.charCodeAt(0));

/** A text string: UTF-16BE with its byte order mark, in hex (`<FEFF…>`), for any Unicode text. */
export function textString(s: string): string {
  const hex = Buffer.allocUnsafe(4 * s.length + 6);
  hex.write("<FEFF", 0, "latin1");
  let k = 5;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    hex[k++] = HEX_DIGITS[c >> 12];
    hex[k++] = HEX_DIGITS[(c >> 8) & 15];
    hex[k++] = HEX_DIGITS[(c >> 4) & 15];
    hex[k++] = HEX_DIGITS[c & 15];
  }
  hex[k] = 0x3e; // >
  return hex.toString("latin1", 0, k + 1);
}

// ------------------------------------------------------------------ dates

let parisFormat: Intl.DateTimeFormat | undefined; // creating one costs ~1 ms
let lastParts: { t: number; parts: Record<string, string> } | undefined; // /M and the stamp share a date

/** Parts of a date in Europe/Paris (`year`, `month`… two digits), with the UTC offset (`sign`, `oh`, `om`). */
export function parisParts(d: Date): Record<string, string> {
  const t = d.getTime();
  if (lastParts?.t === t) return lastParts.parts;
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
  const offset = Math.round((localAsUtc - Math.floor(t / 1000) * 1000) / 60_000);
  const sign = offset >= 0 ? "+" : "-";
  const oh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const om = String(Math.abs(offset) % 60).padStart(2, "0");
  const parts = { ...p, sign, oh, om } as Record<string, string>;
  lastParts = { t, parts };
  return parts;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * A PDF date's text (without its parentheses). `paris`: Europe/Paris time with its offset,
 * `D:20221219234515+01'00'`, what a signature's `/M` says (the time its stamp shows); `utc`:
 * `D:20221219224515Z`, the renderer's /CreationDate and /ModDate (a machine's time, no zone to show).
 */
export function pdfDate(d: Date, zone: "paris" | "utc"): string {
  if (zone === "utc")
    return `D:${String(d.getUTCFullYear()).padStart(4, "0")}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
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

// ------------------------------------------------------------------ file

/**
 * Writes indirect objects one after the other, then a classic cross-reference section and a
 * trailer. `start` is the byte offset of the first byte written (the length of the file an
 * update is appended to; 0 for a new file); `gap` is written after each `endobj` line (the
 * renderer leaves a blank line there). Strings are written as Latin-1, one byte a character.
 */
export class PdfFileWriter {
  pos: number;
  private readonly parts: (string | Uint8Array)[] = [];
  /** Object number → where it starts and its generation. */
  private readonly at = new Map<number, { offset: number; gen: number }>();

  constructor(
    readonly start = 0,
    private readonly gap = "",
  ) {
    this.pos = start;
  }

  /** Appends bytes as they are (a header, objects already serialized). */
  raw(x: string | Uint8Array): void {
    this.parts.push(x);
    this.pos += x.length;
  }

  /** Records that object `num` starts at `offset` (objects appended with `raw`). */
  placed(num: number, offset: number, gen = 0): void {
    this.at.set(num, { offset, gen });
  }

  /**
   * `num gen obj`, the body (a dictionary's text for a stream), the stream's bytes if any, `endobj`.
   * Returns the offset of the body's first byte.
   */
  object(num: number, gen: number, body: string, stream?: Uint8Array): number {
    this.at.set(num, { offset: this.pos, gen });
    this.raw(`${num} ${gen} obj\n`);
    const bodyAt = this.pos;
    this.raw(body);
    if (stream) {
      this.raw("\nstream\n");
      this.raw(stream);
      this.raw("\nendstream");
    }
    this.raw(`\nendobj\n${this.gap}`);
    return bodyAt;
  }

  /**
   * The cross-reference section of every object written or placed (object 0, the head of the
   * free list, first; consecutive numbers in one subsection), the trailer dictionary `trailer`
   * (its text) and `startxref`. Returns the section's offset.
   */
  end(trailer: string): number {
    const xrefAt = this.pos;
    const entries = [{ num: 0, offset: 0, gen: 65535, free: true }, ...[...this.at].map(([num, e]) => ({ num, ...e, free: false }))].sort((a, b) => a.num - b.num);
    let x = "xref\n";
    for (let i = 0; i < entries.length; ) {
      let j = i;
      while (j + 1 < entries.length && entries[j + 1].num === entries[j].num + 1) j++;
      x += `${entries[i].num} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) {
        const e = entries[k];
        x += `${String(e.offset).padStart(10, "0")} ${String(e.gen).padStart(5, "0")} ${e.free ? "f" : "n"} \n`;
      }
      i = j + 1;
    }
    this.raw(`${x}trailer\n${trailer}\nstartxref\n${xrefAt}\n%%EOF\n`);
    return xrefAt;
  }

  /** The bytes: `prefix` (the `start` bytes an update follows; nothing for a new file) then all written. */
  bytes(prefix?: Uint8Array): Uint8Array {
    if ((prefix?.length ?? 0) !== this.start) throw new Error("pdf-writer: préfixe de longueur inattendue");
    const out = new Uint8Array(this.pos);
    if (prefix) out.set(prefix, 0);
    const ob = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    let w = this.start;
    for (const part of this.parts) {
      if (typeof part === "string") w += ob.write(part, w, "latin1");
      else {
        out.set(part, w);
        w += part.length;
      }
    }
    if (w !== this.pos) throw new Error("pdf-writer: longueur écrite incohérente");
    return out;
  }
}
