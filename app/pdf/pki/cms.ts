// CMS SignedData (RFC 5652) building and reading, shared by PDF signatures (CAdES detached)
// and RFC 3161 timestamp tokens. Hashing and signature checks use node:crypto.
import { createHash, verify as cryptoVerify, X509Certificate } from "node:crypto";
import {
  type Bytes,
  type Node,
  children,
  DerError,
  equalBytes,
  expectTag,
  explicit,
  integer,
  nullValue,
  octets,
  oid,
  read,
  readInteger,
  readOid,
  seq,
  set,
  setOf,
  tlv,
  value,
  whole,
} from "./der";

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  timeStamping: "1.3.6.1.5.5.7.3.8",
} as const;

const DIGEST_NAMES: Record<string, string> = {
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};

export const sha256 = (data: Bytes | Bytes[]): Bytes => {
  const h = createHash("sha256");
  for (const d of Array.isArray(data) ? data : [data]) h.update(d);
  return new Uint8Array(h.digest());
};

// Parsing a certificate costs ~0.1 ms; the portal sees few distinct ones (bounded cache).
const certCache = new Map<string, X509Certificate>();
export function x509(der: Bytes): X509Certificate {
  const key = Buffer.from(sha256(der)).toString("base64");
  let c = certCache.get(key);
  if (!c) {
    c = new X509Certificate(der);
    if (certCache.size > 1000) certCache.clear();
    certCache.set(key, c);
  }
  return c;
}

export const algId = (dotted: string, withNull = true): Bytes =>
  withNull ? seq(oid(dotted), nullValue()) : seq(oid(dotted));

export const attribute = (type: string, ...values: Bytes[]): Bytes => seq(oid(type), setOf(...values));

// ------------------------------------------------------------------ certificates

export interface CertInfo {
  der: Bytes;
  issuer: Bytes; // DER Name
  subject: Bytes; // DER Name
  serial: Bytes; // DER INTEGER (whole TLV)
}

// Per certificate object (a ready Signer keeps the same chain): parsed once, not per signature.
const certInfoCache = new WeakMap<Bytes, CertInfo>();
const essCache = new WeakMap<CertInfo, Bytes>();

/** Reads issuer, subject and serial (as DER) from a certificate. */
export function certInfo(der: Bytes): CertInfo {
  let info = certInfoCache.get(der);
  if (!info) {
    info = readCertInfo(der);
    certInfoCache.set(der, info);
  }
  return info;
}

function readCertInfo(der: Bytes): CertInfo {
  const cert = read(der);
  const tbs = children(cert)[0];
  const f = children(expectTag(tbs, 0x30, "TBSCertificate"));
  let i = f[0].tag === 0xa0 ? 1 : 0; // optional [0] version
  const serial = whole(expectTag(f[i++], 0x02, "serial"));
  i++; // signature algorithm
  const issuer = whole(expectTag(f[i++], 0x30, "issuer"));
  i++; // validity
  const subject = whole(expectTag(f[i++], 0x30, "subject"));
  return { der: whole(cert), issuer, subject, serial };
}

export const issuerAndSerial = (c: CertInfo): Bytes => seq(c.issuer, c.serial);

/** ESS signing-certificate-v2 attribute value (sha256 of the cert, with IssuerSerial). */
export function signingCertificateV2(c: CertInfo): Bytes {
  let v = essCache.get(c);
  if (!v) {
    v = encodeSigningCertificateV2(c);
    essCache.set(c, v);
  }
  return v;
}

function encodeSigningCertificateV2(c: CertInfo): Bytes {
  const generalNames = seq(explicit(4, c.issuer)); // directoryName [4]
  const essCertIdV2 = seq(octets(sha256(c.der)), seq(generalNames, c.serial)); // sha256 is the default alg
  return seq(seq(essCertIdV2));
}

// ------------------------------------------------------------------ building

export interface SignedDataInput {
  eContentType: string;
  eContent?: Bytes; // absent: detached
  contentDigest: Bytes; // sha256 of the (detached or encapsulated) content
  certificates: Bytes[]; // DER, signer first
  extraSignedAttrs?: Bytes[];
  sign: (signedAttrsDer: Bytes) => Promise<Bytes> | Bytes;
  signatureAlgorithm: string; // OID
  /** Unsigned attributes computed from the signature value (e.g. a timestamp token). */
  unsignedAttrs?: (signature: Bytes) => Promise<Bytes[]> | Bytes[];
}

export async function buildSignedData(input: SignedDataInput): Promise<{ der: Bytes; signature: Bytes }> {
  const signer = certInfo(input.certificates[0]);
  const attrs = [
    attribute(OID.contentType, oid(input.eContentType)),
    attribute(OID.messageDigest, octets(input.contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(signer)),
    ...(input.extraSignedAttrs ?? []),
  ];
  const signedAttrs = setOf(...attrs); // signed as a SET (tag 0x31)...
  const signature = await input.sign(signedAttrs);
  const unsigned = input.unsignedAttrs ? await input.unsignedAttrs(signature) : [];
  const sigAlg =
    input.signatureAlgorithm === OID.ecdsaWithSHA256 ? algId(OID.ecdsaWithSHA256, false) : algId(OID.rsaEncryption);
  const signerInfo = seq(
    integer(1),
    issuerAndSerial(signer),
    algId(OID.sha256),
    tlv(0xa0, signedAttrs.subarray(read(signedAttrs).vStart)), // ...embedded as [0] IMPLICIT
    sigAlg,
    octets(signature),
    ...(unsigned.length ? [tlv(0xa1, ...[...unsigned])] : []),
  );
  const encap = input.eContent
    ? seq(oid(input.eContentType), explicit(0, octets(input.eContent)))
    : seq(oid(input.eContentType));
  const signedData = seq(
    integer(input.eContent ? 3 : 1),
    set(algId(OID.sha256)),
    encap,
    tlv(0xa0, ...input.certificates),
    set(signerInfo),
  );
  return { der: seq(oid(OID.signedData), explicit(0, signedData)), signature };
}

// ------------------------------------------------------------------ reading

export interface ParsedAttribute {
  type: string;
  values: Node[];
}

export interface ParsedSignerInfo {
  sid: { issuer: Bytes; serial: Bytes } | { ski: Bytes };
  digestAlgorithm: string;
  signedAttrs: ParsedAttribute[];
  signedAttrsDer?: Bytes; // re-tagged as SET, the bytes that were signed
  signatureAlgorithm: string;
  signature: Bytes;
  unsignedAttrs: ParsedAttribute[];
}

export interface ParsedSignedData {
  der: Bytes; // the whole ContentInfo
  eContentType: string;
  eContent?: Bytes;
  certificates: Bytes[];
  signerInfos: ParsedSignerInfo[];
}

function parseAttributes(n: Node): ParsedAttribute[] {
  return children(n).map((a) => {
    const [t, vals] = children(expectTag(a, 0x30, "Attribute"));
    return { type: readOid(t), values: children(expectTag(vals, 0x31, "attribute values")) };
  });
}

/** Parses a ContentInfo holding SignedData; trailing bytes after it are ignored (PDF padding). */
export function parseSignedData(bytes: Bytes): ParsedSignedData {
  const ci = read(bytes);
  const [ct, content] = children(expectTag(ci, 0x30, "ContentInfo"));
  if (readOid(ct) !== OID.signedData) throw new DerError("CMS: not SignedData");
  const sd = children(expectTag(children(expectTag(content, 0xa0, "[0] content"))[0], 0x30, "SignedData"));
  let i = 2; // version, digestAlgorithms
  const encap = children(expectTag(sd[i++], 0x30, "EncapsulatedContentInfo"));
  const eContentType = readOid(encap[0]);
  let eContent: Bytes | undefined;
  if (encap[1]) eContent = value(expectTag(children(expectTag(encap[1], 0xa0, "[0] eContent"))[0], 0x04, "eContent"));
  const certificates: Bytes[] = [];
  if (sd[i]?.tag === 0xa0) for (const c of children(sd[i++])) if (c.tag === 0x30) certificates.push(whole(c));
  if (sd[i]?.tag === 0xa1) i++; // crls
  const infos = children(expectTag(sd[i], 0x31, "SignerInfos"));
  const signerInfos = infos.map((siNode): ParsedSignerInfo => {
    const f = children(expectTag(siNode, 0x30, "SignerInfo"));
    let j = 1;
    const sidNode = f[j++];
    const sid =
      sidNode?.tag === 0x30
        ? {
            issuer: whole(expectTag(children(sidNode)[0], 0x30, "sid issuer")),
            serial: whole(expectTag(children(sidNode)[1], 0x02, "sid serial")),
          }
        : { ski: value(expectTag(sidNode, 0x80, "sid subjectKeyIdentifier")) };
    const digestAlgorithm = readOid(children(f[j++])[0]);
    let signedAttrs: ParsedAttribute[] = [];
    let signedAttrsDer: Bytes | undefined;
    if (f[j]?.tag === 0xa0) {
      const raw = new Uint8Array(whole(f[j])); // a copy (Buffer.slice would alias)
      raw[0] = 0x31; // the signature covers the attributes encoded as a SET
      signedAttrsDer = raw;
      signedAttrs = parseAttributes(read(raw));
      j++;
    }
    const signatureAlgorithm = readOid(children(f[j++])[0]);
    const signature = value(expectTag(f[j++], 0x04, "signature"));
    const unsignedAttrs = f[j]?.tag === 0xa1 ? parseAttributes(f[j]) : [];
    return { sid, digestAlgorithm, signedAttrs, signedAttrsDer, signatureAlgorithm, signature, unsignedAttrs };
  });
  return { der: whole(ci), eContentType, eContent, certificates, signerInfos };
}

export const attr = (list: ParsedAttribute[], type: string): ParsedAttribute | undefined =>
  list.find((a) => a.type === type);

export interface CertExtension {
  critical: boolean;
  value: Bytes; // the extnValue's content (the extension's own DER)
}

/** A certificate's extensions by OID, read from the DER (node:crypto does not say which are critical). */
export function certExtensions(der: Bytes): Map<string, CertExtension> {
  const out = new Map<string, CertExtension>();
  const tbs = children(expectTag(children(read(der))[0], 0x30, "TBSCertificate"));
  const exts = tbs.find((n) => n.tag === 0xa3);
  if (!exts) return out;
  for (const e of children(expectTag(children(exts)[0], 0x30, "Extensions"))) {
    const f = children(expectTag(e, 0x30, "Extension"));
    const critical = f.length === 3 && value(expectTag(f[1], 0x01, "critical"))[0] !== 0;
    const id = readOid(f[0]);
    if (out.has(id)) throw new DerError(`extension ${id} en double`);
    out.set(id, { critical, value: value(expectTag(f[f.length - 1], 0x04, "extnValue")) });
  }
  return out;
}

const SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

/** The certificate the SignerInfo's `sid` names (issuerAndSerialNumber or subjectKeyIdentifier). */
export function findSignerCertificate(sd: ParsedSignedData, si: ParsedSignerInfo): Bytes | undefined {
  for (const c of sd.certificates) {
    try {
      if ("issuer" in si.sid) {
        const info = certInfo(c);
        if (equalBytes(info.issuer, si.sid.issuer) && readInteger(read(info.serial)) === readInteger(read(si.sid.serial)))
          return c;
      } else {
        const ski = certExtensions(c).get(SUBJECT_KEY_IDENTIFIER);
        if (ski && equalBytes(value(expectTag(read(ski.value), 0x04, "keyIdentifier")), si.sid.ski)) return c;
      }
    } catch {
      /* ignore malformed extra certificates */
    }
  }
  return undefined;
}

export interface SignerCheck {
  certificate?: X509Certificate;
  digestOk: boolean; // messageDigest attribute = hash of the content
  signatureOk: boolean; // signature over the signed attributes verifies with the signer's key
  signingCertificateOk: boolean; // ESS signing-certificate(-v2) names this certificate
  hasSigningTime: boolean;
  contentTypeOk: boolean;
  errors: string[];
}

/** Checks one SignerInfo against the content (detached bytes or the encapsulated content). */
export function checkSigner(sd: ParsedSignedData, content: Bytes | Bytes[]): SignerCheck {
  const res: SignerCheck = {
    digestOk: false,
    signatureOk: false,
    signingCertificateOk: false,
    hasSigningTime: false,
    contentTypeOk: false,
    errors: [],
  };
  if (sd.signerInfos.length !== 1) {
    res.errors.push("un seul SignerInfo attendu");
    return res;
  }
  const si = sd.signerInfos[0];
  const certDer = findSignerCertificate(sd, si);
  if (!certDer) {
    res.errors.push("certificat du signataire (désigné par sid) absent du CMS");
    return res;
  }
  try {
    res.certificate = x509(certDer);
  } catch {
    res.errors.push("certificat du signataire illisible");
    return res;
  }
  const alg = DIGEST_NAMES[si.digestAlgorithm];
  if (!alg || !si.signedAttrsDer) {
    res.errors.push("algorithme de condensé non pris en charge ou attributs signés absents");
    return res;
  }
  const h = createHash(alg);
  for (const c of Array.isArray(content) ? content : [content]) h.update(c);
  const digest = new Uint8Array(h.digest());
  const md = attr(si.signedAttrs, OID.messageDigest);
  res.digestOk = !!md && md.values.length === 1 && md.values[0].tag === 0x04 && equalBytes(value(md.values[0]), digest);
  const ct = attr(si.signedAttrs, OID.contentType);
  res.contentTypeOk = !!ct && ct.values.length === 1 && readOid(ct.values[0]) === sd.eContentType;
  res.hasSigningTime = !!attr(si.signedAttrs, OID.signingTime);
  const scv2 = attr(si.signedAttrs, OID.signingCertificateV2);
  const scv1 = attr(si.signedAttrs, OID.signingCertificate);
  try {
    if (scv2) {
      const ids = children(children(scv2.values[0])[0]);
      const first = children(ids[0]);
      let k = 0;
      let hashAlg = "sha256";
      if (first[0].tag === 0x30) hashAlg = DIGEST_NAMES[readOid(children(first[k++])[0])] ?? "none";
      const certHash = value(expectTag(first[k], 0x04, "certHash"));
      res.signingCertificateOk = hashAlg !== "none" && equalBytes(certHash, new Uint8Array(createHash(hashAlg).update(certDer).digest()));
    } else if (scv1) {
      const first = children(children(children(scv1.values[0])[0])[0]);
      res.signingCertificateOk = equalBytes(value(first[0]), new Uint8Array(createHash("sha1").update(certDer).digest()));
    }
  } catch {
    res.signingCertificateOk = false;
  }
  try {
    res.signatureOk = cryptoVerify(alg, si.signedAttrsDer, res.certificate.publicKey, si.signature);
  } catch (e) {
    res.errors.push(`vérification de la signature impossible: ${(e as Error).message}`);
  }
  return res;
}
