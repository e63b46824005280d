// Minimal DER encoder and reader: enough for CMS, RFC 3161, CRLs and certificate fields.
// Hand-written because node-forge's ASN.1 works on binary strings (slow) and we only need a
// small, strict subset; the reader refuses anything that runs past its buffer.
// The one ASN.1 stack of the portal: CMS (cms.ts), RFC 3161 (timestamp.ts) and CRLs and chains
// (trust.ts) are built and read with it, node:crypto does the hashing and RSA/ECDSA, node-forge
// only issues certificates and reads PKCS#12 (pki.ts). pkijs/asn1js were dependencies that nothing
// imported: removed rather than adopted (moving CMS, TSP and CRL reading to pkijs would rewrite the
// verifier's parsing, and the attack tests pin this reader's strictness).

export type Bytes = Uint8Array;

// ------------------------------------------------------------------ encoding

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, ...parts: Bytes[]): Bytes {
  let len = 0;
  for (const p of parts) len += p.length;
  const head = lengthBytes(len);
  const out = new Uint8Array(1 + head.length + len);
  out[0] = tag;
  out.set(head, 1);
  let off = 1 + head.length;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const seq = (...parts: Bytes[]): Bytes => tlv(0x30, ...parts);
export const set = (...parts: Bytes[]): Bytes => tlv(0x31, ...parts);
/** A DER SET OF: elements sorted by their encodings, as DER requires. */
export const setOf = (...parts: Bytes[]): Bytes => tlv(0x31, ...[...parts].sort(compareBytes));
export const octets = (b: Bytes): Bytes => tlv(0x04, b);
export const nullValue = (): Bytes => new Uint8Array([0x05, 0x00]);
export const bool = (v: boolean): Bytes => new Uint8Array([0x01, 0x01, v ? 0xff : 0x00]);
/** [n] EXPLICIT (constructed context tag). */
export const explicit = (n: number, ...parts: Bytes[]): Bytes => tlv(0xa0 | n, ...parts);
export const bitString = (b: Bytes): Bytes => tlv(0x03, new Uint8Array([0]), b);
export const utf8 = (s: string): Bytes => tlv(0x0c, new TextEncoder().encode(s));

export function compareBytes(a: Bytes, b: Bytes): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const oidCache = new Map<string, Bytes>();

/** OBJECT IDENTIFIER; encodings are cached (a handful of OIDs, encoded for every signature). */
export function oid(dotted: string): Bytes {
  let der = oidCache.get(dotted);
  if (!der) {
    der = encodeOid(dotted);
    if (oidCache.size < 256) oidCache.set(dotted, der);
  }
  return der;
}

function encodeOid(dotted: string): Bytes {
  const parts = dotted.split(".").map((p) => BigInt(p));
  const body: number[] = [Number(parts[0] * 40n + parts[1])];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    body.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(body));
}

/** INTEGER from a non-negative number, bigint or big-endian unsigned bytes. */
export function integer(v: number | bigint | Bytes): Bytes {
  let bytes: Bytes;
  if (v instanceof Uint8Array) {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    bytes = v.subarray(i);
  } else {
    let n = BigInt(v);
    const arr: number[] = [];
    do {
      arr.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    bytes = new Uint8Array(arr);
  }
  if (bytes.length === 0) bytes = new Uint8Array([0]);
  if (bytes[0] & 0x80) {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    bytes = padded;
  }
  return tlv(0x02, bytes);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

export function generalizedTime(d: Date): Bytes {
  const ms = d.getUTCMilliseconds();
  const s =
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}` +
    (ms ? `.${pad(ms, 3).replace(/0+$/, "")}` : "") +
    "Z";
  return tlv(0x18, new TextEncoder().encode(s));
}

export function utcTime(d: Date): Bytes {
  const s =
    `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return tlv(0x17, new TextEncoder().encode(s));
}

// ------------------------------------------------------------------ reading

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DerError";
  }
}

/** One TLV inside `buf`: `start` is the tag, `[vStart, end)` the value. */
export interface Node {
  tag: number;
  start: number;
  vStart: number;
  end: number;
  buf: Bytes;
}

export function read(buf: Bytes, pos = 0, limit = buf.length): Node {
  if (pos + 2 > limit) throw new DerError("DER: truncated header");
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new DerError("DER: multi-byte tags unsupported");
  let len = buf[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError("DER: unsupported length");
    if (p + n > limit) throw new DerError("DER: truncated length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw new DerError("DER: value runs past its container");
  return { tag, start: pos, vStart: p, end: p + len, buf };
}

export function children(n: Node): Node[] {
  const out: Node[] = [];
  let p = n.vStart;
  while (p < n.end) {
    const c = read(n.buf, p, n.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export const value = (n: Node): Bytes => n.buf.subarray(n.vStart, n.end);
export const whole = (n: Node): Bytes => n.buf.subarray(n.start, n.end);

export function expectTag(n: Node | undefined, tag: number, what: string): Node {
  if (!n || n.tag !== tag) throw new DerError(`DER: expected ${what}`);
  return n;
}

export function readOid(n: Node): string {
  expectTag(n, 0x06, "OBJECT IDENTIFIER");
  const b = value(n);
  if (b.length === 0) throw new DerError("DER: empty OID");
  const parts: bigint[] = [];
  const first = b[0] < 80 ? [BigInt(Math.floor(b[0] / 40)), BigInt(b[0] % 40)] : [2n, BigInt(b[0] - 80)];
  let v = 0n;
  for (let i = 1; i < b.length; i++) {
    v = (v << 7n) | BigInt(b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      parts.push(v);
      v = 0n;
    }
  }
  return [...first, ...parts].join(".");
}

export function readInteger(n: Node): bigint {
  expectTag(n, 0x02, "INTEGER");
  let v = 0n;
  for (const byte of value(n)) v = (v << 8n) | BigInt(byte);
  return v;
}

export function readTime(n: Node): Date {
  const s = new TextDecoder().decode(value(n));
  let m: RegExpMatchArray | null;
  if (n.tag === 0x18 && (m = s.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,6}))?Z$/))) {
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
  }
  if (n.tag === 0x17 && (m = s.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/))) {
    const y = +m[1] >= 50 ? 1900 + +m[1] : 2000 + +m[1];
    return new Date(Date.UTC(y, +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  }
  throw new DerError(`DER: unsupported time ${s}`);
}

export function equalBytes(a: Bytes, b: Bytes): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}
