// The raw reader/writer of the signing hot path: parsing details, parity with pdf-lib's view of
// the signature fields, the fallback on inputs it does not read, and unusual form layouts
// (separate field and widget, inline AcroForm without /SigFlags) checked by qpdf and pdfsig.
import fs from "node:fs";
import path from "node:path";
import { PDFDocument, PDFName, PDFString } from "@cantoo/pdf-lib";
import { getMetrics } from "../rendering/layout-text";
import { openPki, type Pki } from "../pki/pki";
import { Dict, Name, Parser, RawPdf, RawUnsupported, Ref, Str, decodeText, rawSignatureFields, serialize } from "./pdf-raw";
import { LOAD_OPTIONS, signatureFields, signPdf, signPdfWith } from "../signing/sign";
import { verifyPdf, formatReportFr } from "../verification/verify";
import { makeSignablePdf } from "../test-support/fixture";
import { nssDb, opensslChecks, pdfsig, qpdfCheck, tmpDir } from "../test-support/tools";

const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Secrétaire générale adjointe", organisation: "Ministère de la Justice" },
  { name: "Stéphanie Schaer", organisation: "DINUM", email: "s@example.fr" },
  { name: "Zoé Lefèvre", organisation: "CBCM" },
];

let dir: string;
let pki: Pki;
let trust: string;
let nss: string;
let caFile: string;

beforeAll(async () => {
  dir = tmpDir("paraphe-raw-");
  pki = await openPki({ dataDir: path.join(dir, "data"), env: {} as NodeJS.ProcessEnv });
  trust = pki.trustPem();
  nss = nssDb(dir, trust);
  caFile = path.join(dir, "trust.pem");
  fs.writeFileSync(caFile, trust);
});

const parse = (text: string) => new Parser(Buffer.from(text, "latin1")).object();

describe("object parser", () => {
  it("reads every object kind and writes strings back exactly", () => {
    const d = parse("<< /A 1 0 R /B [1 -2.5 .5 +3] /C (a\\(b\\) (nested) \\101\\\\) /D <48 65 6c> /N#20x /V /T true /F false /Z null >>");
    expect(d).toBeInstanceOf(Dict);
    const dict = d as Dict;
    expect(dict.get("A")).toEqual(new Ref(1, 0));
    expect(dict.get("B")).toEqual([1, -2.5, 0.5, 3]);
    expect(dict.get("N x")).toEqual(new Name("V"));
    expect(dict.get("T")).toBe(true);
    expect(dict.get("Z")).toBe(null);
    const c = dict.get("C") as Str;
    expect(decodeText(c)).toBe("a(b) (nested) A\\");
    expect(decodeText(dict.get("D") as Str)).toBe("Hel");
    const again = parse(serialize(dict)) as Dict;
    expect((again.get("C") as Str).raw).toBe(c.raw);
    expect(serialize(again)).toBe(serialize(dict));
    expect(serialize(new Name("a b/c"))).toBe("/a#20b#2Fc");
    expect(decodeText(new Str("FEFF00E9", true))).toBe("é");
  });

  it("refuses what it does not understand", () => {
    expect(() => parse("<< /A >>")).toThrow(RawUnsupported);
    expect(() => parse("(unterminated")).toThrow(RawUnsupported);
    expect(() => parse("<< /A 1 ")).toThrow(RawUnsupported);
    expect(() => new RawPdf(Buffer.from("%PDF-1.7\nno xref here\n"))).toThrow(RawUnsupported);
  });
});

describe("reader", () => {
  it("sees the same signature fields as pdf-lib, before and after signing", async () => {
    let pdf = (await makeSignablePdf({ pages: 3, signatures: 3 })).pdf;
    for (let i = 0; i <= 3; i++) {
      const viaLib = signatureFields(await PDFDocument.load(pdf, LOAD_OPTIONS)).map((f) => [f.name, f.signed]);
      const viaRaw = rawSignatureFields(new RawPdf(pdf)).map((f) => [f.name, f.signed]);
      expect(viaRaw).toEqual(viaLib);
      if (i < 3) pdf = (await signPdf(pdf, { signer: await pki.signerFor(PEOPLE[i]), tsa: pki.tsa, signatory: PEOPLE[i] })).pdf;
    }
  });

  it("refuses cross-reference streams (pdf-lib's object streams), so signing falls back", async () => {
    const plain = await PDFDocument.load((await makeSignablePdf({ pages: 2, signatures: 2 })).pdf);
    const compact = await plain.save({ useObjectStreams: true });
    expect(() => new RawPdf(compact)).toThrow(RawUnsupported);
    const res = await signPdf(compact, { signer: await pki.signerFor(PEOPLE[0]), tsa: pki.tsa, signatory: PEOPLE[0] });
    expect(Buffer.compare(res.pdf.subarray(0, compact.length), compact)).toBe(0);
    const second = await signPdf(res.pdf, { signer: await pki.signerFor(PEOPLE[1]), tsa: pki.tsa, signatory: PEOPLE[1] });
    const r = await verifyPdf(second.pdf, { trusted: [trust] });
    expect(r.ok, formatReportFr(r)).toBe(true);
  });

  it("refuses a wrong xref offset instead of reading the wrong object", async () => {
    const pdf = Buffer.from((await makeSignablePdf({ pages: 1, signatures: 1 })).pdf);
    const s = pdf.toString("latin1");
    const xref = s.lastIndexOf("\nxref") + 1;
    // Shift the catalog's entry by one byte (the section starts at object 0).
    const root = (new RawPdf(pdf).trailer.get("Root") as Ref).num;
    const entry = s.indexOf("\n", s.indexOf("\n", xref) + 1) + 1 + root * 20;
    const off = Number(s.slice(entry, entry + 10));
    pdf.write(String(off + 1).padStart(10, "0"), entry, "latin1");
    const raw = new RawPdf(pdf);
    expect(() => rawSignatureFields(raw)).toThrow(RawUnsupported);
    // pdf-lib reads it (it scans objects, not offsets): signing still works through it.
    const res = await signPdf(pdf, { signer: await pki.signerFor(PEOPLE[0]), tsa: pki.tsa, signatory: PEOPLE[0] });
    expect((await verifyPdf(res.pdf, { trusted: [trust] })).ok).toBe(true);
  });
});

describe("signing through the raw writer", () => {
  /** A field whose widget is a separate kid, in an AcroForm held inline in the catalog, no /SigFlags. */
  async function unusualForm(): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.drawText("Contenu signé", { x: 50, y: 700, size: 14 });
    const ctx = doc.context;
    const fieldRef = ctx.nextRef();
    const widgetRef = ctx.register(
      ctx.obj({ Type: "Annot", Subtype: "Widget", Rect: [50, 100, 270, 170], F: 4, P: page.ref, Parent: fieldRef }),
    );
    ctx.assign(fieldRef, ctx.obj({ FT: "Sig", T: PDFString.of("signature-1"), Kids: [widgetRef] }));
    page.node.set(PDFName.of("Annots"), ctx.obj([widgetRef]));
    doc.catalog.set(PDFName.of("AcroForm"), ctx.obj({ Fields: [fieldRef] }));
    return doc.save({ useObjectStreams: false });
  }

  it("handles a separate widget and an inline AcroForm; qpdf and pdfsig agree", async () => {
    const input = await unusualForm();
    const raw = new RawPdf(input);
    const [f] = rawSignatureFields(raw);
    expect(f.fieldRef!.num).not.toBe(f.widgetRef!.num);
    expect(raw.catalog().get("AcroForm")).toBeInstanceOf(Dict);
    const res = await signPdf(input, { signer: await pki.signerFor(PEOPLE[0]), tsa: pki.tsa, signatory: PEOPLE[0] });
    const r = await verifyPdf(res.pdf, { trusted: [trust] });
    expect(r.ok, formatReportFr(r)).toBe(true);
    expect(r.signatures[0].level).toBe("B-T");
    const after = new RawPdf(res.pdf);
    expect((after.catalog().get("AcroForm") as Dict).get("SigFlags")).toBe(3);
    const widget = after.dict(f.widgetRef)!;
    expect(after.dict(widget.get("AP"))?.get("N")).toBeInstanceOf(Ref);
    expect(after.dict(f.fieldRef)!.get("V")).toBeInstanceOf(Ref);
    const file = path.join(dir, "unusual.pdf");
    fs.writeFileSync(file, res.pdf);
    expect(qpdfCheck(file)).toBe(true);
    // pdfsig 22.12 reports a field with a separate widget as "not signed", whichever engine
    // wrote it (the pdf-lib path gives the same): openssl checks the CMS and the token instead.
    const o = opensslChecks(res.pdf, tmpDir(), caFile);
    expect([...o.cms, ...o.ts]).toEqual([true, true]);
  });

  it("mixes with the pdf-lib engine in both orders", async () => {
    const input = (await makeSignablePdf({ pages: 2, signatures: 3 })).pdf;
    const a = await signPdfWith("pdf-lib", input, { signer: await pki.signerFor(PEOPLE[0]), tsa: pki.tsa, signatory: PEOPLE[0] });
    const b = await signPdf(a.pdf, { signer: await pki.signerFor(PEOPLE[1]), tsa: pki.tsa, signatory: PEOPLE[1] });
    const c = await signPdfWith("pdf-lib", b.pdf, { signer: await pki.signerFor(PEOPLE[2]), tsa: pki.tsa, signatory: PEOPLE[2] });
    const r = await verifyPdf(c.pdf, { trusted: [trust] });
    expect(r.ok, formatReportFr(r)).toBe(true);
    expect(r.signatures.map((s) => s.fieldName)).toEqual(["signature-1", "signature-2", "signature-3"]);
    const file = path.join(dir, "mixed.pdf");
    fs.writeFileSync(file, c.pdf);
    expect(qpdfCheck(file)).toBe(true);
    expect(pdfsig(file, nss)).toEqual([
      { valid: true, trusted: true },
      { valid: true, trusted: true },
      { valid: true, trusted: true },
    ]);
  });

  it("writes the signature dictionary the issue asks for", async () => {
    const input = (await makeSignablePdf({ pages: 1, signatures: 2 })).pdf;
    const date = new Date("2022-12-19T22:45:15Z");
    const res = await signPdf(input, {
      signer: await pki.signerFor(PEOPLE[1]),
      tsa: pki.tsa,
      signatory: PEOPLE[1],
      fieldName: "signature-2",
      date,
      location: "Paris",
      delegation: { holder: "la directrice", delegate: "Jean Dupont" },
    });
    expect(res.fieldName).toBe("signature-2");
    const raw = new RawPdf(res.pdf);
    const field = rawSignatureFields(raw).find((f) => f.name === "signature-2")!;
    const v = raw.dict(field.field.get("V"))!;
    expect(v.get("SubFilter")).toEqual(new Name("ETSI.CAdES.detached"));
    expect(decodeText(v.get("M") as Str)).toBe("D:20221219234515+01'00'");
    expect(decodeText(v.get("Name") as Str)).toBe("Stéphanie Schaer");
    expect(decodeText(v.get("Location") as Str)).toBe("Paris");
    expect(decodeText(v.get("Reason") as Str)).toContain("Stéphanie Schaer");
    expect(decodeText(v.get("ContactInfo") as Str)).toBe("s@example.fr");
    expect(v.get("ByteRange")).toEqual(res.byteRange);
    const ap = raw.dict(raw.dict(field.widget.get("AP"))!.get("N"))!;
    const stream = Buffer.from(res.pdf).toString("latin1", ap.streamAt, ap.streamAt! + 2000);
    // Glyph ids of the stamp's Marianne (/MR regular, /MB bold), read back through the font's cmap.
    const M = getMetrics();
    let style: "regular" | "bold" = "regular";
    const shown: string[] = [];
    for (const m of stream.matchAll(/\/(MR|MB) [\d.]+ Tf|<([0-9a-fA-F]+)> Tj/g)) {
      if (m[1]) style = m[1] === "MB" ? "bold" : "regular";
      else shown.push(String.fromCodePoint(...m[2].match(/.{4}/g)!.map((h) => M[style].font.unicodeOf.get(parseInt(h, 16))!)));
    }
    expect(shown).toEqual([
      "Pour la directrice et par délégation,",
      "Signé électroniquement par Jean Dupont",
      "DINUM",
      "2022.12.19 23:45:15 +01'00'",
    ]);
  });
});
