// Signing benchmark: `npx tsx bench/sign.bench.ts`. One run, same PDF for every contender.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sign as cryptoSign } from "node:crypto";
import forge from "node-forge";
import { openPki } from "../app/pdf/pki/pki";
import { signPdf, signPdfWith } from "../app/pdf/signing/sign";
import { verifyPdf } from "../app/pdf/verification/verify";
import { makeSignablePdf } from "../app/pdf/test-support/fixture";
import type { KeySigner } from "../app/pdf/pki/signer";

const PERSON = { name: "Stéphanie Schaer", function: "Directrice interministérielle du numérique", organisation: "DINUM", email: "s.schaer@modernisation.gouv.fr" };

// Every contender gets the same warm-up: the figures are steady-state costs, not JIT compilation.
async function median(n: number, fn: () => Promise<unknown>, warmup = 30): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);

async function referencePdf(): Promise<{ pdf: Uint8Array; label: string }> {
  try {
    const { renderConventionFromInput } = await import("../app/pdf/rendering/convention");
    const data = JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8"));
    return { pdf: (await renderConventionFromInput(data)).pdf, label: "convention de référence" };
  } catch {
    return { pdf: (await makeSignablePdf({ pages: 5, signatures: 2 })).pdf, label: "PDF de test 5 pages" };
  }
}

/**
 * Signer keys side by side (issue 14): a fresh RSA-2048 key per signature (before), a pool of
 * pre-generated RSA keys refilled in the background, and a fresh ECDSA P-256 key (the portal's
 * choice). The pool hides the generation from one request, but its refill spends the same CPU:
 * on this machine it bounds the sustained signatures per second.
 */
async function signerKeyRows(pki: Awaited<ReturnType<typeof openPki>>, pkiRsa: Awaited<ReturnType<typeof openPki>>): Promise<[string, string][]> {
  const { generateKeyPair, generateKeyPairSync } = await import("node:crypto");
  const { promisify } = await import("node:util");
  const gen = promisify(generateKeyPair);
  const out: [string, string][] = [];
  const times = async (n: number, fn: () => Promise<unknown>) => {
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      ts.push(performance.now() - t);
    }
    ts.sort((a, b) => a - b);
    return { p50: ts[Math.floor(n / 2)], p95: ts[Math.floor(n * 0.95)], max: ts[n - 1] };
  };
  const rsa = await times(40, () => gen("rsa", { modulusLength: 2048 }));
  out.push(["  génération d'une clé RSA-2048 : médiane / p95 / max", `${rsa.p50.toFixed(1)} / ${rsa.p95.toFixed(1)} / ${rsa.max.toFixed(1)} ms`]);
  const ec = await times(400, async () => generateKeyPairSync("ec", { namedCurve: "P-256" }));
  out.push(["  génération d'une clé ECDSA P-256 : médiane / p95 / max", `${ec.p50.toFixed(3)} / ${ec.p95.toFixed(3)} / ${ec.max.toFixed(3)} ms`]);
  const ecSigner = await times(200, () => pki.signerFor(PERSON));
  out.push(["  clé ECDSA P-256 + certificat émis (signerFor) : médiane / p95", `${ecSigner.p50.toFixed(2)} / ${ecSigner.p95.toFixed(2)} ms`]);
  const rsaSigner = await times(30, () => pkiRsa.signerFor(PERSON));
  out.push(["  clé RSA-2048 + certificat émis (signerFor) : médiane / p95", `${rsaSigner.p50.toFixed(1)} / ${rsaSigner.p95.toFixed(1)} ms`]);
  // RSA pool: how many keys per second the background refill can make with every core busy on it.
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const t0 = performance.now();
  let made = 0;
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (performance.now() - t0 < 3000) {
        await gen("rsa", { modulusLength: 2048 });
        made++;
      }
    }),
  );
  const rsaRate = made / ((performance.now() - t0) / 1000);
  out.push([`  réserve de clés RSA-2048 : remplissage soutenu, ${cores} cœurs pleins`, `${rsaRate.toFixed(1)} clés/s (plafond de signatures/s, sans rien d'autre)`]);
  const t1 = performance.now();
  let ecMade = 0;
  while (performance.now() - t1 < 1000) {
    generateKeyPairSync("ec", { namedCurve: "P-256" });
    ecMade++;
  }
  out.push(["  clés ECDSA P-256 sur un seul cœur", `${(ecMade / ((performance.now() - t1) / 1000)).toFixed(0)} clés/s`]);
  return out;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-bench-"));
  const pki = await openPki({ dataDir, env: {} as NodeJS.ProcessEnv });
  // The portal's signers (ECDSA P-256). The same PKI issuing RSA-2048 keys, for the comparisons
  // with the other libraries (their PKCS#12 path takes RSA keys) and for the key rows below.
  const pkiRsa = await openPki({ dataDir, env: {} as NodeJS.ProcessEnv, signerKeys: "rsa-2048" });
  const signer = (await pki.signerFor(PERSON)) as KeySigner;
  const rsaSigner = (await pkiRsa.signerFor(PERSON)) as KeySigner;
  const { pdf: ref, label } = await referencePdf();
  const rows: [string, string][] = [];
  const ms = (x: number) => `${x.toFixed(2)} ms`;

  // 1. Ours: one B-T signature with a ready Signer, built-in TSA in-process.
  const ours = await median(100, () => signPdf(ref, { signer, tsa: pki.tsa, signatory: PERSON }));
  rows.push([`Paraphe B-T, Signer prêt (${label}, ${(ref.length / 1024).toFixed(0)} Kio)`, ms(ours)]);
  const viaPdfLib = await median(20, () => signPdfWith("pdf-lib", ref, { signer, tsa: pki.tsa, signatory: PERSON }));
  rows.push(["  même signature par le repli @cantoo/pdf-lib (entrées inhabituelles)", ms(viaPdfLib)]);
  const withKey = await median(10, async () => signPdf(ref, { signer: await pkiRsa.signerFor(PERSON), tsa: pki.tsa, signatory: PERSON }), 2);
  rows.push(["Paraphe B-T + clé RSA-2048 et certificat émis pour la signature (avant)", ms(withKey)]);
  const withEcKey = await median(50, async () => signPdf(ref, { signer: await pki.signerFor(PERSON), tsa: pki.tsa, signatory: PERSON }), 5);
  rows.push(["Paraphe B-T + clé ECDSA P-256 et certificat émis pour la signature (portail)", ms(withEcKey)]);
  rows.push(...(await signerKeyRows(pki, pkiRsa)));

  // 2. @signpdf (plain pdf-lib placeholder + P12 signer, no timestamp: B-B at best).
  const { SignPdf } = await import("@signpdf/signpdf");
  const { P12Signer } = await import("@signpdf/signer-p12");
  const { pdflibAddPlaceholder } = await import("@signpdf/placeholder-pdf-lib");
  const plainPdfLib = await import("pdf-lib");
  const keyPem = (rsaSigner as unknown as { privateKey: import("node:crypto").KeyObject }).privateKey
    .export({ type: "pkcs8", format: "pem" })
    .toString();
  const p12 = forge.asn1
    .toDer(
      forge.pkcs12.toPkcs12Asn1(
        forge.pki.privateKeyFromPem(keyPem),
        rsaSigner.certificateChain.map((c) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(c).toString("binary")))),
        "bench",
        { algorithm: "3des" },
      ),
    )
    .getBytes();
  // P12Signer consumes its forge buffer on sign(): one instance per signature.
  const p12Bytes = Buffer.from(p12, "binary");
  const signpdf = new SignPdf();
  const signpdfRun = async () => {
    const doc = await plainPdfLib.PDFDocument.load(ref);
    pdflibAddPlaceholder({ pdfDoc: doc, reason: "bench", contactInfo: PERSON.email, name: PERSON.name, location: "Paris" });
    const bytes = await doc.save({ useObjectStreams: false });
    return signpdf.sign(Buffer.from(bytes), new P12Signer(p12Bytes, { passphrase: "bench" }));
  };
  const theirs = await median(30, signpdfRun);
  rows.push(["@signpdf/signpdf + placeholder-pdf-lib + signer-p12 (B-B)", ms(theirs)]);

  // 3. @libpdf/core, B-T with the same built-in TSA and a node:crypto signer.
  const libpdf = await import("@libpdf/core");
  const libSigner = {
    certificate: rsaSigner.certificateChain[0],
    certificateChain: rsaSigner.certificateChain.slice(1),
    keyType: "RSA" as const,
    signatureAlgorithm: "RSASSA-PKCS1-v1_5" as const,
    sign: async (data: Uint8Array) => new Uint8Array(cryptoSign("sha256", data, keyPem)),
  };
  const libTsa = { timestamp: (digest: Uint8Array) => pki.tsa.timestamp(digest) };
  const libRun = async () => {
    const doc = await libpdf.PDF.load(ref);
    return doc.sign({ signer: libSigner, level: "B-T", timestampAuthority: libTsa, reason: "bench", fieldName: "signature-1" });
  };
  let lib = NaN;
  try {
    lib = await median(30, libRun);
    rows.push(["@libpdf/core 0.4.2 (B-T, même TSA)", ms(lib)]);
  } catch (e) {
    rows.push(["@libpdf/core 0.4.2", `échec: ${(e as Error).message}`]);
  }
  const oursRsa = await median(100, () => signPdf(ref, { signer: rsaSigner, tsa: pki.tsa, signatory: PERSON }));
  rows.push(["Paraphe B-T, Signer RSA-2048 prêt (même clé que les deux lignes ci-dessus)", ms(oursRsa)]);
  rows.push(["Rapport @signpdf / Paraphe (objectif ≥ 5)", `${(theirs / ours).toFixed(1)}×`]);
  rows.push(["Rapport @libpdf / Paraphe (objectif ≥ 1)", `${(lib / ours).toFixed(2)}×`]);

  // 4. 100-page document vs file size.
  const big = (await makeSignablePdf({ pages: 100, signatures: 2 })).pdf;
  const small = (await makeSignablePdf({ pages: 5, signatures: 2 })).pdf;
  const tBig = await median(20, () => signPdf(big, { signer, tsa: pki.tsa, signatory: PERSON }));
  const tSmall = await median(20, () => signPdf(small, { signer, tsa: pki.tsa, signatory: PERSON }));
  rows.push([`PDF de test 5 pages (${(small.length / 1024).toFixed(0)} Kio)`, ms(tSmall)]);
  rows.push([`PDF de test 100 pages (${(big.length / 1024).toFixed(0)} Kio)`, ms(tBig)]);
  rows.push(["  croissance temps / croissance taille (objectif ≤ 1)", `${(tBig / tSmall / (big.length / small.length)).toFixed(2)}`]);

  // 5. 1st vs 10th signature on one document.
  const ten = (await makeSignablePdf({ pages: 5, signatures: 10 })).pdf;
  const perIndex: number[][] = Array.from({ length: 10 }, () => []);
  for (let round = 0; round < 32; round++) {
    let cur = ten;
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      cur = (await signPdf(cur, { signer, tsa: pki.tsa, signatory: PERSON })).pdf;
      if (round >= 2) perIndex[i].push(performance.now() - t);
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const first = med(perIndex[0]);
  const tenth = med(perIndex[9]);
  rows.push(["1re signature sur un document à 10 emplacements", ms(first)]);
  rows.push(["10e signature sur le même document", ms(tenth)]);
  rows.push(["  rapport 10e / 1re (objectif ≤ 1,5)", `${(tenth / first).toFixed(2)}`]);

  // 6. Verifying a three-signature document.
  let three = (await makeSignablePdf({ pages: 5, signatures: 3 })).pdf;
  for (let i = 0; i < 3; i++) three = (await signPdf(three, { signer, tsa: pki.tsa, signatory: PERSON })).pdf;
  let three2 = ref;
  const trusted = pki.trustedCertificates();
  const tVerify = await median(30, async () => {
    const r = await verifyPdf(three, { trusted });
    if (!r.ok) throw new Error("verification failed");
  });
  rows.push(["Vérification d'un document à 3 signatures (objectif ≤ 20 ms)", ms(tVerify)]);
  three2 = (await signPdf(three2, { signer, tsa: pki.tsa, signatory: PERSON })).pdf;
  three2 = (await signPdf(three2, { signer, tsa: pki.tsa, signatory: PERSON })).pdf;
  const tVerify2 = await median(30, () => verifyPdf(three2, { trusted }));
  rows.push([`Vérification ${label} signée 2 fois`, ms(tVerify2)]);

  clearInterval(sampler);
  rows.push(["Mémoire résidente maximale (échantillonnée / maxRSS)", `${(peakRss / 2 ** 20).toFixed(0)} Mio / ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} Mio`]);
  rows.push(["Objectif ≤ 5 ms (B-T, Signer prêt)", ours <= 5 ? "atteint" : "NON atteint"]);

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`Node ${process.version}, ${os.cpus().length} vCPU (${os.cpus()[0]?.model ?? "?"})`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
