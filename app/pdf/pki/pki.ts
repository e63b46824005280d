// Keys and certificates of the portal. Embedded default: on first use a portal CA and a TSA key
// with a certificate (critical EKU timeStamping, issued by the portal CA) are created under
// <dataDir>/pki (dir 0700, files 0600). Each signatory gets a fresh ECDSA P-256 key and a certificate
// issued by the CA for that signature. Production: SIGNING_P12_PATH holds either a CA (issues
// the signatories' certificates) or a seal certificate (signs every signature); TSA_URLS points
// at external timestamp authorities.
import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign as cryptoSign,
  X509Certificate,
} from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import forge from "node-forge";
import { ConfigError } from "../../config.server";
import { bitString, explicit, integer, nullValue, oid, seq, tlv, utcTime } from "./der";
import { certInfo, OID } from "./cms";
import { KeySigner, type Signer } from "./signer";
import { BuiltinTsa, handleTimestampRequest, HttpTsa, type TimestampAuthority } from "./timestamp";

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * The key each signatory's one-signature certificate certifies: ECDSA P-256 (default; pdfsig/NSS,
 * openssl, mutool and our verifier accept it) or RSA-2048 (kept for the benchmark's comparison).
 */
export type SignerKeyType = "ec-p256" | "rsa-2048";

export interface Signatory {
  name: string;
  organisation: string;
  email?: string;
  function?: string;
}

export interface SigningConfig {
  dataDir: string;
  pkiDir: string;
  /** PKCS#12 holding a CA (issues signatory certificates) or a seal certificate. */
  p12Path?: string;
  p12Password?: string;
  /** External RFC 3161 TSAs, tried in turn; empty → the built-in TSA. */
  tsaUrls: string[];
  tsaTimeoutMs: number;
  /** PEM file of extra certificates to trust (an external TSA's root, the P12's root…). */
  trustExtraPemPath?: string;
}

/** A signing setting that cannot be used: a configuration error like any other, naming the variable. */
export class PkiConfigError extends ConfigError {}

/** Every environment variable the signing engine reads. */
export function loadSigningConfig(env: NodeJS.ProcessEnv, dataDir: string): SigningConfig {
  const tsaUrls = (env.TSA_URLS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const u of tsaUrls) if (!/^https?:\/\//.test(u)) throw new PkiConfigError(`TSA_URLS : URL invalide ${u}`);
  const timeout = Number(env.TSA_TIMEOUT_MS ?? 10_000);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new PkiConfigError("TSA_TIMEOUT_MS : doit être un nombre de millisecondes positif");
  if (env.SIGNING_P12_PATH && env.SIGNING_P12_PASSWORD === undefined)
    throw new PkiConfigError("SIGNING_P12_PASSWORD requis avec SIGNING_P12_PATH");
  return {
    dataDir,
    pkiDir: path.join(dataDir, "pki"),
    p12Path: env.SIGNING_P12_PATH || undefined,
    p12Password: env.SIGNING_P12_PASSWORD,
    tsaUrls,
    tsaTimeoutMs: timeout,
    trustExtraPemPath: env.SIGNING_TRUST_PEM_PATH || undefined,
  };
}

// ------------------------------------------------------------------ certificate helpers

export const derToPem = (der: Uint8Array, label = "CERTIFICATE"): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString("base64")
    .replace(/.{64}/g, "$&\n")
    .replace(/\n$/, "")}\n-----END ${label}-----\n`;

export function pemToDers(pem: string, label = "CERTIFICATE"): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, "g");
  return [...pem.matchAll(re)].map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64")));
}

const forgeToDer = (cert: forge.pki.Certificate): Uint8Array =>
  new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary"));
const derToForge = (der: Uint8Array): forge.pki.Certificate =>
  forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString("binary")));

function randomSerialHex(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  b[0] |= 0x10; // no leading zero byte: forge keeps the hex as is
  return b.toString("hex");
}

type Attr = { name?: string; type?: string; value: string; valueTagClass?: number };
const utf8Attr = (name: string, value: string): Attr => ({ name, value, valueTagClass: forge.asn1.Type.UTF8 });

interface IssueOptions {
  subject: Attr[];
  publicKey: KeyObject;
  issuer?: { cert: forge.pki.Certificate; key: KeyObject }; // absent → self-signed with signingKey
  signingKey: KeyObject;
  years: number;
  extensions: object[];
}

/**
 * Issues an X.509 certificate with forge, signing the TBS with node:crypto (RSA issuer). The subject
 * key is RSA or EC: forge only encodes RSA keys, so for an EC key the TBS is built around a stand-in
 * RSA key whose SubjectPublicKeyInfo is then replaced by the EC key's own (DER from node:crypto).
 */
function issue(o: IssueOptions): Uint8Array {
  const cert = forge.pki.createCertificate();
  const ec = o.publicKey.asymmetricKeyType === "ec";
  cert.publicKey = ec ? standInRsaKey() : forge.pki.publicKeyFromPem(o.publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = randomSerialHex();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 10 * 60_000); // tolerate small clock skews
  cert.validity.notAfter = new Date(now + o.years * 365.25 * 86_400_000);
  cert.setSubject(o.subject as forge.pki.CertificateField[]);
  // forge keeps parsed UTF8String values as raw bytes but encodes them again on output.
  const issuerAttrs = o.issuer
    ? o.issuer.cert.subject.attributes.map((a) =>
        (a.valueTagClass as unknown) === forge.asn1.Type.UTF8 ? { ...a, value: forge.util.decodeUtf8(a.value as string) } : a,
      )
    : (o.subject as forge.pki.CertificateField[]);
  cert.setIssuer(issuerAttrs);
  // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits.
  const ski = ec
    ? createHash("sha1").update(ecPoint(o.publicKey)).digest().toString("binary")
    : forge.pki.getPublicKeyFingerprint(cert.publicKey, { type: "RSAPublicKey" }).getBytes();
  const aki = o.issuer
    ? (o.issuer.cert.getExtension("subjectKeyIdentifier") as { subjectKeyIdentifier?: string } | null)
    : null;
  const akiBytes = aki?.subjectKeyIdentifier ? forge.util.hexToBytes(aki.subjectKeyIdentifier) : ski;
  cert.setExtensions([
    ...o.extensions,
    // Given as its encoded value: forge would otherwise compute it again from cert.publicKey (the stand-in for EC).
    ec
      ? { name: "subjectKeyIdentifier", value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, ski) }
      : { name: "subjectKeyIdentifier", subjectKeyIdentifier: forge.util.bytesToHex(ski) },
    { name: "authorityKeyIdentifier", keyIdentifier: akiBytes },
  ]);
  const signingKey = o.signingKey;
  if (ec) {
    const pkiAny = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
    cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
    cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
    const tbsAsn1 = pkiAny.getTBSCertificate(cert);
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, …
    (tbsAsn1.value as forge.asn1.Asn1[])[6] = forge.asn1.fromDer(Buffer.from(o.publicKey.export({ type: "spki", format: "der" })).toString("binary"));
    const tbs = new Uint8Array(Buffer.from(forge.asn1.toDer(tbsAsn1).getBytes(), "binary"));
    const signature = new Uint8Array(cryptoSign("sha256", tbs, signingKey));
    return seq(tbs, seq(oid(OID.sha256WithRSA), nullValue()), bitString(signature));
  }
  // forge only offers its own (slow) RSA; give it an object whose sign() uses node:crypto.
  const nodeKey = {
    sign: () => {
      const pkiAny = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
      const tbs = forge.asn1.toDer(pkiAny.getTBSCertificate(cert)).getBytes();
      return cryptoSign("sha256", Buffer.from(tbs, "binary"), signingKey).toString("binary");
    },
  };
  cert.sign(nodeKey as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forgeToDer(cert);
}

let standIn: forge.pki.rsa.PublicKey | undefined;
/** Any RSA public key, only for forge to lay out a TBS whose key is replaced afterwards (never signed with). */
function standInRsaKey(): forge.pki.rsa.PublicKey {
  standIn ??= forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger("c5", 16), new forge.jsbn.BigInteger("10001", 16));
  return standIn;
}

/** The uncompressed point (04 || X || Y) of an EC public key: its subjectPublicKey bits. */
function ecPoint(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
}

/** A CRL (v2, no revoked certificates) signed by `issuer`, valid for `days`. */
export function buildCrl(issuerDer: Uint8Array, issuerKey: KeyObject, days = 7, now = new Date()): Uint8Array {
  const issuer = certInfo(issuerDer);
  const sigAlg = seq(oid(OID.sha256WithRSA), nullValue());
  // authorityKeyIdentifier from the issuer's subject key identifier, when present
  const skiExt = derToForge(issuerDer).getExtension("subjectKeyIdentifier") as { subjectKeyIdentifier?: string } | null;
  const exts: Uint8Array[] = [seq(oid("2.5.29.20"), tlv(0x04, integer(BigInt(now.getTime()))))]; // cRLNumber
  if (skiExt?.subjectKeyIdentifier)
    exts.unshift(
      seq(oid("2.5.29.35"), tlv(0x04, seq(tlv(0x80, Buffer.from(skiExt.subjectKeyIdentifier, "hex"))))),
    );
  const tbs = seq(
    integer(1),
    sigAlg,
    issuer.subject,
    utcTime(now),
    utcTime(new Date(now.getTime() + days * 86_400_000)),
    explicit(0, seq(...exts)),
  );
  const sig = new Uint8Array(cryptoSign("sha256", tbs, issuerKey));
  return seq(tbs, sigAlg, bitString(sig));
}

// ------------------------------------------------------------------ the PKI

export interface Pki {
  readonly config: SigningConfig;
  /** "ca": certificates issued per signatory; "seal": one seal certificate signs everything. */
  readonly mode: "ca" | "seal";
  /** The TSA used for signatures and document timestamps (external if TSA_URLS is set). */
  readonly tsa: TimestampAuthority;
  /** The built-in TSA (served at POST /tsa even when external TSAs are configured). */
  readonly builtinTsa: BuiltinTsa;
  /** A signer for one signature of this person (fresh key + certificate in "ca" mode). */
  signerFor(signatory: Signatory): Promise<Signer>;
  /** DER certificates a validator must trust: the portal CA (+ P12 chain root, extra trust). */
  trustedCertificates(): Uint8Array[];
  trustPem(): string;
  /** Certificates and a fresh CRL for the document security store. */
  validationData(): { certificates: Uint8Array[]; crls: Uint8Array[] };
  handleTimestampRequest(body: Uint8Array): Promise<{ status: number; contentType: string; body: Uint8Array }>;
}

interface LocalFiles {
  caKey: KeyObject;
  caDer: Uint8Array;
  tsaKey: KeyObject;
  tsaDer: Uint8Array;
}

const FILES = ["ca.key.pem", "ca.cert.pem", "tsa.key.pem", "tsa.cert.pem"] as const;

function createLocalPki(dir: string): void {
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, ".pki-"));
  fs.chmodSync(tmp, 0o700);
  const ca = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const caDer = issue({
    subject: [utf8Attr("commonName", "Paraphe - autorité de certification du portail"), utf8Attr("organizationName", "Paraphe")],
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    years: 20,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const tsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const tsaDer = issue({
    subject: [utf8Attr("commonName", "Paraphe - horodatage du portail"), utf8Attr("organizationName", "Paraphe")],
    publicKey: tsa.publicKey,
    issuer: { cert: derToForge(caDer), key: ca.privateKey },
    signingKey: ca.privateKey,
    years: 10,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
      { name: "extKeyUsage", timeStamping: true, critical: true },
    ],
  });
  const write = (name: string, data: string) => fs.writeFileSync(path.join(tmp, name), data, { mode: 0o600 });
  write("ca.key.pem", ca.privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  write("ca.cert.pem", derToPem(caDer));
  write("tsa.key.pem", tsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  write("tsa.cert.pem", derToPem(tsaDer));
  try {
    fs.renameSync(tmp, dir); // atomic: a concurrent first start keeps whichever came first
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function loadLocal(dir: string): LocalFiles {
  if (!FILES.every((f) => fs.existsSync(path.join(dir, f)))) createLocalPki(dir);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  return {
    caKey: createPrivateKey(read("ca.key.pem")),
    caDer: pemToDers(read("ca.cert.pem"))[0],
    tsaKey: createPrivateKey(read("tsa.key.pem")),
    tsaDer: pemToDers(read("tsa.cert.pem"))[0],
  };
}

interface P12Material {
  key: KeyObject;
  chain: Uint8Array[]; // leaf (the key's certificate) first
  isCa: boolean;
}

function loadP12(file: string, password: string): P12Material {
  let der: string;
  try {
    der = fs.readFileSync(file).toString("binary");
  } catch (error) {
    throw new PkiConfigError(`SIGNING_P12_PATH : fichier ${file} illisible (${(error as NodeJS.ErrnoException).code ?? "erreur"})`);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, password);
  } catch (error) {
    const wrongPassword = /MAC could not be verified|Invalid password/i.test((error as Error).message);
    throw new PkiConfigError(
      wrongPassword
        ? `SIGNING_P12_PASSWORD : mot de passe incorrect pour ${file}`
        : `SIGNING_P12_PATH : ${file} n'est pas un fichier PKCS#12 lisible (${(error as Error).message})`,
    );
  }
  const keyBag =
    p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0] ??
    p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag]?.[0];
  if (!keyBag?.key) throw new PkiConfigError("SIGNING_P12_PATH : pas de clé RSA dans le PKCS#12");
  const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .filter((b) => b.cert)
    .map((b) => forgeToDer(b.cert!));
  const leafIdx = certs.findIndex((c) => new X509Certificate(c).checkPrivateKey(key));
  if (leafIdx < 0) throw new PkiConfigError("SIGNING_P12_PATH : aucun certificat ne correspond à la clé");
  const chain = [certs[leafIdx], ...certs.filter((_, i) => i !== leafIdx)];
  return { key, chain, isCa: new X509Certificate(chain[0]).ca };
}

const cache = new Map<string, Pki>();

/** Opens (creating on first use) the portal's keys; cached per data directory and env. */
export async function openPki(opts: { dataDir: string; env: NodeJS.ProcessEnv; signerKeys?: SignerKeyType }): Promise<Pki> {
  const config = loadSigningConfig(opts.env, opts.dataDir);
  const signerKeys = opts.signerKeys ?? "ec-p256";
  const cacheKey = JSON.stringify({ ...config, signerKeys });
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const local = loadLocal(config.pkiDir);
  // Tokens and signatures carry the chain without the root: validators hold the root as a trust
  // anchor, and every byte of /Contents is parsed again at each later signature.
  const builtinTsa = new BuiltinTsa({ privateKey: local.tsaKey, certificates: [local.tsaDer] });
  const tsa: TimestampAuthority = config.tsaUrls.length ? new HttpTsa(config.tsaUrls, config.tsaTimeoutMs) : builtinTsa;
  const p12 = config.p12Path ? loadP12(config.p12Path, config.p12Password ?? "") : undefined;
  const mode: "ca" | "seal" = p12 && !p12.isCa ? "seal" : "ca";
  const issuerKey = p12?.isCa ? p12.key : local.caKey;
  const issuerChain = p12?.isCa ? p12.chain : [local.caDer];
  const isSelfSigned = (der: Uint8Array) => {
    const c = new X509Certificate(der);
    return c.issuer === c.subject && c.checkIssued(c);
  };
  const embeddedChain = issuerChain.filter((c) => !isSelfSigned(c));
  const issuerForge = derToForge(issuerChain[0]);
  const extra = config.trustExtraPemPath ? pemToDers(fs.readFileSync(config.trustExtraPemPath, "utf8")) : [];

  const trusted = (): Uint8Array[] => {
    const out = [local.caDer, local.tsaDer];
    if (p12) {
      const root = p12.chain[p12.chain.length - 1];
      if (!out.some((c) => Buffer.compare(c, root) === 0)) out.push(root);
    }
    return [...out, ...extra];
  };

  const pki: Pki = {
    config,
    mode,
    tsa,
    builtinTsa,
    async signerFor(s: Signatory): Promise<Signer> {
      if (mode === "seal") return new KeySigner(p12!.key, p12!.chain);
      // ECDSA P-256: a key in about 0.1 ms, where RSA-2048 takes 50 to 200 ms of CPU (npm run bench).
      const { privateKey, publicKey } =
        signerKeys === "ec-p256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : await generateKeyPairAsync("rsa", { modulusLength: 2048 });
      const subject: Attr[] = [utf8Attr("commonName", s.name), utf8Attr("organizationName", s.organisation)];
      if (s.email) subject.push({ name: "emailAddress", value: s.email, valueTagClass: forge.asn1.Type.IA5STRING });
      const der = issue({
        subject,
        publicKey,
        issuer: { cert: issuerForge, key: issuerKey },
        signingKey: issuerKey,
        years: 3,
        extensions: [
          { name: "basicConstraints", cA: false },
          { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
          { name: "extKeyUsage", emailProtection: true },
          ...(s.email ? [{ name: "subjectAltName", altNames: [{ type: 1, value: s.email }] }] : []),
        ],
      });
      return new KeySigner(privateKey, [der, ...embeddedChain]);
    },
    trustedCertificates: trusted,
    trustPem: () => trusted().map((c) => derToPem(c)).join(""),
    validationData() {
      const certificates = [...issuerChain, local.tsaDer, local.caDer];
      if (p12 && mode === "seal") certificates.push(...p12.chain);
      const crls = mode === "ca" ? [buildCrl(issuerChain[0], issuerKey)] : [];
      if (p12?.isCa) crls.push(buildCrl(local.caDer, local.caKey)); // the built-in TSA's issuer
      const unique = certificates.filter(
        (c, i) => certificates.findIndex((d) => Buffer.compare(c, d) === 0) === i,
      );
      return { certificates: unique, crls };
    },
    handleTimestampRequest: (body) => handleTimestampRequest(body, builtinTsa),
  };
  cache.set(cacheKey, pki);
  return pki;
}
