// Issue 9: the verdict is about the document a viewer shows. Each fixture is built by code from
// the portal's own signed reference convention (no opaque files) and reproduces one way a changed
// act got « VALIDE » from the former byte-scanning verifier: changes hidden from a byte scan
// (class 1), appearances changed after signing (class 2), looping xref chains (class 4); and a
// pyHanko-style second signature that must be accepted (class 6). poppler's pdftotext confirms
// each class-1 forgery really shows another text.
import fs from "node:fs";
import path from "node:path";
import { openPki, type Pki } from "../pki/pki";
import { completeDocument } from "../signing/complete";
import { verifyPdf, formatReportFr, type VerificationReport } from "./verify";
import { Dict, Ref, type Revision } from "./pdf-resolve";
import { serialize } from "../core/pdf-raw";
import { attribute, buildSignedData, OID, sha256 } from "../pki/cms";
import { timestampOrThrow } from "../signing/sign";
import { appendIncrement, nextNum, revisionOf, streamObject, withEntries, type ForgedObject } from "../test-support/forge";
import { MALLORY, loadReference, maliciousPage1, page1, PEOPLE, signAll } from "../test-support/attack-fixtures";
import { run, tmpDir } from "../test-support/tools";

let dir: string;
let pki: Pki;
let trust: string;
let reference: Uint8Array;
let ref1: Uint8Array; // signature-1 signed, signature-2 empty
let ref2: Uint8Array; // both signed
let lta: Uint8Array; // + DSS + document timestamp

const verify = (pdf: Uint8Array): Promise<VerificationReport> => verifyPdf(pdf, { trusted: [trust] });

/** Failed checks, document-level and per signature, as "id" strings. */
const failed = (r: VerificationReport) => [
  ...r.documentChecks.filter((c) => !c.ok).map((c) => c.id),
  ...r.signatures.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.fieldName}:${c.id}`)),
];

function save(name: string, pdf: Uint8Array): string {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  if (process.env.PARAPHE_FORGE_DIR) fs.writeFileSync(path.join(process.env.PARAPHE_FORGE_DIR, `${name}.pdf`), pdf);
  return file;
}

/** Page 1 as poppler draws it (grey levels, low resolution). */
function page1Pixels(pdf: Uint8Array, name: string): Buffer {
  const out = path.join(dir, `${name}-p1`);
  run("pdftoppm", ["-f", "1", "-l", "1", "-r", "30", "-gray", "-singlefile", save(name, pdf), out]);
  return fs.readFileSync(`${out}.pgm`);
}

/** Text poppler shows on page 1. */
const page1Text = (pdf: Uint8Array, name: string) => run("pdftotext", ["-f", "1", "-l", "1", save(name, pdf), "-"]).out;

beforeAll(async () => {
  dir = tmpDir("paraphe-attacks-");
  pki = await openPki({ dataDir: path.join(dir, "data"), env: {} as NodeJS.ProcessEnv });
  trust = pki.trustPem();
  reference = await loadReference();
  [ref1, ref2] = await signAll(pki, reference);
  lta = await completeDocument(ref2, { tsa: pki.tsa, validationData: pki.validationData() });
});

describe("the portal's own documents stay valid", () => {
  it("one, two signatures, then DSS + document timestamp", async () => {
    for (const [name, pdf] of Object.entries({ ref1, ref2, lta })) {
      const r = await verify(pdf);
      expect(r.ok, `${name}: ${formatReportFr(r)}`).toBe(true);
    }
  });
});

describe("intact, whoever the authority (intact / intactButUntrusted)", () => {
  it("the portal's signatures checked without trusting its authority: intact but untrusted, never valid", async () => {
    const trusted = await verify(ref2);
    expect(trusted.signatures.map((x) => [x.valid, x.intact, x.intactButUntrusted])).toEqual([
      [true, true, false],
      [true, true, false],
    ]);
    const untrusted = await verifyPdf(ref2, { trusted: [] });
    expect(untrusted.ok).toBe(false);
    expect(untrusted.signatures.map((x) => [x.valid, x.trusted, x.intact, x.intactButUntrusted])).toEqual([
      [false, false, true, true],
      [false, false, true, true],
    ]);
  });

  it("a byte changed under the signatures, or a later revision changing the page: not intact, trusted or not", async () => {
    const tampered = new Uint8Array(ref2);
    tampered[Buffer.from(tampered).indexOf("stream") + 20] ^= 0x01;
    const m = maliciousPage1(ref2);
    const changed = appendIncrement(ref2, { objects: [...m.objects, { num: m.page.num, body: m.body }] }).pdf;
    for (const [name, pdf] of Object.entries({ tampered, changed })) {
      for (const trusted of [[trust], []]) {
        const r = await verifyPdf(pdf, { trusted });
        expect(r.signatures.map((x) => [x.intact, x.intactButUntrusted]), `${name}, ${trusted.length} autorité(s)`).toEqual([
          [false, false],
          [false, false],
        ]);
      }
    }
  });
});

describe("class 1: changes after the last signature hidden from a byte scan", () => {
  const expectRejected = async (name: string, forged: Uint8Array) => {
    expect(page1Text(ref2, "signed")).not.toContain(MALLORY);
    expect(page1Text(forged, name)).toContain(MALLORY); // poppler shows the forgery
    const r = await verify(forged);
    expect(r.ok, formatReportFr(r)).toBe(false);
    expect(failed(r)).toEqual(expect.arrayContaining(["coverage"]));
    expect(r.signatures.every((s) => s.checks.some((c) => c.id === "changes" && !c.ok))).toBe(true);
    return r;
  };

  it("an object defined twice: the xref designates the modified copy, the text ends with the original", async () => {
    const m = maliciousPage1(ref2);
    const forged = appendIncrement(ref2, {
      objects: [...m.objects, { num: m.page.num, body: m.body }, { num: m.page.num, body: m.original, unlisted: true }],
    }).pdf;
    await expectRejected("c1-duplicate", forged);
  });

  it("an object header preceded by a NUL byte", async () => {
    const m = maliciousPage1(ref2);
    const forged = appendIncrement(ref2, { objects: [...m.objects, { num: m.page.num, body: m.body, pre: "\n\0" }] }).pdf;
    await expectRejected("c1-nul", forged);
  });

  it("an object header glued to the previous endobj", async () => {
    const m = maliciousPage1(ref2);
    const forged = appendIncrement(ref2, { objects: [...m.objects, { num: m.page.num, body: m.body, pre: "" }] }).pdf;
    expect(Buffer.from(forged).toString("latin1")).toContain(`endobj${m.page.num} 0 obj`);
    await expectRejected("c1-glued", forged);
  });

  it("a decoy trailer after the real one (the real one names a new catalog)", async () => {
    const rev = revisionOf(ref2);
    const m = maliciousPage1(ref2);
    const catalogNum = m.next;
    const pagesNum = m.next + 1;
    const pagesRef = rev.catalog().get("Pages") as Ref;
    const pages = rev.dict(pagesRef)!;
    const kids = rev.array(pages.get("Kids"))!.map(serialize);
    const newPage = withEntries(m.page.dict, { Contents: m.contentsText, Resources: m.resourcesText, Parent: `${pagesNum} 0 R` });
    const pageNum = m.next + 2;
    kids[0] = `${pageNum} 0 R`;
    const root = rev.trailer.get("Root") as Ref;
    const forged = appendIncrement(ref2, {
      objects: [
        ...m.objects,
        { num: catalogNum, body: withEntries(rev.catalog(), { Pages: `${pagesNum} 0 R` }) },
        { num: pagesNum, body: withEntries(pages, { Kids: `[${kids.join(" ")}]` }) },
        { num: pageNum, body: newPage },
      ],
      root: new Ref(catalogNum, 0),
      afterTrailer: `trailer\n<</Size ${pageNum + 1} /Root ${root.num} 0 R /Info ${serialize(rev.trailer.get("Info")!)} /Prev ${rev.startxref}>>\n`,
    }).pdf;
    const r = await expectRejected("c1-decoy-trailer", forged);
    expect(r.signatures[0].checks.find((c) => c.id === "changes")!.detail).toContain("catalogue remplacé");
  });

  it("a modified page inside an object stream, with an xref stream typed /X#52ef", async () => {
    const m = maliciousPage1(ref2);
    const forged = appendIncrement(ref2, {
      objects: m.objects,
      objStm: { num: m.next, objects: [{ num: m.page.num, body: m.body }] },
      xref: "stream",
      xrefTypeName: "/Type /X#52ef",
    }).pdf;
    expect(Buffer.from(forged).toString("latin1")).not.toMatch(/\/Type\s*\/XRef/);
    await expectRejected("c1-objstm", forged);
  });

  it("shadow hide-and-replace: a revision prepared before signing, then an increment holding only an xref", async () => {
    const original = revisionOf(reference);
    const m = maliciousPage1(reference);
    const prepared = appendIncrement(reference, { objects: [...m.objects, { num: m.page.num, body: m.body }] });
    const originalOffset = (original.entry(m.page.num) as { offset: number }).offset;
    const hidden = appendIncrement(prepared.pdf, { entries: new Map([[m.page.num, originalOffset]]) }).pdf;
    expect(page1Text(hidden, "c1-shadow-prepared")).not.toContain(MALLORY);
    const [, signed] = await signAll(pki, hidden);
    expect((await verify(signed)).ok).toBe(true);
    const forged = appendIncrement(signed, { entries: new Map([[m.page.num, prepared.offsets.get(m.page.num)!]]) }).pdf;
    expect(page1Text(forged, "c1-shadow")).toContain(MALLORY);
    const r = await verify(forged);
    expect(r.ok, formatReportFr(r)).toBe(false);
    expect(failed(r)).toEqual(expect.arrayContaining(["coverage"]));
    expect(r.signatures.every((s) => s.checks.some((c) => c.id === "changes" && !c.ok))).toBe(true);
  });
});

/** A stamp-like appearance stream and its font. */
function appearance(first: number, text: string, w = 230, h = 85): ForgedObject[] {
  return [
    streamObject(first, ` /Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}] /Resources <</Font <</Helv ${first + 1} 0 R>>>>`, `BT /Helv 9 Tf 4 ${h - 14} Td (${text}) Tj ET`),
    { num: first + 1, body: "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>" },
  ];
}

function fieldNamed(rev: Revision, name: string): { num: number; dict: Dict } {
  const acro = rev.dict(rev.catalog().get("AcroForm"))!;
  for (const item of rev.array(acro.get("Fields"))!) {
    const d = rev.dict(item)!;
    if (Buffer.from((d.get("T") as { raw: string }).raw, "latin1").toString("latin1") === name) return { num: (item as Ref).num, dict: d };
  }
  throw new Error(`no field ${name}`);
}

describe("class 2: signature appearances changed after signing", () => {
  it("the /AP of an already-signed field replaced", async () => {
    const rev = revisionOf(ref2);
    const f = fieldNamed(rev, "signature-1");
    const n = nextNum(ref2);
    const forged = appendIncrement(ref2, {
      objects: [...appearance(n, `Sign\\351 \\351lectroniquement par ${MALLORY}`), { num: f.num, body: withEntries(f.dict, { AP: `<</N ${n} 0 R>>` }) }],
    }).pdf;
    save("c2-ap-replaced", forged);
    const r = await verify(forged);
    expect(r.ok, formatReportFr(r)).toBe(false);
    expect(r.signatures[0].checks.find((c) => c.id === "changes")).toMatchObject({ ok: false });
  });

  it("a fake signed appearance on an empty field, without /V", async () => {
    const rev = revisionOf(ref1);
    const f = fieldNamed(rev, "signature-2");
    const n = nextNum(ref1);
    const forged = appendIncrement(ref1, {
      objects: [...appearance(n, `Sign\\351 \\351lectroniquement par ${MALLORY}`), { num: f.num, body: withEntries(f.dict, { AP: `<</N ${n} 0 R>>` }) }],
    }).pdf;
    save("c2-fake-appearance", forged);
    const r = await verify(forged);
    expect(r.ok, formatReportFr(r)).toBe(false);
    expect(r.signatures[0].checks.find((c) => c.id === "changes")).toMatchObject({ ok: false });
  });

  it("shadow hide: an unsigned overlay field's appearance emptied after signing reveals the text it covered", async () => {
    // Before signing: a line on page 1, covered by a white overlay field (unsigned signature field).
    const rev = revisionOf(reference);
    const page = page1(rev);
    const acroRef = rev.catalog().get("AcroForm") as Ref;
    const acro = rev.dict(acroRef)!;
    const n = nextNum(reference);
    const resources = rev.dict(page.dict.get("Resources"))!.clone();
    const fonts = (rev.dict(resources.get("Font")) ?? new Dict()).clone();
    fonts.map.set("Mal", new Ref(n + 1, 0));
    resources.map.set("Font", fonts);
    const fields = rev.array(acro.get("Fields"))!.map(serialize);
    const rect = [40, 100, 560, 130];
    const prepared = appendIncrement(reference, {
      objects: [
        streamObject(n, "", "BT /Mal 14 Tf 0 0 0 rg 56 110 Td (MONTANT DE LA CONVENTION PORT\\311 \\300 9 900 000 EUR) Tj ET"),
        { num: n + 1, body: "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>" },
        streamObject(n + 2, ` /Type /XObject /Subtype /Form /BBox [0 0 520 30]`, "1 1 1 rg 0 0 520 30 re f"),
        { num: n + 3, body: `<</Type /Annot /Subtype /Widget /FT /Sig /T (recouvrement) /Rect [${rect.join(" ")}] /F 4 /P ${page.num} 0 R /AP <</N ${n + 2} 0 R>>>>` },
        { num: page.num, body: withEntries(page.dict, { Contents: `[${serialize(page.dict.get("Contents")!)} ${n} 0 R]`, Resources: serialize(resources), Annots: `[${n + 3} 0 R]` }) },
        { num: acroRef.num, body: withEntries(acro, { Fields: `[${[...fields, `${n + 3} 0 R`].join(" ")}]` }) },
      ],
    }).pdf;
    const [, signed] = await signAll(pki, prepared);
    expect((await verify(signed)).ok).toBe(true);
    const m = nextNum(signed);
    const overlay = revisionOf(signed).dict(new Ref(n + 3, 0))!;
    const forged = appendIncrement(signed, {
      objects: [streamObject(m, ` /Type /XObject /Subtype /Form /BBox [0 0 520 30]`, ""), { num: n + 3, body: withEntries(overlay, { AP: `<</N ${m} 0 R>>` }) }],
    }).pdf;
    // What poppler draws on page 1 changes (the covered line appears), not only the objects.
    expect(page1Pixels(forged, "c2-shadow-hide").equals(page1Pixels(signed, "c2-shadow-hide-signed"))).toBe(false);
    const r = await verify(forged);
    expect(r.ok, formatReportFr(r)).toBe(false);
    expect(r.signatures.every((s) => s.checks.some((c) => c.id === "changes" && !c.ok))).toBe(true);
  });
});

describe("allowed-change rules (pyHanko's, narrowed)", () => {
  it("refuses a new visible annotation, and a new visible field even holding a document timestamp", async () => {
    const rev = revisionOf(ref2);
    const page = page1(rev);
    const acroRef = rev.catalog().get("AcroForm") as Ref;
    const acro = rev.dict(acroRef)!;
    const n = nextNum(ref2);
    const annots = (rev.array(page.dict.get("Annots")) ?? []).map(serialize);
    const square = appendIncrement(ref2, {
      objects: [
        { num: n, body: `<</Type /Annot /Subtype /Square /Rect [40 560 560 620] /C [1 1 1] /IC [1 1 1] /F 4>>` },
        { num: page.num, body: withEntries(page.dict, { Annots: `[${[...annots, `${n} 0 R`].join(" ")}]` }) },
      ],
    }).pdf;
    const r1 = await verify(square);
    expect(r1.ok).toBe(false);
    expect(r1.signatures[1].checks.find((c) => c.id === "changes")!.detail).toContain("annotation ajoutée");
    const fields = rev.array(acro.get("Fields"))!.map(serialize);
    const visibleTs = appendIncrement(ref2, {
      objects: [
        { num: n, body: `<</Type /Annot /Subtype /Widget /FT /Sig /T (horodatage-1) /Rect [40 560 560 620] /F 4 /P ${page.num} 0 R /V ${n + 1} 0 R>>` },
        { num: n + 1, body: `<</Type /DocTimeStamp /SubFilter /ETSI.RFC3161 /ByteRange [0 1 2 3] /Contents <00>>>` },
        { num: page.num, body: withEntries(page.dict, { Annots: `[${[...annots, `${n} 0 R`].join(" ")}]` }) },
        { num: acroRef.num, body: withEntries(acro, { Fields: `[${[...fields, `${n} 0 R`].join(" ")}]` }) },
      ],
    }).pdf;
    const r2 = await verify(visibleTs);
    expect(r2.ok).toBe(false);
    expect(r2.signatures[1].checks.find((c) => c.id === "changes")!.detail).toContain("champ de signature visible ajouté");
  });

  it("refuses an empty field « filled » with something that is not a signature, under a fake appearance", async () => {
    const rev = revisionOf(ref1);
    const f = fieldNamed(rev, "signature-2");
    const n = nextNum(ref1);
    const forged = appendIncrement(ref1, {
      objects: [
        ...appearance(n, `Sign\\351 \\351lectroniquement par ${MALLORY}`),
        { num: n + 2, body: "(sign\\351)" },
        { num: f.num, body: withEntries(f.dict, { AP: `<</N ${n} 0 R>>`, V: `${n + 2} 0 R` }) },
      ],
    }).pdf;
    const r = await verify(forged);
    expect(r.ok).toBe(false);
    expect(r.signatures[0].checks.find((c) => c.id === "changes")!.detail).toContain("sans dictionnaire de signature");
  });

  it("refuses freeing an object that was in use at signing", async () => {
    const page = page1(revisionOf(ref2));
    const freed = appendIncrement(ref2, { entries: new Map([[page.num, "free" as const]]) }).pdf;
    const r = await verify(freed);
    expect(r.ok).toBe(false);
    expect(r.signatures[0].checks.find((c) => c.id === "changes")!.detail).toContain("objet libéré");
  });
});

describe("class 4: xref chains that loop", () => {
  it("a newest section whose /Prev is itself", async () => {
    const probe = appendIncrement(ref2, {});
    const forged = appendIncrement(ref2, { prev: probe.xrefAt }).pdf;
    save("c4-self", forged);
    const r = await verify(forged);
    expect(r.ok).toBe(false);
    expect(r.documentChecks.find((c) => c.id === "xref")).toMatchObject({ ok: false, detail: expect.stringContaining("boucle") });
  });

  it("two sections whose /Prev point at each other", async () => {
    const one = appendIncrement(ref2, {});
    const two = appendIncrement(one.pdf, {});
    const buf = Buffer.from(two.pdf);
    const prevText = `/Prev ${revisionOf(ref2).startxref}`;
    const at = buf.indexOf(prevText, one.xrefAt, "latin1");
    const loop = `/Prev ${two.xrefAt}`;
    expect(loop.length).toBeLessThanOrEqual(prevText.length);
    buf.write(loop.padEnd(prevText.length, " "), at, "latin1");
    save("c4-two", buf);
    const r = await verify(buf);
    expect(r.ok).toBe(false);
    expect(r.documentChecks.find((c) => c.id === "xref")).toMatchObject({ ok: false, detail: expect.stringContaining("boucle") });
  });
});

/**
 * A second signature written the way pyHanko writes one: /Contents before /ByteRange, strings
 * with octal escapes, names with #xx escapes and another key order in the rewritten field and
 * catalog, the catalog's /Extensions (ESIC) added, the Info dictionary's ModDate/Producer updated.
 */
async function pyhankoStyleSecondSignature(base: Uint8Array): Promise<Uint8Array> {
  const rev = revisionOf(base);
  const f = fieldNamed(rev, "signature-2");
  const n = nextNum(base);
  const sigNum = n;
  const apNum = n + 1;
  const contentsSize = 16384;
  const brPlaceholder = "/ByteRange [0 0000000000 0000000000 0000000000]";
  const sig =
    `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:20261202100000+01\\04700\\047)` +
    ` /Name (St\\351phanie Schaer) /Location (Paris \\050fr\\055FR\\051) /Reason (Approbation)` +
    ` /Contents <${"0".repeat(contentsSize * 2)}> ${brPlaceholder}>>`;
  const field = f.dict;
  const t = field.get("T") as { raw: string };
  // The field rewritten: other key order, escaped names, octal string.
  const fieldBody =
    `<</V ${sigNum} 0 R /AP <</N ${apNum} 0 R>> /T (${t.raw.replace("-", "\\055")}) /F#54 /S#69g /Subtype /W#69dget /Ty#70e /Annot` +
    ` /Rect ${serialize(field.get("Rect")!)} /F ${serialize(field.get("F")!)} /P ${serialize(field.get("P")!)}` +
    [...field.map.keys()].filter((k) => !["V", "AP", "T", "FT", "Subtype", "Type", "Rect", "F", "P"].includes(k)).map((k) => ` /${k} ${serialize(field.get(k)!)}`).join("") +
    ">>";
  const catalog = rev.catalog();
  const catalogRef = rev.trailer.get("Root") as Ref;
  const catalogBody =
    `<</Extensions <</ESIC <</BaseVersion /1#2E7 /ExtensionLevel 2>>>> /Ty#70e /Catalog` +
    [...catalog.map.keys()].filter((k) => k !== "Type").reverse().map((k) => ` /${k} ${k === "Lang" ? "(fr\\055FR)" : serialize(catalog.get(k)!)}`).join("") +
    ">>";
  const infoRef = rev.trailer.get("Info") as Ref;
  const infoBody = withEntries(rev.dict(infoRef)!, { ModDate: "(D:20261202100000+01'00')", Producer: "(pyHanko 0.25.1)" });
  const signer = await pki.signerFor(PEOPLE[1]);
  const inc = appendIncrement(base, {
    objects: [
      { num: sigNum, body: sig },
      ...appearance(apNum, "Sign\\351 \\351lectroniquement par St\\351phanie Schaer").map((o, i) => (i === 1 ? { ...o, num: n + 2 } : { ...o, num: apNum, body: o.body.replace(`${apNum + 1} 0 R`, `${n + 2} 0 R`) })),
      { num: f.num, body: fieldBody },
      { num: catalogRef.num, body: catalogBody },
      { num: infoRef.num, body: infoBody },
    ],
  });
  const out = Buffer.from(inc.pdf);
  const sigAt = inc.offsets.get(sigNum)!;
  const b = out.indexOf("/Contents <", sigAt, "latin1") + "/Contents ".length;
  const c = b + contentsSize * 2 + 2;
  const brAt = out.indexOf(brPlaceholder, sigAt, "latin1");
  out.write(`/ByteRange [0 ${b} ${c} ${out.length - c}]`.padEnd(brPlaceholder.length, " "), brAt, "latin1");
  const digest = sha256([out.subarray(0, b), out.subarray(c)]);
  const { der } = await buildSignedData({
    eContentType: OID.data,
    contentDigest: digest,
    certificates: signer.certificateChain,
    signatureAlgorithm: signer.keyType === "ec" ? OID.ecdsaWithSHA256 : OID.rsaEncryption,
    sign: (attrs) => signer.sign(attrs),
    unsignedAttrs: async (s) => [attribute(OID.signatureTimeStampToken, await timestampOrThrow(pki.tsa, sha256(s)))],
  });
  out.write(Buffer.from(der).toString("hex"), b + 1, "latin1");
  return new Uint8Array(out);
}

describe("class 6: interoperability", () => {
  it("a pyHanko-style second signature verifies, and keeps the portal's first signature valid", async () => {
    const pdf = await pyhankoStyleSecondSignature(ref1);
    save("c6-pyhanko-style", pdf);
    const text = Buffer.from(pdf).toString("latin1");
    expect(text).toMatch(/\/Contents <[0-9a-f]+> \/ByteRange/);
    const r = await verify(pdf);
    expect(r.ok, formatReportFr(r)).toBe(true);
    expect(r.signatures.map((s) => [s.valid, s.trusted, s.level])).toEqual([
      [true, true, "B-T"],
      [true, true, "B-T"],
    ]);
    expect(r.signatures[1].location).toBe("Paris (fr-FR)");
  });
});

/**
 * A second signature over `base` (its signature-2 field filled with an indirect signature
 * dictionary in one increment), by a real signer who chose the layout: `first`, the ByteRange's
 * first number; `tail`, bytes appended after the increment's %%EOF before signing (covered by the
 * signature). Digest, CMS and timestamp are right for the bytes actually signed ([0, gap) and
 * (gap, end]), so only the layout rules can refuse it.
 */
async function secondSignatureLaidOut(base: Uint8Array, layout: { first?: number; tail?: string }): Promise<Uint8Array> {
  const f = fieldNamed(revisionOf(base), "signature-2");
  const n = nextNum(base);
  const contentsSize = 16384;
  const placeholder = "/ByteRange [0 0000000000 0000000000 0000000000]";
  const sig = `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:20261202100000+01'00') /Name (St\\351phanie Schaer) ${placeholder} /Contents <${"0".repeat(contentsSize * 2)}>>>`;
  const inc = appendIncrement(base, { objects: [{ num: n, body: sig }, { num: f.num, body: withEntries(f.dict, { V: `${n} 0 R` }) }] });
  const out = Buffer.concat([Buffer.from(inc.pdf), Buffer.from(layout.tail ?? "", "latin1")]);
  const sigAt = inc.offsets.get(n)!;
  const b = out.indexOf("/Contents <", sigAt, "latin1") + "/Contents ".length;
  const c = b + contentsSize * 2 + 2;
  out.write(`/ByteRange [${layout.first ?? 0} ${b} ${c} ${out.length - c}]`.padEnd(placeholder.length, " "), out.indexOf(placeholder, sigAt, "latin1"), "latin1");
  const signer = await pki.signerFor(PEOPLE[1]);
  const { der } = await buildSignedData({
    eContentType: OID.data,
    contentDigest: sha256([out.subarray(0, b), out.subarray(c)]),
    certificates: signer.certificateChain,
    signatureAlgorithm: signer.keyType === "ec" ? OID.ecdsaWithSHA256 : OID.rsaEncryption,
    sign: (attrs) => signer.sign(attrs),
    unsignedAttrs: async (s) => [attribute(OID.signatureTimeStampToken, await timestampOrThrow(pki.tsa, sha256(s)))],
  });
  out.write(Buffer.from(der).toString("hex"), b + 1, "latin1");
  return new Uint8Array(out);
}

describe("ByteRange and revision rules, each alone (signatures laid out badly by their own signer)", () => {
  it("the same signer's layout with the ByteRange starting at 0 verifies (the fixtures below differ by one rule)", async () => {
    const r = await verify(await secondSignatureLaidOut(ref1, {}));
    expect(r.ok, formatReportFr(r)).toBe(true);
  });

  it("a ByteRange starting at 1: refused by the ByteRange rule alone", async () => {
    const pdf = await secondSignatureLaidOut(ref1, { first: 1 });
    save("br-start-1", pdf);
    const r = await verify(pdf);
    expect(r.ok).toBe(false);
    expect(failed(r)).toEqual(["signature-2:byterange"]);
  });

  it("a ByteRange ending after the revision's %%EOF (a signed comment after it): refused by the revision rule alone", async () => {
    const pdf = await secondSignatureLaidOut(ref1, { tail: "% suite signée\n" });
    save("br-past-eof", pdf);
    const r = await verify(pdf);
    expect(r.ok).toBe(false);
    expect(failed(r)).toEqual(["signature-2:revision"]);
    expect(r.signatures[1]).toMatchObject({ digestOk: true, signatureOk: true, trusted: true });
  });

  it("an increment that cannot be read as a revision counts against the signatures before it", async () => {
    // After signature-1: signature-2 filled with a dictionary whose ByteRange claims a revision
    // ending inside the increment's own startxref (not a readable revision).
    const f = fieldNamed(revisionOf(ref1), "signature-2");
    const n = nextNum(ref1);
    const placeholder = "/ByteRange [5 10 20 0000000000]";
    const out = Buffer.from(
      appendIncrement(ref1, { objects: [{ num: n, body: `<</Type /Sig /SubFilter /ETSI.CAdES.detached ${placeholder} /Contents <00>>>` }, { num: f.num, body: withEntries(f.dict, { V: `${n} 0 R` }) }] }).pdf,
    );
    const inside = out.lastIndexOf("startxref") + "startxref\n".length + 1;
    out.write(`/ByteRange [5 10 20 ${inside - 20}]`.padEnd(placeholder.length, " "), out.indexOf(placeholder), "latin1");
    save("increment-unreadable", out);
    const r = await verify(out);
    expect(r.ok).toBe(false);
    const first = r.signatures.find((s) => s.fieldName === "signature-1")!;
    expect(first.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["changes"]);
    expect(first.checks.find((c) => c.id === "changes")!.detail).toContain("révision illisible");
  });
});
