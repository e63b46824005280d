// Trust decisions of the verifier: certificate chains to the configured anchors, CRLs, RFC 3161
// timestamp tokens, and whether a DSS holds validation data for a given chain (PAdES B-LT/B-LTA).
// Nothing unreadable is skipped: an unreadable certificate or CRL is an error the caller reports.
import { verify as cryptoVerify, type X509Certificate } from "node:crypto";
import { type Bytes, children, equalBytes, expectTag, read, readInteger, readOid, readTime, value, whole } from "./der";
import { x509 } from "./cms";
import { checkTimestampToken } from "./timestamp";
import { pemToDers } from "./pki";

/** Clock skew accepted between a timestamp authority (or a CRL issuer) and the verifier. */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function subjectField(cert: X509Certificate, key: string): string | undefined {
  for (const line of cert.subject.split("\n")) {
    const i = line.indexOf("=");
    if (line.slice(0, i) === key) return line.slice(i + 1);
  }
  return undefined;
}

const nameOf = (c: X509Certificate) => subjectField(c, "CN") ?? c.subject.replace(/\n/g, ", ");

// ------------------------------------------------------------------ certificates

export interface CertList {
  certs: X509Certificate[];
  errors: string[];
}

/** Reads DER or PEM certificates; each unreadable one is an error (in French), never skipped. */
export function toCerts(list: (Uint8Array | string)[], what = "certificat"): CertList {
  const out: CertList = { certs: [], errors: [] };
  list.forEach((item, i) => {
    const ders = typeof item === "string" ? pemToDers(item) : [item];
    if (ders.length === 0) out.errors.push(`${what} n° ${i + 1} : aucun certificat PEM trouvé`);
    for (const d of ders) {
      try {
        out.certs.push(x509(d));
      } catch (e) {
        out.errors.push(`${what} n° ${i + 1} illisible (${message(e)})`);
      }
    }
  });
  return out;
}

function certIssuerDer(cert: X509Certificate): Bytes {
  const f = children(children(read(new Uint8Array(cert.raw)))[0]);
  const i = f[0].tag === 0xa0 ? 1 : 0;
  return whole(f[i + 2]);
}

const serialOf = (c: X509Certificate) => BigInt(`0x${c.serialNumber}`);

// ------------------------------------------------------------------ CRLs

export interface Crl {
  issuer: Bytes; // DER Name
  tbs: Bytes;
  signatureAlgorithm: string;
  signature: Bytes;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: Set<bigint>;
}

// Signature algorithms of CRLs: digest and key type node:crypto must use.
const CRL_ALGORITHMS: Record<string, { hash: string; key: string }> = {
  "1.2.840.113549.1.1.11": { hash: "sha256", key: "rsa" },
  "1.2.840.113549.1.1.12": { hash: "sha384", key: "rsa" },
  "1.2.840.113549.1.1.13": { hash: "sha512", key: "rsa" },
  "1.2.840.10045.4.3.2": { hash: "sha256", key: "ec" },
  "1.2.840.10045.4.3.3": { hash: "sha384", key: "ec" },
  "1.2.840.10045.4.3.4": { hash: "sha512", key: "ec" },
};

const isTime = (tag: number | undefined) => tag === 0x17 || tag === 0x18;

/** Parses a DER CRL (RFC 5280 §5.1); throws a French error when it is not one. */
export function parseCrl(der: Bytes): Crl {
  try {
    const outer = expectTag(read(der), 0x30, "CertificateList");
    if (outer.end !== der.length) throw new Error("octets en trop après la CRL");
    const [tbsN, algN, sigN, ...extra] = children(outer);
    if (extra.length) throw new Error("éléments en trop");
    const f = children(expectTag(tbsN, 0x30, "TBSCertList"));
    let i = f[0]?.tag === 0x02 ? 1 : 0;
    const innerAlg = expectTag(f[i++], 0x30, "signature");
    if (!equalBytes(whole(innerAlg), whole(expectTag(algN, 0x30, "signatureAlgorithm"))))
      throw new Error("algorithmes de signature incohérents");
    const issuer = whole(expectTag(f[i++], 0x30, "issuer"));
    if (!isTime(f[i]?.tag)) throw new Error("thisUpdate absent");
    const thisUpdate = readTime(f[i++]);
    let nextUpdate: Date | undefined;
    if (isTime(f[i]?.tag)) nextUpdate = readTime(f[i++]);
    const revoked = new Set<bigint>();
    if (f[i]?.tag === 0x30) for (const r of children(f[i++])) revoked.add(readInteger(children(expectTag(r, 0x30, "revokedCertificate"))[0]));
    if (f[i]?.tag === 0xa0) i++; // crlExtensions
    if (i !== f.length) throw new Error("champ inattendu dans la CRL");
    const bits = value(expectTag(sigN, 0x03, "signatureValue"));
    if (bits[0] !== 0) throw new Error("signature mal encodée");
    return {
      issuer,
      tbs: whole(tbsN),
      signatureAlgorithm: readOid(children(innerAlg)[0]),
      signature: bits.subarray(1),
      thisUpdate,
      nextUpdate,
      revoked,
    };
  } catch (e) {
    throw new Error(`liste de révocation (CRL) illisible : ${message(e)}`);
  }
}

/** The CRL is signed by `issuer` (its name and its key). */
export function crlSignedBy(crl: Crl, issuer: X509Certificate): boolean {
  const alg = CRL_ALGORITHMS[crl.signatureAlgorithm];
  if (!alg || issuer.publicKey.asymmetricKeyType !== alg.key) return false;
  if (!equalBytes(crl.issuer, subjectDer(issuer))) return false;
  try {
    return cryptoVerify(alg.hash, crl.tbs, issuer.publicKey, crl.signature);
  } catch {
    return false;
  }
}

function subjectDer(cert: X509Certificate): Bytes {
  const f = children(children(read(new Uint8Array(cert.raw)))[0]);
  const i = f[0].tag === 0xa0 ? 1 : 0;
  return whole(f[i + 4]);
}

// ------------------------------------------------------------------ chains

export interface ChainResult {
  ok: boolean;
  errors: string[];
  /** Leaf first; ends with the trust anchor when ok. */
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
    if (!validAt(cur)) errors.push(`certificat hors de sa période de validité: ${nameOf(cur)}`);
    if (anchors.some((a) => a.raw.equals(cur.raw))) return { ok: errors.length === 0, errors, path };
    const next = [...anchors, ...pool].find(
      (c) => !c.raw.equals(cur.raw) && c.ca && cur.checkIssued(c) && cur.verify(c.publicKey),
    );
    if (!next) {
      errors.push("la chaîne de certification n'aboutit pas à un certificat de confiance");
      return { ok: false, errors, path };
    }
    // Revocation: only CRLs really signed by this issuer count.
    const serial = serialOf(cur);
    if (crls.some((crl) => crl.revoked.has(serial) && crlSignedBy(crl, next)))
      errors.push(`certificat révoqué: ${nameOf(cur)}`);
    path.push(next);
    cur = next;
  }
  errors.push("chaîne de certification trop longue");
  return { ok: false, errors, path };
}

// ------------------------------------------------------------------ timestamps

export interface TimestampResult {
  /** The token is intact, signed by its sid certificate, trusted, and not from the future. */
  ok: boolean;
  imprintOk: boolean;
  signatureOk: boolean;
  /** Only when ok: an untrusted token's time and name are the forger's words. */
  time?: Date;
  authority?: string;
  errors: string[];
}

/**
 * Verifies an RFC 3161 token: its CMS signature with the certificate its SignerInfo names (not
 * the first certificate it carries), that certificate's critical timeStamping usage, its chain to
 * an anchor at genTime, and a genTime no later than `now` plus the clock tolerance.
 */
export function verifyToken(
  token: Uint8Array,
  imprint: Uint8Array,
  pool: X509Certificate[],
  anchors: X509Certificate[],
  crls: Crl[],
  now: Date,
): TimestampResult {
  const tc = checkTimestampToken(token, imprint);
  const res: TimestampResult = { ok: false, imprintOk: tc.imprintOk, signatureOk: tc.signatureOk, errors: [...tc.errors] };
  if (!tc.signed || !tc.tstInfo || !tc.certificate) {
    if (res.errors.length === 0) res.errors.push("horodatage: certificat signataire du jeton absent");
    return res;
  }
  const own = toCerts(tc.signed.certificates, "certificat du jeton d'horodatage");
  res.errors.push(...own.errors);
  const genTime = tc.tstInfo.genTime;
  const future = genTime.getTime() > now.getTime() + CLOCK_TOLERANCE_MS;
  if (future)
    res.errors.push(`horodatage: date du jeton (${genTime.toISOString()}) postérieure à l'heure de vérification, jeton refusé`);
  const chain = validateChain(tc.certificate, [...own.certs, ...pool], anchors, future ? now : genTime, crls);
  res.errors.push(...chain.errors.map((e) => `horodatage: ${e}`));
  res.ok = tc.ok && res.errors.length === 0 && chain.ok;
  if (res.ok) {
    res.time = genTime;
    res.authority = subjectField(tc.certificate, "CN");
  }
  return res;
}

// ------------------------------------------------------------------ validation data (DSS)

export interface ValidationData {
  certs: X509Certificate[];
  crls: Crl[];
  errors: string[];
}

/** The DSS's certificates and CRLs; each unreadable entry is an error. */
export function readValidationData(dss: { certs: Uint8Array[]; crls: Uint8Array[] } | undefined): ValidationData {
  const certs = toCerts(dss?.certs ?? [], "certificat du DSS");
  const out: ValidationData = { certs: certs.certs, crls: [], errors: certs.errors };
  (dss?.crls ?? []).forEach((der, i) => {
    try {
      out.crls.push(parseCrl(der));
    } catch (e) {
      out.errors.push(`CRL n° ${i + 1} du DSS : ${message(e)}`);
    }
  });
  return out;
}

/**
 * What the DSS lacks to validate this chain in the long term (empty: nothing, B-LT holds): every
 * certificate above the signer's up to the anchor, and a CRL from the signer's issuer, signed by
 * it, that covers the signing time `signedAt` — current at that time, or issued after it while the
 * certificate was valid (a revoked certificate stays listed until it expires) — and not from after
 * `now`.
 */
export function missingValidationData(path: X509Certificate[], data: ValidationData, signedAt: Date, now: Date): string[] {
  if (path.length < 2) return ["certificat de confiance sans autorité émettrice : aucune révocation à vérifier"];
  const missing: string[] = [];
  for (const c of path.slice(1))
    if (!data.certs.some((d) => d.raw.equals(c.raw))) missing.push(`certificat absent du DSS : ${nameOf(c)}`);
  const [leaf, issuer] = path;
  const signed = data.crls.filter((crl) => equalBytes(crl.issuer, certIssuerDer(leaf)) && crlSignedBy(crl, issuer));
  const second = Math.floor(signedAt.getTime() / 1000) * 1000; // CRL times have whole seconds
  const covers = (crl: Crl) => {
    const t = crl.thisUpdate.getTime();
    if (t > now.getTime() + CLOCK_TOLERANCE_MS) return false;
    if (crl.nextUpdate && crl.nextUpdate.getTime() <= t) return false;
    const currentAtSigning = t <= signedAt.getTime() && (!crl.nextUpdate || signedAt <= crl.nextUpdate);
    const issuedAfter = t >= second && t <= new Date(leaf.validTo).getTime();
    return currentAtSigning || issuedAfter;
  };
  if (signed.length === 0) missing.push(`aucune CRL de ${nameOf(issuer)} signée par elle dans le DSS`);
  else if (!signed.some(covers)) missing.push("aucune CRL du DSS ne couvre la date de la signature");
  else if (signed.some((crl) => covers(crl) && crl.revoked.has(serialOf(leaf)))) missing.push(`certificat révoqué : ${nameOf(leaf)}`);
  return missing;
}
