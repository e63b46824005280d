// Trust decisions of the verifier: certificate chains to the configured anchors, CRLs, and
// RFC 3161 timestamp tokens.
import { verify as cryptoVerify, X509Certificate } from "node:crypto";
import { type Bytes, children, equalBytes, expectTag, read, readInteger, readTime, value, whole } from "./der";
import { x509, OID, type ParsedSignedData } from "./cms";
import { checkTimestampToken } from "./timestamp";
import { pemToDers } from "./pki";


export function toCerts(list: (Uint8Array | string)[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const item of list) {
    const ders = typeof item === "string" ? pemToDers(item) : [item];
    for (const d of ders) {
      try {
        out.push(x509(d));
      } catch {
        /* skip unreadable */
      }
    }
  }
  return out;
}

export function subjectField(cert: X509Certificate, key: string): string | undefined {
  for (const line of cert.subject.split("\n")) {
    const i = line.indexOf("=");
    if (line.slice(0, i) === key) return line.slice(i + 1);
  }
  return undefined;
}

export interface Crl {
  issuer: Bytes;
  tbs: Bytes;
  signature: Bytes;
  nextUpdate?: Date;
  revoked: Set<bigint>;
}

export function parseCrl(der: Bytes): Crl | undefined {
  try {
    const [tbsN, , sigN] = children(read(der));
    const f = children(tbsN);
    let i = f[0].tag === 0x02 ? 1 : 0;
    i++; // signature algorithm
    const issuer = whole(f[i++]);
    i++; // thisUpdate
    let nextUpdate: Date | undefined;
    if (f[i] && (f[i].tag === 0x17 || f[i].tag === 0x18)) nextUpdate = readTime(f[i++]);
    const revoked = new Set<bigint>();
    if (f[i] && f[i].tag === 0x30) for (const r of children(f[i])) revoked.add(readInteger(children(r)[0]));
    const sig = value(expectTag(sigN, 0x03, "BIT STRING")).subarray(1);
    return { issuer, tbs: whole(tbsN), signature: sig, nextUpdate, revoked };
  } catch {
    return undefined;
  }
}

function certIssuerDer(cert: X509Certificate): Bytes {
  const f = children(children(read(new Uint8Array(cert.raw)))[0]);
  const i = f[0].tag === 0xa0 ? 1 : 0;
  return whole(f[i + 2]);
}

export interface ChainResult {
  ok: boolean;
  errors: string[];
  path: X509Certificate[];
}

/** Builds and checks a path from `leaf` to a trusted certificate, valid at `at`. */
export function validateChain(
  leaf: X509Certificate,
  pool: X509Certificate[],
  anchors: X509Certificate[],
  at: Date,
  crls: Crl[],
): ChainResult {
  const errors: string[] = [];
  const path = [leaf];
  let cur = leaf;
  const validAt = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
  for (let depth = 0; depth < 8; depth++) {
    if (!validAt(cur)) errors.push(`certificat hors de sa période de validité: ${subjectField(cur, "CN") ?? cur.subject}`);
    const issuerDer = certIssuerDer(cur);
    for (const crl of crls) {
      if (!equalBytes(crl.issuer, issuerDer)) continue;
      const issuer = [...anchors, ...pool].find((c) => cur.checkIssued(c) && cur.verify(c.publicKey));
      if (!issuer) continue;
      let crlOk = false;
      try {
        crlOk = createHashVerify(crl, issuer);
      } catch {
        crlOk = false;
      }
      if (crlOk && crl.revoked.has(BigInt(`0x${cur.serialNumber}`)))
        errors.push(`certificat révoqué: ${subjectField(cur, "CN") ?? cur.subject}`);
    }
    if (anchors.some((a) => a.raw.equals(cur.raw))) return { ok: errors.length === 0, errors, path };
    const next = [...anchors, ...pool].find(
      (c) => !c.raw.equals(cur.raw) && c.ca && cur.checkIssued(c) && cur.verify(c.publicKey),
    );
    if (!next) {
      errors.push("la chaîne de certification n'aboutit pas à un certificat de confiance");
      return { ok: false, errors, path };
    }
    path.push(next);
    cur = next;
  }
  errors.push("chaîne de certification trop longue");
  return { ok: false, errors, path };
}

function createHashVerify(crl: Crl, issuer: X509Certificate): boolean {
  // CRLs here are sha256WithRSA or ECDSA-SHA256; node:crypto picks the scheme from the key.
  return cryptoVerify("sha256", crl.tbs, issuer.publicKey, crl.signature);
}

// ------------------------------------------------------------------ timestamps

export interface TimestampResult {
  ok: boolean;
  time?: Date;
  authority?: string;
  errors: string[];
}

export function verifyToken(
  token: Uint8Array,
  imprint: Uint8Array,
  pool: X509Certificate[],
  anchors: X509Certificate[],
  crls: Crl[],
): TimestampResult {
  const tc = checkTimestampToken(token, imprint);
  if (!tc.ok || !tc.signed || !tc.tstInfo) return { ok: false, errors: tc.errors, time: tc.tstInfo?.genTime };
  const sd = tc.signed as ParsedSignedData;
  const cert = toCerts(sd.certificates).find((c) => (c.keyUsage ?? []).includes(OID.timeStamping));
  if (!cert) return { ok: false, errors: ["certificat de l'horodateur absent"], time: tc.tstInfo.genTime };
  const chain = validateChain(cert, [...pool, ...toCerts(sd.certificates)], anchors, tc.tstInfo.genTime, crls);
  return {
    ok: chain.ok,
    time: tc.tstInfo.genTime,
    authority: subjectField(cert, "CN"),
    errors: chain.errors.map((e) => `horodatage: ${e}`),
  };
}
