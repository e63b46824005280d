// Resources (issue 9, class 7, parsing part): a DSS stream that inflates to 4 GiB and 150 fake
// signature fields over a multi-megabyte file each get a bounded verdict quickly (the former
// verifier took 61 s / 10.6 GB and 65 s / 3.4 GB on them).
import path from "node:path";
import zlib from "node:zlib";
import { openPki, type Pki } from "../pki/pki";
import { completeDocument } from "../signing/complete";
import { verifyPdf, formatReportFr, VERIFY_LIMITS } from "./verify";
import { Ref } from "./pdf-resolve";
import { appendIncrement, nextNum, revisionOf, withEntries } from "../test-support/forge";
import { loadReference, signAll } from "../test-support/attack-fixtures";
import { tmpDir } from "../test-support/tools";

let pki: Pki;
let trust: string;
let signed: Uint8Array;

beforeAll(async () => {
  const dir = tmpDir("paraphe-resources-");
  pki = await openPki({ dataDir: path.join(dir, "data"), env: {} as NodeJS.ProcessEnv });
  trust = pki.trustPem();
  [, signed] = await signAll(pki, await loadReference());
});

/**
 * A zlib stream of `gib` GiB of zeros, about 4 MB per GiB: one raw deflate block of 1 MiB of
 * zeros (sync-flushed, so not final) repeated, an empty final block, then the Adler-32.
 */
function zeroBomb(gib: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const n = gib * 1024;
  const total = BigInt(n) << 20n;
  const adler = Number(((total % 65521n) << 16n) | 1n); // a = 1 + Σ0, b = Σa = length mod 65521
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(adler >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0x9c]), ...Array<Buffer>(n).fill(block), Buffer.from([0x03, 0x00]), tail]);
}

describe("bounded resources", () => {
  it("a DSS stream inflating to 4 GiB: « Flux de données de validation trop volumineux », quickly", async () => {
    const bomb = zeroBomb(4);
    expect(bomb.length).toBeGreaterThan(3_000_000);
    expect(bomb.length).toBeLessThan(6_000_000);
    const rev = revisionOf(signed);
    const root = rev.trailer.get("Root") as Ref;
    const n = nextNum(signed);
    const pdf = appendIncrement(signed, {
      objects: [
        { num: n, body: `<</Filter /FlateDecode /Length ${bomb.length}>>`, stream: bomb },
        { num: root.num, body: withEntries(rev.catalog(), { DSS: `<</Certs [${n} 0 R] /CRLs []>>` }) },
      ],
    }).pdf;
    const rssBefore = process.memoryUsage().rss;
    const t = performance.now();
    const r = await verifyPdf(pdf, { trusted: [trust] });
    const ms = performance.now() - t;
    expect(ms).toBeLessThan(5000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 * 1024);
    expect(r.ok).toBe(false);
    expect(r.documentChecks.find((c) => c.id === "dss-size")).toMatchObject({ ok: false, label: "Flux de données de validation trop volumineux" });
    expect(formatReportFr(r)).toContain("Flux de données de validation trop volumineux");
  });

  it("150 fake signature fields over a multi-megabyte file: bounded verdict, quickly", async () => {
    const rev0 = revisionOf(signed);
    const acroRef = rev0.catalog().get("AcroForm") as Ref;
    const acro = rev0.dict(acroRef)!;
    const fields = rev0.array(acro.get("Fields"))!.map((f) => `${(f as Ref).num} 0 R`);
    let pdf = signed;
    for (let i = 0; i < 150; i++) {
      const n = nextNum(pdf);
      fields.push(`${n} 0 R`);
      const end = pdf.length + 40_000;
      pdf = appendIncrement(pdf, {
        objects: [
          { num: n, body: `<</FT /Sig /T (faux-${i}) /Rect [0 0 0 0] /V ${n + 1} 0 R>>` },
          { num: n + 1, body: `<</Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 ${pdf.length} ${pdf.length + 32770} ${end - pdf.length - 32770}] /Contents <${"30".repeat(16384)}>>>` },
          { num: acroRef.num, body: withEntries(acro, { Fields: `[${fields.join(" ")}]` }) },
        ],
      }).pdf;
    }
    expect(pdf.length).toBeGreaterThan(4_500_000);
    const t = performance.now();
    const r = await verifyPdf(pdf, { trusted: [trust] });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    expect(r.documentChecks.find((c) => c.id === "signature-limit")).toMatchObject({ ok: false, detail: `152 signatures, maximum ${VERIFY_LIMITS.signatures}` });
  });

  it("just under the signature limit, fake fields still end quickly and INVALID", async () => {
    let pdf = await completeDocument(signed, { tsa: pki.tsa, validationData: pki.validationData() });
    const rev0 = revisionOf(pdf);
    const acroRef = rev0.catalog().get("AcroForm") as Ref;
    const acro = rev0.dict(acroRef)!;
    const fields = rev0.array(acro.get("Fields"))!.map((f) => `${(f as Ref).num} 0 R`);
    for (let i = fields.length; i < VERIFY_LIMITS.signatures; i++) {
      const n = nextNum(pdf);
      fields.push(`${n} 0 R`);
      pdf = appendIncrement(pdf, {
        objects: [
          { num: n, body: `<</FT /Sig /T (faux-${i}) /Rect [0 0 0 0] /V ${n + 1} 0 R>>` },
          { num: n + 1, body: `<</Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 ${pdf.length} ${pdf.length + 32770} 100] /Contents <${"30".repeat(16384)}>>>` },
          { num: acroRef.num, body: withEntries(acro, { Fields: `[${fields.join(" ")}]` }) },
        ],
      }).pdf;
    }
    const t = performance.now();
    const r = await verifyPdf(pdf, { trusted: [trust] });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r.signatures).toHaveLength(VERIFY_LIMITS.signatures);
    expect(r.ok).toBe(false);
  });
});
