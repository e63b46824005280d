// Helpers running tools the project did not write (qpdf, poppler's pdfsig through NSS,
// openssl) on signed PDFs, plus byte-level helpers for attack tests.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { children, read, seq, tlv, whole } from "../pki/der";
import { attribute, OID, parseSignedData, attr } from "../pki/cms";

export interface ExtractedSignature {
  byteRange: number[];
  signedBytes: Buffer;
  der: Buffer; // CMS without the zero padding
  docTimestamp: boolean;
  /** signatureTimeStampToken of a CAdES signature, if any. */
  token?: Buffer;
  /** SHA-256 hex of the signature value (the token's expected imprint). */
  signatureImprint?: string;
}

export function extractSignatures(pdf: Uint8Array): ExtractedSignature[] {
  const buf = Buffer.from(pdf);
  const s = buf.toString("latin1");
  const out: ExtractedSignature[] = [];
  for (const m of s.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const br = m.slice(1, 5).map(Number);
    const gap = s.slice(br[1] + 1, br[2] - 1);
    const raw = Buffer.from(gap, "hex");
    const n = read(raw);
    const der = raw.subarray(0, n.end);
    const sd = parseSignedData(der);
    const objStart = s.lastIndexOf(" obj", m.index);
    const docTimestamp = /\/ETSI\.RFC3161/.test(s.slice(objStart, br[1]));
    const e: ExtractedSignature = {
      byteRange: br,
      signedBytes: Buffer.concat([buf.subarray(0, br[1]), buf.subarray(br[2], br[2] + br[3])]),
      der,
      docTimestamp,
    };
    const si = sd.signerInfos[0];
    const tok = si && attr(si.unsignedAttrs, OID.signatureTimeStampToken);
    if (tok) {
      e.token = Buffer.from(whole(tok.values[0]));
      e.signatureImprint = createHash("sha256").update(si.signature).digest("hex");
    }
    out.push(e);
  }
  return out;
}

export function tmpDir(prefix = "paraphe-sig-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function run(cmd: string, args: string[]): { code: number; out: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return { code: r.status ?? -1, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/** An NSS database trusting every certificate of `trustPem`. */
export function nssDb(dir: string, trustPem: string): string {
  const db = path.join(dir, "nss");
  fs.mkdirSync(db, { recursive: true });
  execFileSync("certutil", ["-N", "-d", `sql:${db}`, "--empty-password"]);
  const pems = trustPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  pems.forEach((pem, i) => {
    const f = path.join(dir, `trust-${i}.pem`);
    fs.writeFileSync(f, `${pem}\n`);
    execFileSync("certutil", ["-A", "-n", `trust-${i}`, "-t", "CT,C,C", "-i", f, "-d", `sql:${db}`]);
  });
  return `sql:${db}`;
}

export interface PdfsigResult {
  valid: boolean;
  trusted: boolean;
}

export function pdfsig(file: string, nss: string): PdfsigResult[] {
  const { out } = run("pdfsig", ["-nssdir", nss, file]);
  return out
    .split(/\nSignature #\d+:/)
    .slice(1)
    .map((b) => ({ valid: b.includes("Signature is Valid"), trusted: b.includes("Certificate is Trusted") }));
}

export function qpdfCheck(file: string): boolean {
  const r = run("qpdf", ["--check", file]);
  return r.code === 0 && r.out.includes("No syntax or stream encoding errors");
}

/** openssl cms -verify and openssl ts -verify on every signature of `pdf`. */
export function opensslChecks(pdf: Uint8Array, dir: string, caFile: string): { cms: boolean[]; ts: boolean[] } {
  const res = { cms: [] as boolean[], ts: [] as boolean[] };
  extractSignatures(pdf).forEach((e, i) => {
    const content = path.join(dir, `sig${i}.bin`);
    const der = path.join(dir, `sig${i}.der`);
    fs.writeFileSync(content, e.signedBytes);
    fs.writeFileSync(der, e.der);
    if (e.docTimestamp) {
      const r = run("openssl", ["ts", "-verify", "-data", content, "-in", der, "-token_in", "-CAfile", caFile]);
      res.ts.push(r.out.includes("Verification: OK"));
      return;
    }
    const r = run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", der, "-content", content, "-CAfile", caFile, "-out", "/dev/null"]);
    res.cms.push(r.code === 0 && r.out.includes("Verification successful"));
    if (e.token) {
      const tok = path.join(dir, `sig${i}.tst`);
      fs.writeFileSync(tok, e.token);
      const t = run("openssl", ["ts", "-verify", "-digest", e.signatureImprint!, "-in", tok, "-token_in", "-CAfile", caFile]);
      res.ts.push(t.out.includes("Verification: OK"));
    } else res.ts.push(false);
  });
  return res;
}

/** Rebuilds a CAdES CMS with another signature timestamp token (attack helper). */
export function replaceTimestamp(cms: Uint8Array, token: Uint8Array): Uint8Array {
  const ci = read(cms);
  const [ct, content] = children(ci);
  const sdNode = children(content)[0];
  const sdParts = children(sdNode);
  const infos = sdParts[sdParts.length - 1];
  const si = children(infos)[0];
  const siParts = children(si).filter((n) => n.tag !== 0xa1).map(whole);
  const newSi = seq(...siParts, tlv(0xa1, attribute(OID.signatureTimeStampToken, token)));
  const newSd = seq(...sdParts.slice(0, -1).map(whole), tlv(0x31, newSi));
  return seq(whole(ct), tlv(0xa0, newSd));
}

/** Writes `der` into the /Contents gap of the signature with this ByteRange. */
export function writeGap(pdf: Uint8Array, br: number[], der: Uint8Array): Uint8Array {
  const out = Buffer.from(pdf);
  const room = (br[2] - br[1] - 2) / 2;
  if (der.length > room) throw new Error("too big");
  const hex = Buffer.from(der).toString("hex").padEnd(room * 2, "0");
  out.write(hex, br[1] + 1, "latin1");
  return new Uint8Array(out);
}
