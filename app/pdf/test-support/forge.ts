// Test helper: appends hand-made incremental updates to a signed PDF, as an attacker (or another
// signing tool) would write them: objects with arbitrary bytes before their header, duplicated
// definitions, object streams, xref tables or xref streams (with a PNG predictor), extra xref
// entries pointing at any offset, text between the trailer and startxref.
import zlib from "node:zlib";
import { Dict, PdfFile, Ref, type Revision } from "../verification/pdf-resolve";
import { serialize } from "../core/pdf-raw";

export interface ForgedObject {
  num: number;
  gen?: number;
  /** Object body (dict text for a stream). */
  body: string;
  stream?: Buffer;
  /** Bytes written before the header instead of the default "\n" (e.g. "\0", "" to glue). */
  pre?: string;
  /** Written, but left out of the xref (a copy the xref does not designate). */
  unlisted?: boolean;
}

export interface IncrementOptions {
  objects?: ForgedObject[];
  /** Objects placed in one new object stream (needs xref "stream"). */
  objStm?: { num: number; objects: { num: number; body: string }[] };
  xref?: "table" | "stream";
  /** Text used for the xref stream's /Type name (e.g. "/X#52ef"). */
  xrefTypeName?: string;
  /** Extra xref entries: object → absolute offset (or "free"). */
  entries?: Map<number, number | "free">;
  /** Extra trailer entries (text). */
  trailerExtra?: string;
  /** /Prev override (default: the base's startxref). */
  prev?: number;
  /** /Root override. */
  root?: Ref;
  /** Text between the trailer and `startxref` (a decoy trailer…). */
  afterTrailer?: string;
  /** Xref stream object number (default: next free). */
  xrefNum?: number;
}

export interface Increment {
  pdf: Uint8Array;
  /** Offset of each written (listed or unlisted) object header, last write wins. */
  offsets: Map<number, number>;
  xrefAt: number;
}

export function revisionOf(pdf: Uint8Array): Revision {
  return new PdfFile(pdf).revision();
}

/** Next free object number of the newest revision. */
export function nextNum(pdf: Uint8Array): number {
  const rev = revisionOf(pdf);
  const size = rev.trailer.get("Size");
  return Math.max(typeof size === "number" ? size : 0, ...[...rev.xref.keys()].map((n) => n + 1));
}

const deflate = (b: Buffer) => zlib.deflateSync(b);

export function appendIncrement(base: Uint8Array, o: IncrementOptions): Increment {
  const rev = revisionOf(base);
  const parts: Buffer[] = [Buffer.from(base)];
  let pos = base.length;
  const push = (x: string | Buffer) => {
    const b = typeof x === "string" ? Buffer.from(x, "latin1") : x;
    parts.push(b);
    pos += b.length;
  };
  if (base[base.length - 1] !== 10) push("\n");
  const offsets = new Map<number, number>();
  const entries = new Map<number, { t: 1; off: number; gen: number } | { t: 2; stm: number; idx: number } | { t: 0 }>();
  const writeObj = (ob: ForgedObject) => {
    push(ob.pre ?? "\n");
    offsets.set(ob.num, pos);
    if (!ob.unlisted) entries.set(ob.num, { t: 1, off: pos, gen: ob.gen ?? 0 });
    push(`${ob.num} ${ob.gen ?? 0} obj\n${ob.body}`);
    if (ob.stream) {
      push("\nstream\n");
      push(ob.stream);
      push("\nendstream");
    }
    push("\nendobj");
  };
  for (const ob of o.objects ?? []) writeObj(ob);
  if (o.objStm) {
    const bodies = o.objStm.objects.map((x) => Buffer.from(`${x.body}\n`, "latin1"));
    let at = 0;
    const head = o.objStm.objects.map((x, i) => {
      const s = `${x.num} ${at}`;
      at += bodies[i].length;
      return s;
    }).join(" ") + "\n";
    const data = deflate(Buffer.concat([Buffer.from(head, "latin1"), ...bodies]));
    writeObj({
      num: o.objStm.num,
      body: `<</Type /ObjStm /N ${bodies.length} /First ${head.length} /Filter /FlateDecode /Length ${data.length}>>`,
      stream: data,
    });
    o.objStm.objects.forEach((x, i) => entries.set(x.num, { t: 2, stm: o.objStm!.num, idx: i }));
  }
  for (const [num, e] of o.entries ?? []) entries.set(num, e === "free" ? { t: 0 } : { t: 1, off: e, gen: 0 });
  push("\n");
  const root = o.root ?? (rev.trailer.get("Root") as Ref);
  const info = rev.trailer.get("Info");
  const prev = o.prev ?? rev.startxref;
  const xrefNum = o.xrefNum ?? Math.max(nextNum(base), ...[...entries.keys()].map((n) => n + 1));
  const size = Math.max(nextNum(base), xrefNum + 1, ...[...entries.keys()].map((n) => n + 1));
  const trailerText = `/Size ${size} /Root ${root.num} ${root.gen} R${info ? ` /Info ${serialize(info)}` : ""} /Prev ${prev}${o.trailerExtra ?? ""}`;
  const xrefAt = pos;
  const nums = [...entries.keys()].sort((a, b) => a - b);
  if ((o.xref ?? "table") === "table") {
    if ([...entries.values()].some((e) => e.t === 2)) throw new Error("forge: object streams need an xref stream");
    let x = "xref\n0 1\n0000000000 65535 f \n";
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
      x += `${nums[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) {
        const e = entries.get(nums[k])!;
        x += e.t === 1 ? `${String(e.off).padStart(10, "0")} ${String(e.gen).padStart(5, "0")} n \n` : "0000000000 00001 f \n";
      }
      i = j + 1;
    }
    push(`${x}trailer\n<<${trailerText}>>\n`);
  } else {
    entries.set(xrefNum, { t: 1, off: xrefAt, gen: 0 });
    nums.push(xrefNum);
    nums.sort((a, b) => a - b);
    // Rows of W [1 4 2], PNG "Up" predictor (as many writers do).
    const rows: Buffer[] = [];
    let prevRow = Buffer.alloc(7);
    const index: number[] = [];
    for (const n of nums) {
      const e = entries.get(n)!;
      const row = Buffer.alloc(7);
      if (e.t === 1) {
        row[0] = 1;
        row.writeUInt32BE(e.off, 1);
        row.writeUInt16BE(e.gen, 5);
      } else if (e.t === 2) {
        row[0] = 2;
        row.writeUInt32BE(e.stm, 1);
        row.writeUInt16BE(e.idx, 5);
      }
      const up = Buffer.alloc(8);
      up[0] = 2;
      for (let i = 0; i < 7; i++) up[i + 1] = (row[i] - prevRow[i]) & 0xff;
      rows.push(up);
      prevRow = row;
      if (index.length && index[index.length - 2] + index[index.length - 1] === n) index[index.length - 1]++;
      else index.push(n, 1);
    }
    const data = deflate(Buffer.concat(rows));
    push(
      `${xrefNum} 0 obj\n<<${o.xrefTypeName ?? "/Type /XRef"} /W [1 4 2] /Index [${index.join(" ")}] ${trailerText}` +
        ` /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns 7>> /Length ${data.length}>>\nstream\n`,
    );
    push(data);
    push("\nendstream\nendobj\n");
  }
  push(`${o.afterTrailer ?? ""}startxref\n${xrefAt}\n%%EOF\n`);
  return { pdf: new Uint8Array(Buffer.concat(parts)), offsets, xrefAt };
}

/** Serialized copy of a dict of `rev` with some entries changed (undefined: removed). */
export function withEntries(d: Dict, changes: Record<string, string | undefined>): string {
  const c = d.clone();
  for (const k of Object.keys(changes)) c.map.delete(k);
  let s = serialize(c).slice(0, -2);
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) s += `/${k} ${v}`;
  return `${s}>>`;
}

/** An uncompressed stream object body + data. */
export function streamObject(num: number, dictExtra: string, data: string | Buffer, pre?: string): ForgedObject {
  const b = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  return { num, body: `<<${dictExtra} /Length ${b.length}>>`, stream: b, pre };
}
