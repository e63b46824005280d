// Verifier trust decisions on the portal's signed reference convention: forged RFC 3161 tokens
// (issue 9, class 3), PAdES levels claimed from validation data that does not relate to the
// signature (class 5), and unreadable trust material. Fixtures are made here by code: an
// attacker's key and certificates made with openssl, tokens from BuiltinTsa with a chosen clock.
import { execFileSync } from "node:child_process";
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PDFDocument, PDFName, type PDFRef } from "@cantoo/pdf-lib";
import forge from "node-forge";
import { openPki, pemToDers, buildCrl, type Pki } from "../pki/pki";
import { signPdf, LOAD_OPTIONS, untracked } from "../signing/sign";
import { completeDocument } from "../signing/complete";
import { verifyPdf, formatReportFr, type VerificationReport } from "./verify";
import { BuiltinTsa } from "../pki/timestamp";
import { children, integer, read, seq, tlv, whole } from "../pki/der";
import { parseSignedData } from "../pki/cms";
import { makeSignablePdf } from "../test-support/fixture";
import { extractSignatures, replaceTimestamp, tmpDir, writeGap } from "../test-support/tools";

const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Secrétaire générale adjointe", organisation: "Ministère de la Justice", email: "af.canton@justice.gouv.fr" },
  { name: "Stéphanie Schaer", function: "Directrice interministérielle du numérique", organisation: "DINUM", email: "stephanie.schaer@modernisation.gouv.fr" },
];
const DAY = 86_400_000;

interface KeyAndCert {
  key: KeyObject;
  der: Uint8Array;
}

let dir: string;
let pki: Pki;
let trust: string;
let portalTsa: KeyAndCert; // the genuine portal TSA (key read from the PKI directory)
let portalCa: KeyAndCert;
let attacker: KeyAndCert; // self-made certificate named like the portal TSA, critical EKU timeStamping
let reference: Uint8Array;
let bt: Uint8Array; // two B-T signatures
let lta: Uint8Array; // completed by the portal: DSS + document timestamp

async function loadReference(): Promise<Uint8Array> {
  try {
    const { renderConventionFromInput } = await import("../rendering/convention");
    const data = JSON.parse(fs.readFileSync(path.resolve("templates/examples/convention-justice-dinum-2022.json"), "utf8"));
    return (await renderConventionFromInput(data)).pdf;
  } catch {
    return (await makeSignablePdf({ pages: 5, signatures: 2 })).pdf;
  }
}

const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });

function readPair(keyFile: string, certFile: string): KeyAndCert {
  return { key: createPrivateKey(fs.readFileSync(keyFile)), der: pemToDers(fs.readFileSync(certFile, "utf8"))[0] };
}

/** A self-signed certificate (a CA when `ca`), made with openssl. */
function selfSigned(name: string, subject: string, extensions: string[]): KeyAndCert {
  const key = path.join(dir, `${name}.key.pem`);
  const cert = path.join(dir, `${name}.cert.pem`);
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-subj", subject, "-days", "3650", ...extensions.flatMap((e) => ["-addext", e])]);
  return readPair(key, cert);
}

/** A certificate issued by the portal's CA with the given extensions, made with openssl. */
function issuedByPortalCa(name: string, subject: string, extensions: string): KeyAndCert {
  const key = path.join(dir, `${name}.key.pem`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.cert.pem`);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, extensions);
  openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", subject]);
  const pkiDir = pki.config.pkiDir;
  openssl(["x509", "-req", "-in", csr, "-CA", path.join(pkiDir, "ca.cert.pem"), "-CAkey", path.join(pkiDir, "ca.key.pem"), "-set_serial", "4242", "-days", "365", "-extfile", ext, "-out", cert]);
  return readPair(key, cert);
}

/** The token with its certificates field replaced by `certs`, in this order (signature untouched). */
function withCertificates(token: Uint8Array, certs: Uint8Array[]): Uint8Array {
  const [ct, content] = children(read(token));
  const parts = children(children(content)[0]).map((n) => (n.tag === 0xa0 ? tlv(0xa0, ...certs) : whole(n)));
  return seq(whole(ct), tlv(0xa0, seq(...parts)));
}

/** The token with its SignerInfo naming the signer by subjectKeyIdentifier (CMS version 3) instead of issuer and serial. */
function withKeyIdentifierSid(token: Uint8Array, signerDer: Uint8Array): Uint8Array {
  const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(signerDer).toString("binary")));
  const ext = cert.getExtension("subjectKeyIdentifier") as { subjectKeyIdentifier: string };
  const ski = new Uint8Array(Buffer.from(ext.subjectKeyIdentifier, "hex"));
  const [ct, content] = children(read(token));
  const parts = children(children(content)[0]);
  const [, , ...rest] = children(children(parts.at(-1)!)[0]);
  const signerInfo = seq(integer(3), tlv(0x80, ski), ...rest.map(whole));
  return seq(whole(ct), tlv(0xa0, seq(...parts.slice(0, -1).map(whole), tlv(0x31, signerInfo))));
}

/** The attack: a token signed by the attacker's key, listing the genuine portal TSA certificate first. */
async function forgedToken(imprint: Uint8Array, genTime: Date): Promise<Uint8Array> {
  const tsa = new BuiltinTsa({ privateKey: attacker.key, certificates: [attacker.der] }, () => genTime);
  return withCertificates(await tsa.issue(imprint), [portalTsa.der, attacker.der]);
}

/** Replaces the signature timestamp of signature n° `index` (0-based) of `pdf`. */
async function withSignatureToken(pdf: Uint8Array, index: number, make: (imprint: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
  const e = extractSignatures(pdf)[index];
  const token = await make(new Uint8Array(Buffer.from(e.signatureImprint!, "hex")));
  return writeGap(pdf, e.byteRange, replaceTimestamp(e.der, token));
}

/** Appends a DSS revision (as completion does) holding these certificates and CRLs. */
async function withDss(pdf: Uint8Array, certs: Uint8Array[], crls: Uint8Array[]): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, LOAD_OPTIONS);
  const ctx = doc.context;
  const refs = (items: Uint8Array[]): PDFRef[] => items.map((d) => ctx.register(ctx.flateStream(d)));
  const dss = await untracked(doc, () => ctx.obj({ Certs: refs(certs), CRLs: refs(crls) }));
  doc.catalog.set(PDFName.of("DSS"), dss);
  const out = await doc.commit({ useObjectStreams: false });
  expect(Buffer.compare(Buffer.from(out.subarray(0, pdf.length)), Buffer.from(pdf))).toBe(0);
  return out;
}

const levels = (r: VerificationReport) => r.signatures.filter((s) => s.kind === "signature").map((s) => s.level);
const failed = (r: VerificationReport) => [...r.documentChecks, ...r.signatures.flatMap((s) => s.checks)].filter((c) => !c.ok);

beforeAll(async () => {
  dir = tmpDir("paraphe-ts-");
  pki = await openPki({ dataDir: path.join(dir, "data"), env: {} as NodeJS.ProcessEnv });
  trust = pki.trustPem();
  const pkiDir = pki.config.pkiDir;
  portalTsa = readPair(path.join(pkiDir, "tsa.key.pem"), path.join(pkiDir, "tsa.cert.pem"));
  portalCa = readPair(path.join(pkiDir, "ca.key.pem"), path.join(pkiDir, "ca.cert.pem"));
  attacker = selfSigned("attacker", "/CN=Paraphe - horodatage du portail/O=Paraphe", [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=critical,timeStamping",
  ]);
  reference = await loadReference();
  let pdf = reference;
  for (const p of PEOPLE) pdf = (await signPdf(pdf, { signer: await pki.signerFor(p), tsa: pki.tsa, signatory: p, contentsSize: 16384 })).pdf;
  bt = pdf;
  lta = await completeDocument(bt, { tsa: pki.tsa, validationData: pki.validationData() });
});

describe("forged timestamp tokens", () => {
  it("the untouched documents verify, B-T and B-LTA (control)", async () => {
    const r = await verifyPdf(bt, { trusted: [trust] });
    expect(r.ok, formatReportFr(r)).toBe(true);
    expect(levels(r)).toEqual(["B-T", "B-T"]);
    const l = await verifyPdf(lta, { trusted: [trust] });
    expect(l.ok, formatReportFr(l)).toBe(true);
    expect(levels(l)).toEqual(["B-LTA", "B-LTA"]);
  });

  it("a signature timestamp signed by the attacker's key, listing the portal TSA certificate first → INVALID, its time never shown as trusted", async () => {
    const genTime = new Date("2029-06-01T10:00:00Z");
    const forged = await withSignatureToken(bt, 1, (imprint) => forgedToken(imprint, genTime));
    // Whether the verification time is before the forged date or after it, the token is refused:
    // its signer (sid) is the attacker's certificate, which no anchor vouches for.
    for (const now of [undefined, new Date("2029-06-02T10:00:00Z")]) {
      const r = await verifyPdf(forged, { trusted: [trust], now });
      const s = r.signatures[1];
      expect(r.ok).toBe(false);
      expect(s.timestampOk).toBe(false);
      expect(s.digestOk).toBe(true); // only the token was replaced
      expect(s.checks.find((c) => c.id === "timestamp")?.ok).toBe(false);
      expect(s.timestampTime).toBeUndefined();
      expect(s.timestampAuthority).toBeUndefined();
      expect(s.level).toBe("B-B");
      const text = formatReportFr(r);
      expect(text).toContain("RÉSULTAT : INVALIDE");
      expect(text).not.toMatch(/1 juin 2029/);
      expect(text).not.toContain("horodatage du portail)");
    }
  });

  it("the signer's chain is judged at the token's time only when the token is trusted, otherwise at the verification time", async () => {
    const signerCert = new X509Certificate(parseSignedData(extractSignatures(bt)[1].der).certificates[0]); // the portal puts the signer first
    const expiry = new Date(signerCert.validTo).getTime();
    const afterExpiry = new Date(expiry + DAY);
    // Genuine token from before the expiry: the signature stays valid after it (long-term validity).
    const genuine = await verifyPdf(bt, { trusted: [trust], now: afterExpiry });
    expect(genuine.ok, formatReportFr(genuine)).toBe(true);
    // A forged token claiming a time inside the validity period must not stand in for it.
    const forged = await withSignatureToken(bt, 1, (imprint) => forgedToken(imprint, new Date(expiry - 30 * DAY)));
    const r = await verifyPdf(forged, { trusted: [trust], now: afterExpiry });
    expect(r.ok).toBe(false);
    const chain = r.signatures[1].checks.find((c) => c.id === "chain");
    expect(chain?.ok).toBe(false);
    expect(chain?.detail).toMatch(/hors de sa période de validité/);
  });

  it("a document timestamp (B-LTA) replaced by a forged token → INVALID", async () => {
    const e = extractSignatures(lta).at(-1)!;
    expect(e.docTimestamp).toBe(true);
    const imprint = new Uint8Array((await import("node:crypto")).createHash("sha256").update(e.signedBytes).digest());
    const forged = writeGap(lta, e.byteRange, await forgedToken(imprint, new Date("2029-06-01T10:00:00Z")));
    for (const now of [undefined, new Date("2029-06-02T10:00:00Z")]) {
      const r = await verifyPdf(forged, { trusted: [trust], now });
      const ts = r.signatures.at(-1)!;
      expect(ts.kind).toBe("document-timestamp");
      expect(r.ok).toBe(false);
      expect(ts.valid).toBe(false);
      expect(ts.trusted).toBe(false);
      expect(ts.checks.find((c) => c.id === "doc-timestamp")?.ok).toBe(false);
      expect(ts.timestampTime).toBeUndefined();
      expect(formatReportFr(r)).not.toMatch(/1 juin 2029/);
      expect(levels(r)).not.toContain("B-LTA");
    }
  });

  it("a signer named by subjectKeyIdentifier: the portal TSA's token verifies, the attacker's is refused", async () => {
    const genuine = await withSignatureToken(bt, 1, async (imprint) => withKeyIdentifierSid(await pki.builtinTsa.issue(imprint), portalTsa.der));
    const r = await verifyPdf(genuine, { trusted: [trust] });
    expect(r.ok, formatReportFr(r)).toBe(true);
    expect(r.signatures[1].timestampOk).toBe(true);
    const forged = await withSignatureToken(bt, 1, async (imprint) =>
      withKeyIdentifierSid(await forgedToken(imprint, new Date(Date.now() - DAY)), attacker.der),
    );
    const f = await verifyPdf(forged, { trusted: [trust] });
    expect(f.ok).toBe(false);
    expect(f.signatures[1].timestampOk).toBe(false);
    expect(f.signatures[1].timestampTime).toBeUndefined();
  });

  it("a token from the portal TSA's own key dated in the future → refused (beyond 5 minutes of tolerance)", async () => {
    const now = new Date();
    const future = new Date(now.getTime() + 365 * DAY); // within every certificate's validity
    const tsa = new BuiltinTsa({ privateKey: portalTsa.key, certificates: [portalTsa.der] }, () => future);
    const pdf = (await signPdf(reference, { signer: await pki.signerFor(PEOPLE[0]), tsa, signatory: PEOPLE[0] })).pdf;
    const r = await verifyPdf(pdf, { trusted: [trust], now });
    const s = r.signatures[0];
    expect(r.ok).toBe(false);
    expect(s.timestampOk).toBe(false);
    expect(s.checks.find((c) => c.id === "timestamp")?.detail).toMatch(/postérieure à l'heure de vérification/);
    expect(s.timestampTime).toBeUndefined();
    // The same token is accepted once the verification time has reached it (minus the tolerance).
    const later = await verifyPdf(pdf, { trusted: [trust], now: new Date(future.getTime() - 60_000) });
    expect(later.ok, formatReportFr(later)).toBe(true);
    expect(later.signatures[0].timestampTime).toBe(future.toISOString());
  });

  it("a token signed by a certificate of the portal CA without the critical timeStamping usage → refused", async () => {
    const weak = issuedByPortalCa("weak-tsa", "/CN=Horodateur sans EKU critique/O=Paraphe", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=timeStamping\n");
    const tsa = new BuiltinTsa({ privateKey: weak.key, certificates: [weak.der] });
    const pdf = await withSignatureToken(bt, 1, (imprint) => tsa.issue(imprint));
    const r = await verifyPdf(pdf, { trusted: [trust] });
    const s = r.signatures[1];
    expect(r.ok).toBe(false);
    expect(s.timestampOk).toBe(false);
    expect(s.checks.find((c) => c.id === "timestamp")?.detail).toMatch(/timeStamping critique/);
  });
});

describe("PAdES level from the DSS", () => {
  let other: KeyAndCert; // an unrelated CA

  beforeAll(() => {
    other = selfSigned("other-ca", "/CN=Autre autorite sans rapport/O=Ailleurs", [
      "basicConstraints=critical,CA:TRUE",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
  });

  it("an unrelated CA certificate and its valid CRL in the DSS → the signatures stay B-T", async () => {
    const pdf = await withDss(bt, [other.der], [buildCrl(other.der, other.key)]);
    const r = await verifyPdf(pdf, { trusted: [trust] });
    expect(r.ok, formatReportFr(r)).toBe(true); // a DSS after the last signature is allowed
    expect(levels(r)).toEqual(["B-T", "B-T"]);
  });

  it("the portal's chain with the unrelated CA's CRL → B-T; with the portal CA's own CRL → B-LT", async () => {
    const chain = [portalCa.der, portalTsa.der];
    const wrongCrl = await withDss(bt, chain, [buildCrl(other.der, other.key)]);
    expect(levels(await verifyPdf(wrongCrl, { trusted: [trust] }))).toEqual(["B-T", "B-T"]);
    const right = await withDss(bt, chain, [buildCrl(portalCa.der, portalCa.key)]);
    const r = await verifyPdf(right, { trusted: [trust] });
    expect(r.ok, formatReportFr(r)).toBe(true);
    expect(levels(r)).toEqual(["B-LT", "B-LT"]);
  });

  it("a CRL naming the portal CA but signed by another key, or one that expired before the signing → B-T", async () => {
    const chain = [portalCa.der, portalTsa.der];
    const forgedCrl = buildCrl(portalCa.der, other.key); // issuer name of the portal CA, wrong key
    expect(levels(await verifyPdf(await withDss(bt, chain, [forgedCrl]), { trusted: [trust] }))).toEqual(["B-T", "B-T"]);
    const stale = buildCrl(portalCa.der, portalCa.key, 7, new Date(Date.now() - 30 * DAY)); // expired before signing
    expect(levels(await verifyPdf(await withDss(bt, chain, [stale]), { trusted: [trust] }))).toEqual(["B-T", "B-T"]);
  });

  it("a malformed CRL in the DSS → a failed check with a French detail", async () => {
    const good = buildCrl(portalCa.der, portalCa.key);
    for (const bad of [good.subarray(0, good.length - 10), Buffer.from("3003020100", "hex"), Buffer.from("pas une CRL")]) {
      const pdf = await withDss(bt, [portalCa.der], [good, new Uint8Array(bad)]);
      const r = await verifyPdf(pdf, { trusted: [trust] });
      expect(r.ok).toBe(false);
      const c = r.documentChecks.find((x) => x.id === "dss");
      expect(c?.ok).toBe(false);
      expect(c?.detail).toMatch(/CRL n° 2 du DSS : liste de révocation \(CRL\) illisible/);
    }
  });

  it("an unreadable certificate among a signature's certificates → a failed check, not skipped", async () => {
    const e = extractSignatures(bt)[1];
    const garbage = seq(integer(1), integer(2)); // a SEQUENCE, not a certificate
    const pdf = writeGap(bt, e.byteRange, withCertificates(e.der, [...parseSignedData(e.der).certificates, garbage]));
    const r = await verifyPdf(pdf, { trusted: [trust] });
    expect(r.ok).toBe(false);
    const c = r.signatures[1].checks.find((x) => x.id === "certificates");
    expect(c?.ok).toBe(false);
    expect(c?.detail).toMatch(/certificat de la signature n° \d+ illisible/);
    expect(r.signatures[1].signatureOk).toBe(true); // the signature itself is intact
  });

  it("an unreadable trust anchor → a failed check, not silently ignored", async () => {
    const garbage = ["-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", "pas de PEM ici", new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])];
    for (const bad of garbage) {
      const r = await verifyPdf(bt, { trusted: [trust, bad] });
      expect(r.ok).toBe(false);
      const c = r.documentChecks.find((x) => x.id === "trust-anchors");
      expect(c?.ok).toBe(false);
      expect(c?.detail).toMatch(/certificat de confiance n° 2/);
      expect(failed(r).map((x) => x.id)).toEqual(["trust-anchors"]);
    }
  });
});
