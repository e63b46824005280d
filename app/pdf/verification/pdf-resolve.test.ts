// The viewer-faithful resolver: which definition the xref chain designates, through tables,
// xref streams (PNG predictor), hybrid /XRefStm files and object streams; loops, wrong offsets
// and decompression bombs are errors, not guesses.
import zlib from "node:zlib";
import { PDFDocument } from "@cantoo/pdf-lib";
import { Dict, Name, PdfFile, PdfStructureError, Ref, Str, strBytes, formFields } from "./pdf-resolve";
import { Parser, serialize } from "../core/pdf-raw";
import { makeSignablePdf } from "../test-support/fixture";
import { appendIncrement, nextNum, revisionOf } from "../test-support/forge";

let base: Uint8Array;
let pageNum: number;

beforeAll(async () => {
  base = (await makeSignablePdf({ pages: 2, signatures: 2, linesPerPage: 3 })).pdf;
  const rev = revisionOf(base);
  pageNum = (rev.array(rev.dict(rev.catalog().get("Pages"))!.get("Kids"))![0] as Ref).num;
});

const parse = (t: string) => new Parser(Buffer.from(t, "latin1")).object();
const pageOf = (pdf: Uint8Array) => {
  const rev = revisionOf(pdf);
  return rev.dict(rev.array(rev.dict(rev.catalog().get("Pages"))!.get("Kids"))![0])!;
};
const marker = (d: Dict) => (d.get("Marker") instanceof Str ? strBytes(d.get("Marker") as Str).toString("latin1") : undefined);

describe("values", () => {
  it("compares strings and names by their decoded value", () => {
    expect(strBytes(parse("(fr\\055FR)") as Str).equals(strBytes(parse("<66722d4652>") as Str))).toBe(true);
    expect(strBytes(parse("(a\\\r\nb\\101)") as Str).toString("latin1")).toBe("abA");
    expect((parse("/X#52ef") as Name).v).toBe("XRef");
  });
});

describe("xref chain", () => {
  it("reads the same catalog and fields as pdf-lib, in a pdf-lib file with object streams", async () => {
    const doc = await PDFDocument.load(base);
    const packed = await doc.save({ useObjectStreams: true });
    const rev = new PdfFile(packed).revision();
    expect(rev.sections).toHaveLength(1);
    expect(rev.name(rev.catalog().get("Type"))).toBe("Catalog");
    expect(formFields(rev, 100).map((f) => f.name)).toEqual(["signature-1", "signature-2"]);
    expect([...rev.xref.values()].filter((e) => e.t === 2).length).toBeGreaterThan(3); // objects in object streams
  });

  it("follows the xref, not the text: an object defined twice resolves to the designated copy", () => {
    const page = revisionOf(base).dict(new Ref(pageNum, 0))!;
    const mk = (m: string) => `<</Type /Page /Parent ${serialize(page.get("Parent")!)} /Marker (${m})>>`;
    const inc = appendIncrement(base, { objects: [{ num: pageNum, body: mk("designated") }, { num: pageNum, body: mk("last text"), unlisted: true }] });
    expect(marker(pageOf(inc.pdf))).toBe("designated");
  });

  it("tolerates PDF whitespace and a NUL before a header, and a header glued to endobj", () => {
    for (const pre of ["\0", "\n\0\t\f ", ""]) {
      const inc = appendIncrement(base, { objects: [{ num: 999, body: "(x)" }, { num: pageNum, body: "<</Type /Page /Marker (ok)>>", pre }] });
      expect(marker(pageOf(inc.pdf))).toBe("ok");
    }
  });

  it("reads an xref stream typed /X#52ef with a PNG predictor and an object stream", () => {
    const inc = appendIncrement(base, {
      objStm: { num: nextNum(base), objects: [{ num: pageNum, body: "<</Type /Page /Marker (packed)>>" }] },
      xref: "stream",
      xrefTypeName: "/Type /X#52ef",
    });
    const rev = revisionOf(inc.pdf);
    expect(rev.entry(pageNum)).toMatchObject({ t: 2 });
    expect(marker(pageOf(inc.pdf))).toBe("packed");
  });

  it("reads a hybrid file: table entries, then its /XRefStm, then /Prev", () => {
    const stm = appendIncrement(base, {
      objStm: { num: nextNum(base), objects: [{ num: pageNum, body: "<</Type /Page /Marker (from XRefStm)>>" }] },
      xref: "stream",
    });
    const hybrid = appendIncrement(stm.pdf, { prev: revisionOf(base).startxref, trailerExtra: ` /XRefStm ${stm.xrefAt}` });
    expect(marker(pageOf(hybrid.pdf))).toBe("from XRefStm");
    // Without /XRefStm, the same table leads straight to the original page.
    const plain = appendIncrement(stm.pdf, { prev: revisionOf(base).startxref });
    expect(marker(pageOf(plain.pdf))).toBeUndefined();
  });

  it("refuses a /Prev loop (to itself or between two sections)", () => {
    const probe = appendIncrement(base, {});
    const self = appendIncrement(base, { prev: probe.xrefAt }).pdf;
    expect(() => revisionOf(self)).toThrow(expect.objectContaining({ code: "xref-loop" }));
    const one = appendIncrement(base, {});
    const two = appendIncrement(one.pdf, { prev: one.xrefAt });
    const three = appendIncrement(two.pdf, { prev: two.xrefAt });
    const buf = Buffer.from(three.pdf);
    const at = buf.indexOf(`/Prev ${one.xrefAt}`, two.xrefAt, "latin1");
    buf.write(`/Prev ${three.xrefAt}`.padEnd(`/Prev ${one.xrefAt}`.length, " "), at, "latin1");
    expect(() => new PdfFile(buf).revision()).toThrow(PdfStructureError);
  });

  it("refuses an offset that does not hold the designated object", () => {
    const other = revisionOf(base).entry(1) as { offset: number };
    const bad = appendIncrement(base, { entries: new Map([[pageNum, other.offset]]) }).pdf;
    expect(() => pageOf(bad)).toThrow(expect.objectContaining({ code: "xref" }));
  });

  it("resolves each revision of the same file on its own", () => {
    const inc = appendIncrement(base, { objects: [{ num: pageNum, body: "<</Type /Page /Marker (later)>>" }] });
    const file = new PdfFile(inc.pdf);
    const kid = (end: number) => file.revision(end).dict(new Ref(pageNum, 0))!;
    expect(marker(kid(inc.pdf.length))).toBe("later");
    expect(marker(kid(base.length))).toBeUndefined();
  });
});

describe("decoding", () => {
  it("stops a decompression bomb at its cap, quickly", () => {
    const zeros = zlib.deflateSync(Buffer.alloc(16 * 1024 * 1024));
    const n = nextNum(base);
    const inc = appendIncrement(base, { objects: [{ num: n, body: `<</Filter /FlateDecode /Length ${zeros.length}>>`, stream: zeros }] });
    const rev = revisionOf(inc.pdf);
    const t = performance.now();
    expect(() => rev.streamData(rev.dict(new Ref(n, 0))!, 1024 * 1024)).toThrow(expect.objectContaining({ code: "too-large" }));
    expect(performance.now() - t).toBeLessThan(1000);
    expect(rev.streamData(rev.dict(new Ref(n, 0))!, 16 * 1024 * 1024).length).toBe(16 * 1024 * 1024);
  });

  it("refuses a stream whose /Length does not end at endstream", () => {
    const n = nextNum(base);
    const inc = appendIncrement(base, { objects: [{ num: n, body: "<</Length 3>>", stream: Buffer.from("abcdef") }] });
    const rev = revisionOf(inc.pdf);
    expect(() => rev.rawStream(rev.dict(new Ref(n, 0))!)).toThrow(expect.objectContaining({ code: "stream" }));
  });
});
