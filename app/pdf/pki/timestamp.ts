// RFC 3161 timestamps: the TimestampAuthority interface, the built-in TSA (also served over
// HTTP by handleTimestampRequest), and an HTTP client for external TSAs tried in turn.
// A TSA failure is always an error: signing never falls back to the local clock.
import { randomBytes, sign as cryptoSign, type KeyObject, type X509Certificate } from "node:crypto";
import {
  type Bytes,
  bool,
  children,
  equalBytes,
  expectTag,
  generalizedTime,
  integer,
  oid,
  octets,
  read,
  readInteger,
  readOid,
  readTime,
  seq,
  utf8,
  value,
} from "./der";
import { algId, buildSignedData, certExtensions, checkSigner, OID, parseSignedData, type ParsedSignedData, sha256 } from "./cms";

export interface TimestampAuthority {
  /** Returns a DER TimeStampToken (a CMS ContentInfo) over a SHA-256 message imprint. */
  timestamp(messageImprint: Uint8Array): Promise<Uint8Array>;
}

export class TimestampError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TimestampError";
  }
}

/** UUID-derived OID (arc 2.25, no registration needed) naming the built-in TSA's policy. */
export const BUILTIN_TSA_POLICY = "2.25.146720417361237585734587150834016283573";

// ------------------------------------------------------------------ TSTInfo

export interface TstInfo {
  policy: string;
  hashAlgorithm: string;
  imprint: Bytes;
  serial: bigint;
  genTime: Date;
  nonce?: bigint;
}

export function parseTstInfo(der: Bytes): TstInfo {
  const f = children(expectTag(read(der), 0x30, "TSTInfo"));
  if (readInteger(f[0]) !== 1n) throw new TimestampError("TSTInfo: unsupported version");
  const policy = readOid(f[1]);
  const [mi, hashed] = children(expectTag(f[2], 0x30, "MessageImprint"));
  const hashAlgorithm = readOid(children(mi)[0]);
  const imprint = value(expectTag(hashed, 0x04, "hashedMessage"));
  const serial = readInteger(f[3]);
  const genTime = readTime(expectTag(f[4], 0x18, "genTime"));
  let nonce: bigint | undefined;
  for (const n of f.slice(5)) if (n.tag === 0x02) nonce = readInteger(n);
  return { policy, hashAlgorithm, imprint, serial, genTime, nonce };
}

export interface TokenCheck {
  ok: boolean;
  tstInfo?: TstInfo;
  signed?: ParsedSignedData;
  /** The certificate the token's SignerInfo names (sid), the one its signature was checked with. */
  certificate?: X509Certificate;
  imprintOk: boolean;
  signatureOk: boolean; // messageDigest over TSTInfo and signature over the signed attributes
  errors: string[];
}

const EXT_KEY_USAGE = "2.5.29.37";

/** RFC 3161 §2.3: the TSA certificate's extendedKeyUsage is critical and is timeStamping only. */
export function hasCriticalTimeStampingUsage(certDer: Bytes): boolean {
  try {
    const eku = certExtensions(certDer).get(EXT_KEY_USAGE);
    if (!eku?.critical) return false;
    const purposes = children(expectTag(read(eku.value), 0x30, "ExtKeyUsageSyntax")).map(readOid);
    return purposes.length === 1 && purposes[0] === OID.timeStamping;
  } catch {
    return false;
  }
}

/**
 * Integrity of a timestamp token: TSTInfo content, imprint = expected, and the CMS signature
 * checked with the certificate its SignerInfo names (sid), which must carry the critical
 * timeStamping extended key usage. Trust (chain, time) is checked by the caller.
 */
export function checkTimestampToken(token: Bytes, expectedImprint: Bytes, expectedNonce?: bigint): TokenCheck {
  const errors: string[] = [];
  try {
    const sd = parseSignedData(token);
    if (sd.eContentType !== OID.tstInfo || !sd.eContent)
      return { ok: false, imprintOk: false, signatureOk: false, errors: ["le jeton n'est pas un TSTInfo"] };
    const tst = parseTstInfo(sd.eContent);
    if (tst.hashAlgorithm !== OID.sha256) errors.push("empreinte non SHA-256");
    const imprintOk = tst.hashAlgorithm === OID.sha256 && equalBytes(tst.imprint, expectedImprint);
    if (!equalBytes(tst.imprint, expectedImprint)) errors.push("l'empreinte horodatée ne correspond pas");
    if (expectedNonce !== undefined && tst.nonce !== expectedNonce) errors.push("nonce différent de la requête");
    const sc = checkSigner(sd, sd.eContent);
    if (!sc.digestOk) errors.push("condensé du jeton incorrect");
    if (!sc.signatureOk) errors.push("signature du jeton invalide");
    if (!sc.signingCertificateOk) errors.push("attribut signing-certificate absent ou incorrect");
    if (!sc.contentTypeOk) errors.push("content-type du jeton incorrect");
    if (sc.certificate && !hasCriticalTimeStampingUsage(sc.certificate.raw))
      errors.push("le certificat signataire du jeton n'a pas l'usage étendu timeStamping critique et exclusif");
    errors.push(...sc.errors);
    const signatureOk = sc.digestOk && sc.signatureOk && sc.signingCertificateOk && sc.contentTypeOk;
    return { ok: errors.length === 0, tstInfo: tst, signed: sd, certificate: sc.certificate, imprintOk, signatureOk, errors };
  } catch (e) {
    return { ok: false, imprintOk: false, signatureOk: false, errors: [`jeton illisible: ${(e as Error).message}`] };
  }
}

// ------------------------------------------------------------------ built-in TSA

export interface TsaKey {
  privateKey: KeyObject;
  /** DER, TSA certificate first, then its issuers. */
  certificates: Uint8Array[];
}

export class BuiltinTsa implements TimestampAuthority {
  constructor(
    private readonly key: TsaKey,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  timestamp(messageImprint: Uint8Array): Promise<Uint8Array> {
    return this.issue(messageImprint);
  }

  async issue(messageImprint: Uint8Array, nonce?: bigint, withCertificates = true): Promise<Uint8Array> {
    if (messageImprint.length !== 32) throw new TimestampError("imprint must be SHA-256");
    const serial = randomBytes(16);
    serial[0] &= 0x7f;
    const tstInfo = seq(
      integer(1),
      oid(BUILTIN_TSA_POLICY),
      seq(algId(OID.sha256), octets(messageImprint)),
      integer(serial),
      generalizedTime(this.clock()),
      seq(integer(1)), // accuracy: 1 second
      bool(false),
      ...(nonce !== undefined ? [integer(nonce)] : []),
    ).slice();
    const isEc = this.key.privateKey.asymmetricKeyType === "ec";
    const { der } = await buildSignedData({
      eContentType: OID.tstInfo,
      eContent: tstInfo,
      contentDigest: sha256(tstInfo),
      // RFC 3161: the signer certificate must be present when certReq is set; our in-process
      // callers always want it so that validators find it.
      certificates: withCertificates ? this.key.certificates : this.key.certificates.slice(0, 1),
      signatureAlgorithm: isEc ? OID.ecdsaWithSHA256 : OID.rsaEncryption,
      sign: (d) => new Uint8Array(cryptoSign("sha256", d, this.key.privateKey)),
    });
    return der;
  }
}

// ------------------------------------------------------------------ RFC 3161 over HTTP

export function buildTimestampRequest(imprint: Bytes, nonce: bigint): Bytes {
  return seq(integer(1), seq(algId(OID.sha256), octets(imprint)), integer(nonce), bool(true));
}

interface ParsedRequest {
  imprint: Bytes;
  hashAlgorithm: string;
  nonce?: bigint;
  certReq: boolean;
}

function parseTimestampRequest(body: Bytes): ParsedRequest {
  const f = children(expectTag(read(body), 0x30, "TimeStampReq"));
  if (readInteger(f[0]) !== 1n) throw new TimestampError("version");
  const [alg, hashed] = children(expectTag(f[1], 0x30, "MessageImprint"));
  const req: ParsedRequest = {
    hashAlgorithm: readOid(children(alg)[0]),
    imprint: value(expectTag(hashed, 0x04, "hashedMessage")),
    certReq: false,
  };
  for (const n of f.slice(2)) {
    if (n.tag === 0x02) req.nonce = readInteger(n);
    else if (n.tag === 0x01) req.certReq = value(n)[0] !== 0;
    else if (n.tag === 0xa0) throw new TimestampError("extensions unsupported");
  }
  return req;
}

const statusOnly = (status: number, text: string): Bytes => seq(seq(integer(status), seq(utf8(text))));

/** HTTP handler body for `POST /tsa` (application/timestamp-query → application/timestamp-reply). */
export async function handleTimestampRequest(
  body: Uint8Array,
  tsa: BuiltinTsa,
): Promise<{ status: number; contentType: string; body: Uint8Array }> {
  const reply = (b: Bytes) => ({ status: 200, contentType: "application/timestamp-reply", body: b });
  if (body.length > 4096) return { status: 413, contentType: "text/plain", body: Buffer.from("trop grand") };
  let req: ParsedRequest;
  try {
    req = parseTimestampRequest(body);
  } catch {
    return reply(statusOnly(2, "badDataFormat")); // rejection
  }
  if (req.hashAlgorithm !== OID.sha256 || req.imprint.length !== 32) return reply(statusOnly(2, "badAlg"));
  const token = await tsa.issue(req.imprint, req.nonce, req.certReq);
  return reply(seq(seq(integer(0)), token));
}

/** TSA client for RFC 3161 over HTTP(S); several URLs are tried in turn, each with a timeout. */
export class HttpTsa implements TimestampAuthority {
  constructor(
    private readonly urls: string[],
    private readonly timeoutMs = 10_000,
  ) {
    if (urls.length === 0) throw new TimestampError("no TSA URL");
  }

  async timestamp(messageImprint: Uint8Array): Promise<Uint8Array> {
    const failures: string[] = [];
    for (const url of this.urls) {
      try {
        return await this.once(url, messageImprint);
      } catch (e) {
        failures.push(`${url}: ${(e as Error).message}`);
      }
    }
    throw new TimestampError(`aucun horodateur n'a répondu correctement (${failures.join("; ")})`);
  }

  private async once(url: string, imprint: Uint8Array): Promise<Uint8Array> {
    const nonceBytes = randomBytes(8);
    nonceBytes[0] &= 0x7f;
    const nonce = BigInt(`0x${nonceBytes.toString("hex")}`);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/timestamp-query", accept: "application/timestamp-reply" },
      body: Buffer.from(buildTimestampRequest(imprint, nonce)),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new TimestampError(`HTTP ${res.status}`);
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > 64 * 1024) throw new TimestampError("réponse trop grande");
    let token: Bytes;
    try {
      const [status, tok] = children(expectTag(read(body), 0x30, "TimeStampResp"));
      const code = readInteger(children(status)[0]);
      if (code !== 0n && code !== 1n) throw new TimestampError(`statut TSA ${code}`);
      if (!tok) throw new TimestampError("réponse sans jeton");
      token = body.slice(tok.start, tok.end);
    } catch (e) {
      if (e instanceof TimestampError) throw e;
      throw new TimestampError(`réponse illisible: ${(e as Error).message}`);
    }
    const check = checkTimestampToken(token, imprint, nonce);
    if (!check.ok) throw new TimestampError(`jeton refusé: ${check.errors.join(", ")}`);
    return token;
  }
}
