import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseSignedData } from "./cms";
import { makeSignablePdf } from "../test-support/fixture";
import { extractSignatures } from "../test-support/tools";
import { openPki } from "./pki";
import { signPdf } from "../signing/sign";
import { verifyPdf } from "../verification/verify";

/**
 * Production keys: a CA or a seal certificate in a PKCS#12 file made by openssl, as an operator
 * would bring them (SIGNING_P12_PATH, SIGNING_P12_PASSWORD).
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-p12-"));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
const SIGNATORY = { name: "Anne-Florence Canton", organisation: "Ministère de la Justice", email: "af.canton@justice.example", function: "Secrétaire générale adjointe" };

beforeAll(() => {
  fs.writeFileSync(file("ca.cnf"), "[v3_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
  fs.writeFileSync(file("seal.cnf"), "[v3_seal]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n");
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "3650", "-subj", "/CN=AC racine de test/O=Ministère de test", "-extensions", "v3_ca", "-config", "ca.cnf", "-utf8");
  // A CA that issues the signatories' certificates.
  openssl("pkcs12", "-export", "-inkey", "root.key", "-in", "root.pem", "-out", "ca.p12", "-passout", "pass:secret-ca");
  // A seal certificate issued by that CA.
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "seal.key", "-out", "seal.csr", "-subj", "/CN=Cachet Paraphe de test/O=Ministère de test", "-utf8");
  openssl("x509", "-req", "-in", "seal.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-out", "seal.pem", "-days", "365", "-extensions", "v3_seal", "-extfile", "seal.cnf");
  openssl("pkcs12", "-export", "-inkey", "seal.key", "-in", "seal.pem", "-certfile", "root.pem", "-out", "seal.p12", "-passout", "pass:secret-seal");
});

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

async function signOnce(vars: Record<string, string>) {
  const pki = await openPki({ dataDir: fs.mkdtempSync(path.join(dir, "data-")), env: env(vars) });
  const { pdf } = await makeSignablePdf({ pages: 2, signatures: 1 });
  const res = await signPdf(pdf, { signer: await pki.signerFor(SIGNATORY), tsa: pki.tsa, signatory: SIGNATORY });
  const report = await verifyPdf(res.pdf, { trusted: pki.trustedCertificates() });
  return { pki, report };
}

describe("signing keys from a PKCS#12 file", () => {
  it("a CA in the file issues each signatory's certificate, and its root is what validators trust", async () => {
    const { pki, report } = await signOnce({ SIGNING_P12_PATH: file("ca.p12"), SIGNING_P12_PASSWORD: "secret-ca" });
    expect(pki.mode).toBe("ca");
    expect(report.ok).toBe(true);
    const sig = report.signatures[0];
    expect(sig.signer?.commonName).toBe("Anne-Florence Canton");
    expect(pki.trustPem()).toContain(fs.readFileSync(file("root.pem"), "utf8").replace(/\r/g, "").split("\n")[1]);
  });

  it("a seal certificate signs every signature itself", async () => {
    const { pki, report } = await signOnce({ SIGNING_P12_PATH: file("seal.p12"), SIGNING_P12_PASSWORD: "secret-seal" });
    expect(pki.mode).toBe("seal");
    expect(report.ok).toBe(true);
    expect(report.signatures[0].signer?.commonName).toBe("Cachet Paraphe de test");
  });

  it("a wrong password, a missing one or an unreadable file is refused with a French message naming the variable", async () => {
    const open = (vars: Record<string, string>) => openPki({ dataDir: fs.mkdtempSync(path.join(dir, "data-")), env: env(vars) });
    await expect(open({ SIGNING_P12_PATH: file("ca.p12"), SIGNING_P12_PASSWORD: "faux" })).rejects.toThrow("SIGNING_P12_PASSWORD : mot de passe incorrect");
    await expect(open({ SIGNING_P12_PATH: file("ca.p12") })).rejects.toThrow("SIGNING_P12_PASSWORD requis");
    await expect(open({ SIGNING_P12_PATH: file("absent.p12"), SIGNING_P12_PASSWORD: "x" })).rejects.toThrow("SIGNING_P12_PATH : fichier");
    await expect(open({ SIGNING_P12_PATH: file("root.pem"), SIGNING_P12_PASSWORD: "x" })).rejects.toThrow("n'est pas un fichier PKCS#12 lisible");
  });
});

describe("signatory keys of the portal's own CA", () => {
  const ecdsaWithSha256 = "1.2.840.10045.4.3.2";

  it("are ECDSA P-256 keys certified by the portal CA, read by openssl, and their signatures verify (ECDSA in the CMS)", async () => {
    const pki = await openPki({ dataDir: fs.mkdtempSync(path.join(dir, "ec-")), env: env({}) });
    const signer = await pki.signerFor(SIGNATORY);
    expect(signer.keyType).toBe("ec");
    const cert = new X509Certificate(signer.certificateChain[0]);
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    const ca = new X509Certificate(pki.trustedCertificates()[0]);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    // openssl parses the certificate and finds the key identifier RFC 5280 describes (SHA-1 of the point).
    fs.writeFileSync(file("ec-leaf.der"), signer.certificateChain[0]);
    const text = openssl("x509", "-inform", "der", "-in", "ec-leaf.der", "-noout", "-text").toString();
    expect(text).toMatch(/Public Key Algorithm: id-ecPublicKey[\s\S]*NIST CURVE: P-256/);
    const jwk = cert.publicKey.export({ format: "jwk" });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
    const ski = createHash("sha1").update(point).digest("hex").toUpperCase().match(/../g)!.join(":");
    expect(text).toContain(ski);

    const { pdf } = await makeSignablePdf({ pages: 2, signatures: 1 });
    const signed = await signPdf(pdf, { signer, tsa: pki.tsa, signatory: SIGNATORY });
    const [sig] = extractSignatures(signed.pdf);
    expect(parseSignedData(sig.der).signerInfos[0].signatureAlgorithm).toBe(ecdsaWithSha256);
    const report = await verifyPdf(signed.pdf, { trusted: pki.trustedCertificates() });
    expect(report.ok).toBe(true);
    expect(report.signatures[0].signer?.commonName).toBe("Anne-Florence Canton");
  });

  it("RSA-2048 keys stay available (benchmark comparison) and verify the same way", async () => {
    const pki = await openPki({ dataDir: fs.mkdtempSync(path.join(dir, "rsa-")), env: env({}), signerKeys: "rsa-2048" });
    const signer = await pki.signerFor(SIGNATORY);
    expect(signer.keyType).toBe("rsa");
    const { pdf } = await makeSignablePdf({ pages: 2, signatures: 1 });
    const signed = await signPdf(pdf, { signer, tsa: pki.tsa, signatory: SIGNATORY });
    expect(parseSignedData(extractSignatures(signed.pdf)[0].der).signerInfos[0].signatureAlgorithm).not.toBe(ecdsaWithSha256);
    expect((await verifyPdf(signed.pdf, { trusted: pki.trustedCertificates() })).ok).toBe(true);
  });
});
