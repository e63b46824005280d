// Verifier for the portal's signed PDFs (and PAdES/PKCS#7 signatures in general).
// Resists the known attacks (pdf-insecurity.org): each ByteRange must start at 0 and its single
// gap be exactly this signature's /Contents; each signature must end its revision; revisions
// after a signature may only fill signature fields (or, after the last one, add validation
// data: DSS and document timestamps); the CMS digest, signature, chain and timestamp imprint are
// all checked. Any failed check makes the signature INVALID.
import { createHash, type X509Certificate } from "node:crypto";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, PDFString, ParseSpeeds, decodePDFRawStream } from "@cantoo/pdf-lib";
import { whole } from "./der";
import { attr, checkSigner, OID, parseSignedData, type ParsedSignedData, sha256 } from "./cms";
import { missingValidationData, readValidationData, subjectField, toCerts, validateChain, verifyToken, type ValidationData } from "./trust";
import { signatureFields } from "./sign";
import { parsePdfDate } from "./stamp";
import { derToPem } from "./pki";

export type PadesLevel = "B-B" | "B-T" | "B-LT" | "B-LTA";

export interface Check {
  id: string;
  ok: boolean;
  label: string;
  detail?: string;
}

export interface SignatureReport {
  index: number;
  fieldName: string;
  kind: "signature" | "document-timestamp";
  subFilter?: string;
  signer?: { commonName?: string; organisation?: string; email?: string; issuer?: string; serial?: string };
  name?: string;
  reason?: string;
  location?: string;
  claimedTime?: string; // ISO, from /M
  timestampTime?: string; // ISO, from the RFC 3161 token
  timestampAuthority?: string;
  byteRange: number[];
  revisionEnd: number;
  coversWholeDocument: boolean;
  digestOk: boolean;
  signatureOk: boolean;
  trusted: boolean;
  timestampOk: boolean | null; // null: no signature timestamp
  level: PadesLevel | null;
  checks: Check[];
  valid: boolean;
}

export interface VerificationReport {
  ok: boolean; // every signature valid and trusted, last one covering the document
  size: number;
  sha256: string;
  signatures: SignatureReport[];
  documentChecks: Check[];
  lastCoversDocument: boolean;
}

export interface VerifyOptions {
  /** Certificates to trust (DER or PEM text): the portal CA, TSA roots… */
  trusted: (Uint8Array | string)[];
  maxBytes?: number;
  /** Validation time for signatures without a valid timestamp; default now. */
  now?: Date;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** SHA-256 of the bytes covered by a ByteRange (what the signature's messageDigest is over). */
export function coveredDigest(bytes: Uint8Array, br: number[]): Uint8Array {
  return sha256([bytes.subarray(br[0], br[0] + br[1]), bytes.subarray(br[2], br[2] + br[3])]);
}

// ------------------------------------------------------------------ PDF helpers

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

const text = (o: unknown): string | undefined =>
  o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined;

/** Hex text of a string object (no decoding of the long /Contents hex: compared as text). */
const hexOf = (o: unknown): string | undefined =>
  o instanceof PDFHexString ? o.asString().toLowerCase() : o instanceof PDFString ? Buffer.from(o.asBytes()).toString("hex") : undefined;

/** Offsets just after each `%%EOF` (and its end-of-line). */
function revisionEnds(s: string): Set<number> {
  const ends = new Set<number>();
  for (let i = s.indexOf("%%EOF"); i >= 0; i = s.indexOf("%%EOF", i + 5)) {
    let e = i + 5;
    ends.add(e);
    if (s[e] === "\r") ends.add(++e);
    if (s[e] === "\n") ends.add(++e);
  }
  return ends;
}

async function loadDoc(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest, ignoreEncryption: true });
}

interface RawSig {
  fieldName: string;
  dict: PDFDict;
  byteRange: number[] | undefined;
  contentsHex: string | undefined;
  subFilter?: string;
  type?: string;
}

function readSignatures(doc: PDFDocument): RawSig[] {
  const out: RawSig[] = [];
  for (const f of signatureFields(doc)) {
    const v = f.field.lookupMaybe(PDFName.of("V"), PDFDict);
    if (!v) continue;
    const brArr = v.lookupMaybe(PDFName.of("ByteRange"), PDFArray);
    let byteRange: number[] | undefined;
    if (brArr && brArr.size() === 4) {
      byteRange = [];
      for (let i = 0; i < 4; i++) {
        const n = brArr.lookupMaybe(i, PDFNumber)?.asNumber();
        if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
          byteRange = undefined;
          break;
        }
        byteRange.push(n);
      }
    }
    out.push({
      fieldName: f.name,
      dict: v,
      byteRange,
      contentsHex: hexOf(v.lookup(PDFName.of("Contents"))),
      subFilter: v.lookupMaybe(PDFName.of("SubFilter"), PDFName)?.decodeText(),
      type: v.lookupMaybe(PDFName.of("Type"), PDFName)?.decodeText(),
    });
  }
  return out;
}

function dssContents(doc: PDFDocument): { certs: Uint8Array[]; crls: Uint8Array[] } | undefined {
  const dss = doc.catalog.lookupMaybe(PDFName.of("DSS"), PDFDict);
  if (!dss) return undefined;
  const streams = (key: string) => {
    const arr = dss.lookupMaybe(PDFName.of(key), PDFArray);
    const out: Uint8Array[] = [];
    for (let i = 0; arr && i < arr.size(); i++) {
      const s = arr.lookup(i);
      if (s instanceof PDFRawStream) out.push(decodePDFRawStream(s).decode());
      else if (s instanceof PDFStream) out.push(s.getContents());
    }
    return out;
  };
  return { certs: streams("Certs"), crls: streams("CRLs") };
}

// ------------------------------------------------------------------ revision diff

const ser = (o: unknown) => (o === undefined ? "" : String(o));

function isSigFieldOrWidget(d: PDFDict | undefined): boolean {
  if (!d) return false;
  if (d.lookupMaybe(PDFName.of("FT"), PDFName)?.decodeText() === "Sig") return true;
  const parent = d.lookupMaybe(PDFName.of("Parent"), PDFDict);
  return parent?.lookupMaybe(PDFName.of("FT"), PDFName)?.decodeText() === "Sig";
}

/**
 * What an increment (the bytes between two revision ends) changes. Allowed: new objects, and
 * existing ones changed only as signing does (a signature field's /V and /AP, the catalog's
 * /AcroForm and /DSS, page /Annots and form /Fields growing with signature fields). `trailing`:
 * the increment is after the last signature; new annotations must then be invisible.
 */
function checkIncrement(prev: PDFDocument, next: PDFDocument, increment: string, trailing: boolean): string[] {
  const errors: string[] = [];
  if (ser(prev.context.trailerInfo.Root) !== ser(next.context.trailerInfo.Root)) errors.push("catalogue remplacé");
  if (prev.getPageCount() !== next.getPageCount()) errors.push("nombre de pages modifié");
  if (/\/Type\s*\/XRef\b/.test(increment)) errors.push("révision avec flux de références croisées (non analysable)");
  for (const m of increment.matchAll(/(?:^|[\r\n])(\d{10}) (\d{5}) f/g))
    if (m[1] !== "0000000000" || m[2] !== "65535") errors.push("objet supprimé par une révision");

  const addedOk = (item: unknown, ctxDoc: PDFDocument): boolean => {
    const d = ctxDoc.context.lookupMaybe(item as PDFRef, PDFDict);
    if (!isSigFieldOrWidget(d)) return false;
    if (!trailing) return true;
    const rect = d!.lookupMaybe(PDFName.of("Rect"), PDFArray)?.asRectangle();
    const hidden = ((d!.lookupMaybe(PDFName.of("F"), PDFNumber)?.asNumber() ?? 0) & 2) !== 0;
    return hidden || !rect || rect.width * rect.height === 0;
  };
  const superset = (a: PDFArray | undefined, b: PDFArray | undefined, what: string) => {
    const before = new Set((a?.asArray() ?? []).map(ser));
    const after = b?.asArray() ?? [];
    const afterSet = new Set(after.map(ser));
    for (const x of before) if (!afterSet.has(x)) errors.push(`${what}: élément retiré`);
    for (const x of after) if (!before.has(ser(x)) && !addedOk(x, next)) errors.push(`${what}: ajout non autorisé`);
  };
  const sameExcept = (a: PDFDict, b: PDFDict, allowed: string[], what: string) => {
    const keys = new Set([...a.keys(), ...b.keys()].map((k) => k.asString()));
    for (const k of keys) {
      if (allowed.includes(k)) continue;
      if (ser(a.get(PDFName.of(k.slice(1)))) !== ser(b.get(PDFName.of(k.slice(1)))))
        errors.push(`${what}: ${k} modifié`);
    }
  };

  const seen = new Set<number>();
  for (const m of increment.matchAll(/(?:^|[\s>])(\d+)\s+(\d+)\s+obj\b/g)) {
    const num = Number(m[1]);
    if (seen.has(num)) continue;
    seen.add(num);
    const ref = PDFRef.of(num, Number(m[2]));
    const old = prev.context.lookup(ref);
    if (old === undefined) continue; // a new object: only reachable through checked changes
    const nw = next.context.lookup(ref);
    const what = `objet ${num}`;
    if (old instanceof PDFStream || nw instanceof PDFStream || !nw) {
      errors.push(`${what} (flux) modifié`);
    } else if (old instanceof PDFArray && nw instanceof PDFArray) {
      superset(old, nw, what);
    } else if (old instanceof PDFDict && nw instanceof PDFDict) {
      const type = old.lookupMaybe(PDFName.of("Type"), PDFName)?.decodeText();
      if (old === prev.catalog || type === "Catalog") {
        sameExcept(old, nw, ["/AcroForm", "/DSS"], "catalogue");
        const fa = old.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
        const fb = nw.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
        if (fa && fb) {
          sameExcept(fa, fb, ["/Fields", "/SigFlags"], "formulaire");
          superset(fa.lookupMaybe(PDFName.of("Fields"), PDFArray), fb.lookupMaybe(PDFName.of("Fields"), PDFArray), "champs");
        }
      } else if (type === "Page") {
        sameExcept(old, nw, ["/Annots"], `page (${what})`);
        superset(old.lookupMaybe(PDFName.of("Annots"), PDFArray), nw.lookupMaybe(PDFName.of("Annots"), PDFArray), "annotations");
      } else if (isSigFieldOrWidget(old)) {
        sameExcept(old, nw, ["/V", "/AP"], `champ de signature (${what})`);
        if (old.has(PDFName.of("V")) && ser(old.get(PDFName.of("V"))) !== ser(nw.get(PDFName.of("V"))))
          errors.push(`${what}: signature existante remplacée`);
        if (trailing && !old.has(PDFName.of("V")) && nw.has(PDFName.of("V")) && !addedOk(ref, next))
          errors.push(`${what}: champ visible rempli après la dernière signature`);
      } else if (old.has(PDFName.of("Fields"))) {
        sameExcept(old, nw, ["/Fields", "/SigFlags"], "formulaire");
        superset(old.lookupMaybe(PDFName.of("Fields"), PDFArray), nw.lookupMaybe(PDFName.of("Fields"), PDFArray), "champs");
      } else {
        errors.push(`${what} modifié`);
      }
    } else {
      errors.push(`${what} modifié`);
    }
  }
  return errors;
}

// ------------------------------------------------------------------ verification

const check = (checks: Check[], id: string, ok: boolean, label: string, detail?: string) => {
  checks.push({ id, ok, label, ...(detail ? { detail } : {}) });
  return ok;
};

export async function verifyPdf(bytes: Uint8Array, opts: VerifyOptions): Promise<VerificationReport> {
  try {
    return await verifyUnsafe(bytes, opts);
  } catch (e) {
    // A malformed document is INVALID, never an exception for the caller.
    const report: VerificationReport = {
      ok: false,
      size: bytes.length,
      sha256: sha256Hex(bytes),
      signatures: [],
      documentChecks: [{ id: "parse", ok: false, label: "Le PDF est lisible", detail: (e as Error).message }],
      lastCoversDocument: false,
    };
    return report;
  }
}

async function verifyUnsafe(bytes: Uint8Array, opts: VerifyOptions): Promise<VerificationReport> {
  const documentChecks: Check[] = [];
  const report: VerificationReport = {
    ok: false,
    size: bytes.length,
    sha256: sha256Hex(bytes),
    signatures: [],
    documentChecks,
    lastCoversDocument: false,
  };
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!check(documentChecks, "size", bytes.length <= max, "Taille du fichier acceptée", `${bytes.length} octets, maximum ${max}`))
    return report;
  if (!check(documentChecks, "magic", latin1(bytes.subarray(0, 5)) === "%PDF-", "Le fichier est un PDF")) return report;
  let doc: PDFDocument;
  try {
    doc = await loadDoc(bytes);
  } catch (e) {
    check(documentChecks, "parse", false, "Le PDF est lisible", (e as Error).message);
    return report;
  }
  const s = latin1(bytes);
  const ends = revisionEnds(s);
  const trust = toCerts(opts.trusted, "certificat de confiance");
  check(documentChecks, "trust-anchors", trust.errors.length === 0, "Certificats de confiance lisibles", trust.errors.join("; "));
  const anchors = trust.certs;
  const raws = readSignatures(doc);
  if (!check(documentChecks, "signed", raws.length > 0, "Le document porte au moins une signature")) return report;

  const dss = dssContents(doc);
  const validation = readValidationData(dss);
  if (dss) check(documentChecks, "dss", validation.errors.length === 0, "Données de validation (DSS) lisibles", validation.errors.join("; "));
  const { certs: dssCerts, crls } = validation;
  const now = opts.now ?? new Date();
  // Per signature: its certification path and signing time, for the B-LT/B-LTA level.
  const longTerm = new Map<SignatureReport, { path: X509Certificate[]; at: Date }>();

  for (const raw of raws) {
    const checks: Check[] = [];
    const br = raw.byteRange;
    const isDocTs = raw.subFilter === "ETSI.RFC3161";
    const r: SignatureReport = {
      index: 0,
      fieldName: raw.fieldName,
      kind: isDocTs ? "document-timestamp" : "signature",
      subFilter: raw.subFilter,
      name: text(raw.dict.lookup(PDFName.of("Name"))),
      reason: text(raw.dict.lookup(PDFName.of("Reason"))),
      location: text(raw.dict.lookup(PDFName.of("Location"))),
      byteRange: br ?? [],
      revisionEnd: br ? br[2] + br[3] : 0,
      coversWholeDocument: false,
      digestOk: false,
      signatureOk: false,
      trusted: false,
      timestampOk: null,
      level: null,
      checks,
      valid: false,
    };
    const m = text(raw.dict.lookup(PDFName.of("M")));
    const claimed = m ? parsePdfDate(m) : undefined;
    if (claimed) r.claimedTime = claimed.toISOString();
    report.signatures.push(r);

    // --- ByteRange and gap
    const brOk =
      !!br && br[0] === 0 && br[1] > 0 && br[2] > br[1] + 1 && br[2] + br[3] <= bytes.length && br[3] >= 0;
    check(checks, "byterange", brOk, "Plage signée (ByteRange) commençant à 0 et dans le fichier", br ? `[${br.join(" ")}]` : "absente");
    if (!brOk || !br) continue;
    r.coversWholeDocument = r.revisionEnd === bytes.length;
    const gap = s.slice(br[1], br[2]);
    const gapIsHex = /^<[0-9A-Fa-f]*>$/.test(gap) && gap.length % 2 === 0;
    const before = s.slice(Math.max(0, br[1] - 64), br[1]);
    const brText = new RegExp(`/ByteRange\\s*\\[\\s*0\\s+${br[1]}\\s+${br[2]}\\s+${br[3]}\\s*\\]`);
    const dictStart = s.lastIndexOf(" obj", br[1]);
    const gapOk =
      gapIsHex &&
      /\/Contents\s*$/.test(before) &&
      dictStart >= 0 &&
      brText.test(s.slice(dictStart, br[1])) &&
      raw.contentsHex === gap.slice(1, -1).toLowerCase();
    check(checks, "gap", gapOk, "L'intervalle non signé est exactement le /Contents de cette signature");
    check(checks, "revision", ends.has(r.revisionEnd), "La plage signée se termine à la fin d'une révision");
    if (!gapOk) continue;
    const contents = new Uint8Array(Buffer.from(gap.slice(1, -1), "hex"));

    // --- CMS
    let sd: ParsedSignedData;
    try {
      sd = parseSignedData(contents);
      const padding = contents.subarray(sd.der.length);
      check(checks, "padding", padding.every((b) => b === 0), "Remplissage de /Contents nul");
    } catch (e) {
      check(checks, "cms", false, "Structure CMS lisible", (e as Error).message);
      continue;
    }
    const ranges = [bytes.subarray(0, br[1]), bytes.subarray(br[2], br[2] + br[3])];
    const own = toCerts(sd.certificates, "certificat de la signature");
    check(checks, "certificates", own.errors.length === 0, "Certificats de la signature lisibles", own.errors.join("; "));
    const pool = [...own.certs, ...dssCerts];

    if (isDocTs) {
      const ts = verifyToken(contents.subarray(0, sd.der.length), sha256(ranges), pool, anchors, crls, now);
      r.digestOk = ts.imprintOk;
      r.signatureOk = ts.signatureOk;
      r.trusted = ts.ok;
      r.timestampOk = ts.ok;
      if (ts.time) r.timestampTime = ts.time.toISOString();
      r.timestampAuthority = ts.authority;
      check(checks, "doc-timestamp", ts.ok, "Horodatage du document valide et de confiance", ts.errors.join("; "));
      continue;
    }

    check(checks, "subfilter", raw.subFilter === "ETSI.CAdES.detached" || raw.subFilter === "adbe.pkcs7.detached", "Format de signature pris en charge", raw.subFilter);
    check(checks, "detached", sd.eContentType === OID.data && !sd.eContent, "Signature détachée sur les octets du document");
    const sc = checkSigner(sd, ranges);
    r.digestOk = sc.digestOk;
    r.signatureOk = sc.signatureOk;
    check(checks, "digest", sc.digestOk, "Empreinte des octets signés conforme (messageDigest)");
    check(checks, "cms-signature", sc.signatureOk, "Signature cryptographique valide", sc.errors.join("; "));
    check(checks, "signing-certificate", sc.signingCertificateOk, "Attribut signing-certificate(-v2) conforme au certificat");
    if (sc.certificate) {
      const c = sc.certificate;
      r.signer = {
        commonName: subjectField(c, "CN"),
        organisation: subjectField(c, "O"),
        email: subjectField(c, "emailAddress") ?? c.subjectAltName?.match(/email:([^,\s]+)/)?.[1],
        issuer: c.issuer.split("\n").find((l) => l.startsWith("CN="))?.slice(3),
        serial: c.serialNumber,
      };
    }

    // --- signature timestamp (B-T)
    const si = sd.signerInfos[0];
    const tsAttr = si ? attr(si.unsignedAttrs, OID.signatureTimeStampToken) : undefined;
    let at = now;
    if (tsAttr) {
      const ts = verifyToken(whole(tsAttr.values[0]), sha256(si.signature), pool, anchors, crls, now);
      r.timestampOk = ts.ok;
      if (ts.time) r.timestampTime = ts.time.toISOString();
      r.timestampAuthority = ts.authority;
      check(checks, "timestamp", ts.ok, "Horodatage de la signature valide et de confiance", ts.errors.join("; "));
      if (ts.ok && ts.time) at = ts.time;
    }
    if (sc.certificate) {
      const chain = validateChain(sc.certificate, pool, anchors, at, crls);
      if (chain.ok) longTerm.set(r, { path: chain.path, at });
      r.trusted = chain.ok;
      check(checks, "chain", chain.ok, "Certificat du signataire émis par une autorité de confiance", chain.errors.join("; "));
    } else {
      check(checks, "chain", false, "Certificat du signataire présent");
    }
    // --- level
    const baseline =
      raw.subFilter === "ETSI.CAdES.detached" && !sc.hasSigningTime && !!si && !!attr(si.signedAttrs, OID.signingCertificateV2);
    if (baseline) r.level = r.timestampOk ? "B-T" : "B-B";
  }

  // --- revisions: order, coverage and what later revisions change
  const sigs = report.signatures.filter((x) => x.byteRange.length === 4).sort((a, b) => a.revisionEnd - b.revisionEnd);
  report.signatures.sort((a, b) => a.revisionEnd - b.revisionEnd || a.fieldName.localeCompare(b.fieldName));
  report.signatures.forEach((x, i) => (x.index = i + 1));
  const firstEnd = sigs[0]?.revisionEnd ?? 0;
  const firstStart = Math.max(0, ...[...ends].filter((e) => e < (sigs[0]?.byteRange[1] ?? 0) && e < firstEnd));
  const boundaries = [...new Set([firstStart, ...sigs.map((x) => x.revisionEnd), bytes.length])]
    .filter((e) => e <= bytes.length)
    .sort((a, b) => a - b);
  const lastSigEnd = sigs.length ? sigs[sigs.length - 1].revisionEnd : 0;
  // Scans for objects and xref rows run on a copy with the /Contents hex blanked out.
  let scan = s;
  for (const x of sigs) scan = scan.slice(0, x.byteRange[1]) + " ".repeat(x.byteRange[2] - x.byteRange[1]) + scan.slice(x.byteRange[2]);
  const docs = new Map<number, PDFDocument>([[bytes.length, doc]]);
  const incrementErrors: string[] = [];
  let dssCoveredAt: number | undefined;
  try {
    for (const b of boundaries) if (!docs.has(b) && b > 0) docs.set(b, await loadDoc(bytes.subarray(0, b)));
    for (let i = 1; i < boundaries.length; i++) {
      const prev = docs.get(boundaries[i - 1]);
      const next = docs.get(boundaries[i])!;
      if (!prev) continue;
      const trailing = boundaries[i - 1] >= lastSigEnd;
      const errs = checkIncrement(prev, next, scan.slice(boundaries[i - 1], boundaries[i]), trailing);
      incrementErrors.push(...errs.map((e) => `révision ${boundaries[i - 1]}–${boundaries[i]}: ${e}`));
      if (dssCoveredAt === undefined && next.catalog.has(PDFName.of("DSS"))) dssCoveredAt = boundaries[i];
    }
  } catch (e) {
    incrementErrors.push(`révision illisible: ${(e as Error).message}`);
  }
  check(documentChecks, "increments", incrementErrors.length === 0, "Les révisions postérieures à une signature ne modifient pas le contenu signé", incrementErrors.slice(0, 5).join("; "));
  const trailingOk = lastSigEnd === bytes.length || (incrementErrors.length === 0 && /%%EOF\s*$/.test(s.slice(lastSigEnd)));
  report.lastCoversDocument = lastSigEnd === bytes.length || trailingOk;
  check(documentChecks, "coverage", report.lastCoversDocument, "La dernière signature couvre tout le document (hors données de validation ajoutées par le portail)", lastSigEnd === bytes.length ? undefined : `${bytes.length - lastSigEnd} octets après la dernière signature`);

  // --- B-LT / B-LTA: the DSS holds validation data for THIS signature's chain (its certificates
  // and a CRL from its issuer covering the signing time); B-LTA when the DSS as of a trusted
  // document timestamp's revision already held it.
  const docTs = report.signatures.filter((x) => x.kind === "document-timestamp" && x.trusted && x.checks.every((c) => c.ok));
  const dssAt = new Map<number, ValidationData>();
  for (const r of report.signatures) {
    const lt = longTerm.get(r);
    if (r.kind !== "signature" || r.level !== "B-T" || !lt || !dss) continue;
    if (missingValidationData(lt.path, validation, lt.at, now).length) continue;
    r.level = "B-LT";
    for (const t of docTs) {
      if (t.revisionEnd <= r.revisionEnd || !t.timestampTime) continue;
      let data = dssAt.get(t.revisionEnd);
      if (!data) {
        try {
          data = readValidationData(dssContents(await loadDoc(bytes.subarray(0, t.revisionEnd))));
        } catch {
          data = { certs: [], crls: [], errors: [] }; // unreadable revision: no long-term claim
        }
        dssAt.set(t.revisionEnd, data);
      }
      if (missingValidationData(lt.path, data, lt.at, new Date(t.timestampTime)).length === 0) {
        r.level = "B-LTA";
        break;
      }
    }
  }

  for (const r of report.signatures) {
    r.valid = r.checks.length > 0 && r.checks.every((c) => c.ok) && documentChecks.every((c) => c.ok);
  }
  report.ok = report.signatures.every((x) => x.valid && x.trusted) && report.lastCoversDocument && documentChecks.every((c) => c.ok);
  return report;
}

export { derToPem };

// ------------------------------------------------------------------ French text report

const LEVEL_LABEL: Record<PadesLevel, string> = {
  "B-B": "PAdES B-B (signature de base)",
  "B-T": "PAdES B-T (signature horodatée)",
  "B-LT": "PAdES B-LT (avec données de validation)",
  "B-LTA": "PAdES B-LTA (archivage à long terme)",
};

const frTime = (iso?: string) =>
  iso
    ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "medium", timeZone: "Europe/Paris" }).format(new Date(iso))
    : "—";

/** Human-readable report in French (CLI and logs). */
export function formatReportFr(r: VerificationReport): string {
  const lines: string[] = [];
  lines.push(`Document : ${r.size} octets, SHA-256 ${r.sha256}`);
  lines.push(
    r.ok
      ? `RÉSULTAT : VALIDE — ${r.signatures.length} signature(s) valide(s) et de confiance, la dernière couvre tout le document.`
      : "RÉSULTAT : INVALIDE",
  );
  for (const c of r.documentChecks.filter((c) => !c.ok)) lines.push(`  ✗ ${c.label}${c.detail ? ` (${c.detail})` : ""}`);
  for (const s of r.signatures) {
    lines.push("");
    if (s.kind === "document-timestamp") {
      lines.push(`Horodatage du document n° ${s.index} (${s.fieldName}) : ${s.valid ? "VALIDE" : "INVALIDE"}`);
      lines.push(`  Date de l'horodatage : ${frTime(s.timestampTime)} (${s.timestampAuthority ?? "horodateur inconnu"})`);
    } else {
      lines.push(`Signature n° ${s.index} (${s.fieldName}) : ${s.valid && s.trusted ? "VALIDE" : "INVALIDE"}`);
      const who = s.signer ?? {};
      lines.push(`  Signataire : ${who.commonName ?? s.name ?? "inconnu"}${who.organisation ? `, ${who.organisation}` : ""}${who.email ? ` <${who.email}>` : ""}`);
      if (who.issuer) lines.push(`  Certificat émis par : ${who.issuer}`);
      lines.push(`  Date déclarée (/M) : ${frTime(s.claimedTime)}`);
      lines.push(`  Horodatage : ${s.timestampOk === null ? "aucun" : `${frTime(s.timestampTime)}${s.timestampOk ? "" : " (INVALIDE)"}`}`);
      lines.push(`  Niveau : ${s.level ? LEVEL_LABEL[s.level] : "non conforme aux profils PAdES de base"}`);
    }
    lines.push(`  Couverture : ${s.coversWholeDocument ? "tout le document" : `révision antérieure (${s.revisionEnd} octets sur ${r.size})`}`);
    lines.push(`  Empreinte : ${s.digestOk ? "conforme" : "NON CONFORME"} ; signature : ${s.signatureOk ? "valide" : "INVALIDE"} ; confiance : ${s.trusted ? "oui" : "NON"}`);
    for (const c of s.checks.filter((c) => !c.ok)) lines.push(`  ✗ ${c.label}${c.detail ? ` (${c.detail})` : ""}`);
  }
  return lines.join("\n");
}
