// Signing engine, end to end, checked with tools the project did not write: pdfsig (NSS),
// qpdf --check, openssl cms/ts. Attacks and TSA failures checked with our verifier.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { PDFDocument, StandardFonts } from "@cantoo/pdf-lib";
import fc from "fast-check";
import { openPki, type Pki } from "../pki/pki";
import { signPdf, SigningError, LOAD_OPTIONS } from "./sign";
import { completeDocument } from "./complete";
import { renderConventionFromInput } from "../rendering/convention";
import { verifyPdf, formatReportFr } from "../verification/verify";
import { HttpTsa, TimestampError, type TimestampAuthority } from "../pki/timestamp";
import { pdfDate } from "../core/pdf-writer";
import { formatStampTime } from "./stamp";
import { makeSignablePdf } from "../test-support/fixture";
import {
  extractSignatures,
  nssDb,
  opensslChecks,
  pdfsig,
  qpdfCheck,
  replaceTimestamp,
  run,
  tmpDir,
  writeGap,
} from "../test-support/tools";

const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Secrétaire générale adjointe", organisation: "Ministère de la Justice", email: "af.canton@justice.gouv.fr" },
  { name: "Stéphanie Schaer", function: "Directrice interministérielle du numérique", organisation: "DINUM", email: "stephanie.schaer@modernisation.gouv.fr" },
  { name: "Zoé Lefèvre", organisation: "CBCM des services du Premier ministre", email: "zoe.lefevre@finances.gouv.fr" },
];

let dir: string;
let pki: Pki;
let trust: string;
let caFile: string;
let nss: string;
let reference: Uint8Array; // two boxes, from the real renderer
let fixture3: Uint8Array; // three boxes
const signed: Record<string, Uint8Array> = {};

async function signAll(pdf: Uint8Array, people = PEOPLE): Promise<Uint8Array[]> {
  const steps: Uint8Array[] = [pdf];
  for (const p of people) {
    const prev = steps[steps.length - 1];
    const res = await signPdf(prev, { signer: await pki.signerFor(p), tsa: pki.tsa, signatory: p });
    expect(Buffer.compare(res.pdf.subarray(0, prev.length), prev)).toBe(0);
    steps.push(res.pdf);
  }
  return steps.slice(1);
}

/** The reference convention as the portal renders it: a renderer error fails the test. */
async function loadReference(): Promise<Uint8Array> {
  const data = JSON.parse(fs.readFileSync(path.resolve("templates/examples/convention-justice-dinum-2022.json"), "utf8"));
  return (await renderConventionFromInput(data)).pdf;
}

const MUTOOL_UNCHANGED = "The document is unchanged since signing.";
const MUTOOL_EDITED = "The signature is valid but there have been edits since signing.";

/**
 * `mutool sign -v` (MuPDF): one entry per signed signature field, with its digest verdict. MuPDF
 * trusts only its built-in Adobe root, so its certificate verdict is not asserted (our CA is
 * checked by pdfsig through NSS and by openssl); 1.21 lists the document timestamp as unsigned.
 */
function mutoolSignatures(file: string): { digest: string }[] {
  const { code, out } = run("mutool", ["sign", "-v", file]);
  expect(code, out).toBe(0);
  return out
    .split(/^Verifying signature \d+:\n/m)
    .slice(1)
    .filter((b) => !b.includes("Signature is not signed."))
    .map((b) => {
      expect(b).toMatch(/Distinguished name: cn=/);
      return { digest: b.split("\n").find((l) => /unchanged|edits since signing|Digest error/i.test(l))?.trim() ?? b };
    });
}

function externalChecks(name: string, pdf: Uint8Array, expected: number) {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  expect(qpdfCheck(file)).toBe(true);
  const ps = pdfsig(file, nss).slice(0, expected);
  expect(ps).toHaveLength(expected);
  for (const r of ps) expect(r).toEqual({ valid: true, trusted: true });
  // The last signature covers the whole file unless completion appended the DSS and timestamp.
  const completed = Buffer.from(pdf).includes("/ETSI.RFC3161");
  const mu = mutoolSignatures(file);
  expect(mu.map((m) => m.digest)).toEqual(
    Array.from({ length: expected }, (_, i) => (i === expected - 1 && !completed ? MUTOOL_UNCHANGED : MUTOOL_EDITED)),
  );
  const work = tmpDir();
  const o = opensslChecks(pdf, work, caFile);
  expect(o.cms.every(Boolean)).toBe(true);
  expect(o.ts.every(Boolean)).toBe(true);
  return o;
}

beforeAll(async () => {
  dir = tmpDir();
  pki = await openPki({ dataDir: path.join(dir, "data"), env: {} as NodeJS.ProcessEnv });
  trust = pki.trustPem();
  caFile = path.join(dir, "trust.pem");
  fs.writeFileSync(caFile, trust);
  nss = nssDb(dir, trust);
  reference = await loadReference();
  fixture3 = (await makeSignablePdf({ pages: 4, signatures: 3 })).pdf;
  const ref = await signAll(reference, PEOPLE.slice(0, 2));
  signed.ref1 = ref[0];
  signed.ref2 = ref[1];
  signed.fix3 = (await signAll(fixture3))[2];
  signed.lta = await completeDocument(signed.ref2, { tsa: pki.tsa, validationData: pki.validationData() });
});

describe("PKI", () => {
  it("keeps keys owner-only and issues per-signatory certificates", async () => {
    const pkiDir = pki.config.pkiDir;
    expect(fs.statSync(pkiDir).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(pkiDir)) expect(fs.statSync(path.join(pkiDir, f)).mode & 0o777).toBe(0o600);
    const signer = await pki.signerFor(PEOPLE[0]);
    const cert = new X509Certificate(signer.certificateChain[0]);
    expect(cert.subject).toContain("CN=Anne-Florence Canton");
    expect(cert.subject).toContain("O=Ministère de la Justice");
    expect(cert.subjectAltName).toContain("email:af.canton@justice.gouv.fr");
    const tsa = new X509Certificate(fs.readFileSync(path.join(pkiDir, "tsa.cert.pem")));
    expect(tsa.keyUsage).toEqual(["1.3.6.1.5.5.7.3.8"]);
    expect(tsa.toLegacyObject().ext_key_usage).toBeDefined();
  });

  it("formats times like the reference, in Europe/Paris", () => {
    const d = new Date("2022-12-19T22:45:15Z");
    expect(formatStampTime(d)).toBe("2022.12.19 23:45:15 +01'00'");
    expect(pdfDate(new Date("2022-07-01T10:00:00Z"), "paris")).toBe("D:20220701120000+02'00'");
  });
});

describe("signatures checked by external tools", () => {
  it("two sequential signatures on the reference convention", () => {
    externalChecks("ref2", signed.ref2, 2);
  });

  it("three sequential signatures", () => {
    externalChecks("fix3", signed.fix3, 3);
  });

  it("after completion (DSS + document timestamp): every signature and the timestamp verify", () => {
    const o = externalChecks("lta", signed.lta, 2);
    expect(o.ts).toHaveLength(3); // two signature timestamps + the document timestamp
    const s = Buffer.from(signed.lta).toString("latin1");
    expect(s).toContain("/DSS");
    expect(s).toContain("/SubFilter /ETSI.RFC3161");
  });

  it("writes the visible stamps, with extractable text", () => {
    const file = path.join(dir, "stamp.pdf");
    fs.writeFileSync(file, signed.ref2);
    const r = run("pdftotext", [file, "-"]);
    expect(r.code).toBe(0);
    for (const p of PEOPLE.slice(0, 2)) {
      expect(r.out).toContain(`Signé électroniquement par ${p.name}`);
      expect(r.out).toContain(p.function!);
    }
    expect(r.out).toMatch(/\d{4}\.\d\d\.\d\d \d\d:\d\d:\d\d \+0[12]'00'/);
  });
});

describe("our verifier", () => {
  it("accepts the signed documents with the right levels", async () => {
    for (const [name, pdf] of Object.entries(signed)) {
      const r = await verifyPdf(pdf, { trusted: [trust] });
      expect(r.ok, `${name}: ${formatReportFr(r)}`).toBe(true);
    }
    const lta = await verifyPdf(signed.lta, { trusted: [trust] });
    expect(lta.signatures.filter((s) => s.kind === "signature").map((s) => s.level)).toEqual(["B-LTA", "B-LTA"]);
    expect(lta.signatures.at(-1)!.kind).toBe("document-timestamp");
    const r2 = await verifyPdf(signed.ref2, { trusted: [trust] });
    expect(r2.signatures.map((s) => [s.level, s.coversWholeDocument, s.signer?.commonName])).toEqual([
      ["B-T", false, PEOPLE[0].name],
      ["B-T", true, PEOPLE[1].name],
    ]);
    expect(formatReportFr(r2)).toContain("RÉSULTAT : VALIDE");
  });

  it("rejects untrusted signers, non-PDF and oversized input", async () => {
    expect((await verifyPdf(signed.ref2, { trusted: [] })).ok).toBe(false);
    expect((await verifyPdf(new TextEncoder().encode("hello"), { trusted: [trust] })).ok).toBe(false);
    expect((await verifyPdf(signed.ref2, { trusted: [trust], maxBytes: 1000 })).ok).toBe(false);
  });

  it("a flipped byte in each signed range → INVALID", async () => {
    const pdf = signed.ref2;
    const [, br] = extractSignatures(pdf).map((e) => e.byteRange);
    for (const pos of [200, br[2] + 10]) {
      const bad = Buffer.from(pdf);
      bad[pos] ^= 0x01;
      expect((await verifyPdf(bad, { trusted: [trust] })).ok).toBe(false);
      const file = path.join(dir, `flipped-${pos}.pdf`);
      fs.writeFileSync(file, bad);
      expect(mutoolSignatures(file).at(-1)!.digest).toMatch(/^Digest error/); // MuPDF sees it too
    }
  });

  it("an incremental update changing page content after signing → INVALID", async () => {
    const doc = await PDFDocument.load(signed.ref2, LOAD_OPTIONS);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.getPage(0).drawText("Montant : 1 000 000 €", { x: 100, y: 400, size: 20, font });
    const tampered = await doc.commit({ useObjectStreams: false });
    const r = await verifyPdf(tampered, { trusted: [trust] });
    expect(r.ok).toBe(false);
    expect(r.lastCoversDocument).toBe(false);
  });

  it("a rewritten ByteRange → INVALID", async () => {
    const pdf = signed.ref2;
    const br = extractSignatures(pdf)[1].byteRange;
    const s = Buffer.from(pdf).toString("latin1");
    const from = `/ByteRange [0 ${br[1]} ${br[2]} ${br[3]}]`;
    expect(s.includes(from)).toBe(true);
    for (const to of [`/ByteRange [0 ${br[1]} ${br[2]} ${br[3] - 1}]`, `/ByteRange [0 ${br[1] - 2} ${br[2]} ${br[3]}]`]) {
      const bad = Buffer.from(s.replace(from, to.padEnd(from.length, " ")), "latin1");
      expect((await verifyPdf(bad, { trusted: [trust] })).ok).toBe(false);
    }
  });

  it("a /Contents swapped from another document → INVALID", async () => {
    const other = (await signAll(reference, PEOPLE.slice(0, 1)))[0];
    const donor = extractSignatures(other)[0];
    const target = extractSignatures(signed.ref1)[0];
    const bad = writeGap(signed.ref1, target.byteRange, donor.der);
    const r = await verifyPdf(bad, { trusted: [trust] });
    expect(r.ok).toBe(false);
    expect(r.signatures[0].digestOk).toBe(false);
  });

  it("a timestamp taken from another signature → INVALID", async () => {
    const [a, b] = extractSignatures(signed.ref2);
    const bad = writeGap(signed.ref2, b.byteRange, replaceTimestamp(b.der, a.token!));
    const r = await verifyPdf(bad, { trusted: [trust] });
    expect(r.ok).toBe(false);
    expect(r.signatures[1].timestampOk).toBe(false);
    expect(r.signatures[1].digestOk).toBe(true); // only the token is wrong
  });

  it("property: random byte flips inside signed ranges are never accepted", async () => {
    const pdf = signed.ref2;
    const br = extractSignatures(pdf)[1].byteRange;
    const positions = fc.oneof(fc.integer({ min: 0, max: br[1] - 1 }), fc.integer({ min: br[2], max: br[2] + br[3] - 1 }));
    await fc.assert(
      fc.asyncProperty(positions, fc.integer({ min: 1, max: 255 }), async (pos, mask) => {
        const bad = Buffer.from(pdf);
        bad[pos] ^= mask;
        const r = await verifyPdf(bad, { trusted: [trust] });
        return !r.ok;
      }),
      { numRuns: 40 },
    );
  });
});

describe("timestamp authority", () => {
  let server: http.Server;
  let url: string;
  let mode: "ok" | "500" | "garbage" = "ok";
  /** The paths asked, in order: /tsa-panne always answers 500, whatever the mode. */
  const asked: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", async () => {
        asked.push(req.url ?? "");
        if (mode === "500" || req.url === "/tsa-panne") {
          res.writeHead(500).end("boom");
          return;
        }
        if (mode === "garbage") {
          res.writeHead(200, { "content-type": "application/timestamp-reply" }).end(Buffer.from("3003020100", "hex"));
          return;
        }
        const r = await pki.handleTimestampRequest(new Uint8Array(Buffer.concat(chunks)));
        res.writeHead(r.status, { "content-type": r.contentType }).end(Buffer.from(r.body));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const signWith = async (tsa: TimestampAuthority) =>
    signPdf(reference, { signer: await pki.signerFor(PEOPLE[0]), tsa, signatory: PEOPLE[0] });

  it("the HTTP client works against the built-in TSA served over HTTP", async () => {
    mode = "ok";
    const res = await signWith(new HttpTsa([url]));
    const r = await verifyPdf(res.pdf, { trusted: [trust] });
    expect(r.signatures[0].level).toBe("B-T");
    expect(r.signatures[0].valid).toBe(true);
  });

  it("tries the next URL when one is down, and the next one's token is the one used", async () => {
    mode = "ok";
    asked.length = 0;
    const down = url.replace(/\/tsa$/, "/tsa-panne");
    const res = await signWith(new HttpTsa(["http://127.0.0.1:1/tsa", down, url], 2000));
    // The unreachable one, then the one answering 500, then the third, which answered.
    expect(asked).toEqual(["/tsa-panne", "/tsa"]);
    const r = await verifyPdf(res.pdf, { trusted: [trust] });
    expect(r.signatures[0].timestampOk).toBe(true);
    expect(r.signatures[0].level).toBe("B-T");
    // And no further: once one answers, the others are not asked.
    asked.length = 0;
    await signWith(new HttpTsa([url, down], 2000));
    expect(asked).toEqual(["/tsa"]);
  });

  it("TSA down, HTTP 500 or garbage: signing throws, input unchanged", async () => {
    const before = Buffer.from(reference);
    await expect(signWith(new HttpTsa(["http://127.0.0.1:1/tsa"], 2000))).rejects.toBeInstanceOf(TimestampError);
    mode = "500";
    await expect(signWith(new HttpTsa([url]))).rejects.toBeInstanceOf(TimestampError);
    mode = "garbage";
    await expect(signWith(new HttpTsa([url]))).rejects.toBeInstanceOf(TimestampError);
    const liar: TimestampAuthority = { timestamp: async () => pki.builtinTsa.timestamp(new Uint8Array(32)) };
    await expect(signWith(liar)).rejects.toBeInstanceOf(TimestampError);
    expect(Buffer.compare(before, Buffer.from(reference))).toBe(0);
  });

  it("refuses a document without a free signature box", async () => {
    await expect(signPdf(signed.ref2, { signer: await pki.signerFor(PEOPLE[2]), tsa: pki.tsa, signatory: PEOPLE[2] })).rejects.toBeInstanceOf(SigningError);
  });
});
