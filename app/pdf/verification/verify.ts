// Verifier for the portal's signed PDFs (and PAdES/PKCS#7 signatures in general).
// Resists the known attacks (pdf-insecurity.org): each ByteRange must start at 0 and its single
// gap be exactly this signature's /Contents (whatever the key order); each signature must end
// its revision. Revisions are resolved as a viewer resolves them, through their xref chains
// (pdf-resolve.ts), and what a later revision changes is judged on the resolved objects from
// the catalog down (revision-diff.ts: pyHanko's allowed changes). The CMS digest, signature,
// chain and timestamp imprint are all checked. Any failed check makes the signature INVALID.
import { createHash, type X509Certificate } from "node:crypto";
import { Dict, PdfFile, PdfStructureError, Ref, Str, formFields, strBytes, textOf, valueSpans, type Revision } from "./pdf-resolve";
import { disallowedChanges } from "./revision-diff";
import { whole } from "../pki/der";
import { attr, checkSigner, OID, parseSignedData, type ParsedSignedData, sha256 } from "../pki/cms";
import { missingValidationData, readValidationData, subjectField, toCerts, validateChain, verifyToken, type ValidationData } from "../pki/trust";
import { parsePdfDate } from "../core/pdf-writer";
import { derToPem } from "../pki/pki";

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
  /**
   * The signed bytes are this signature's own, unchanged, its cryptographic signature holds and no
   * later revision changed what it signed (its INTEGRITY_CHECKS all passed), whatever the trust in
   * its authority.
   */
  intact: boolean;
  /** Intact, but its authority is not one the verifier trusts: « valide, autorité non reconnue ». */
  intactButUntrusted: boolean;
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

// ------------------------------------------------------------------ PDF helpers

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

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

/** Bounds on what one verification examines (issue 9: 150 fake fields took 65 s and 3.4 GB). */
export const VERIFY_LIMITS = {
  signatures: 40,
  fields: 2000,
  /** Decoded bytes of one DSS stream (a certificate or a CRL). */
  dssStreamBytes: 8 * 1024 * 1024,
};

interface RawSig {
  fieldName: string;
  /** The signature dictionary, as the final revision's xref resolves it. */
  dict: Dict;
  ref?: Ref;
  byteRange: number[] | undefined;
  contents: Buffer | undefined;
  subFilter?: string;
  type?: string;
}

/** Filled signature fields of the revision (the whole file: what a viewer lists). */
function readSignatures(rev: Revision): RawSig[] {
  const out: RawSig[] = [];
  for (const f of formFields(rev, VERIFY_LIMITS.fields)) {
    if (f.ft !== "Sig") continue;
    const item = f.field.get("V");
    const v = rev.dict(item);
    if (!v) continue;
    const arr = rev.array(v.get("ByteRange"))?.map((x) => rev.resolve(x));
    const byteRange =
      arr && arr.length === 4 && arr.every((n): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0) ? arr : undefined;
    const contents = rev.resolve(v.get("Contents"));
    out.push({
      fieldName: f.name,
      dict: v,
      ref: item instanceof Ref ? item : undefined,
      byteRange,
      contents: contents instanceof Str ? strBytes(contents) : undefined,
      subFilter: rev.name(v.get("SubFilter")),
      type: rev.name(v.get("Type")),
    });
  }
  return out;
}

/** DSS certificates and CRLs of a revision, each decoded under a cap (PdfStructureError "too-large"). */
function dssContents(rev: Revision): { certs: Uint8Array[]; crls: Uint8Array[] } | undefined {
  const dss = rev.dict(rev.catalog().get("DSS"));
  if (!dss) return undefined;
  const streams = (key: string) =>
    (rev.array(dss.get(key)) ?? []).flatMap((item) => {
      const d = rev.dict(item);
      return d && d.streamAt !== undefined ? [new Uint8Array(rev.streamData(d, VERIFY_LIMITS.dssStreamBytes))] : [];
    });
  return { certs: streams("Certs"), crls: streams("CRLs") };
}

/**
 * Checks that the gap [br1, br2) is exactly the /Contents value of this signature's dictionary
 * as its own revision resolves it (whatever the key order), and that this dictionary's
 * /ByteRange is `br`. Returns an error message, or undefined when it holds.
 */
function gapError(rev: Revision, raw: RawSig, br: number[], gap: string): string | undefined {
  if (!/^<[0-9A-Fa-f]*>$/.test(gap) || gap.length % 2 !== 0) return "l'intervalle n'est pas une chaîne hexadécimale";
  const field = formFields(rev, VERIFY_LIMITS.fields).find((f) => f.name === raw.fieldName);
  const v = field?.field.get("V");
  if (!(v instanceof Ref) || !raw.ref || v.num !== raw.ref.num) return "signature absente de sa propre révision";
  const spans = valueSpans(rev, v.num, ["Contents", "ByteRange"]);
  const c = spans.get("Contents");
  if (!c || c.start !== br[1] || c.end !== br[2]) return "l'intervalle n'est pas la valeur /Contents de ce dictionnaire de signature";
  const own = rev.array(rev.dict(v)?.get("ByteRange"))?.map((x) => rev.resolve(x));
  if (!own || own.length !== 4 || own.some((n, i) => n !== br[i])) return "/ByteRange différent dans la révision signée";
  if (!raw.contents || !raw.contents.equals(Buffer.from(gap.slice(1, -1), "hex"))) return "/Contents différent dans la révision finale";
  return undefined;
}

// ------------------------------------------------------------------ verification

/**
 * The checks that say a signature's bytes and cryptography hold (as opposed to trust in its
 * authority, its timestamp or its format): each must be present and passed for `intact`, besides
 * `digestOk` and `signatureOk` (for a document timestamp: its imprint and its token's signature).
 */
export const INTEGRITY_CHECKS = {
  signature: ["byterange", "gap", "revision", "digest", "cms-signature", "changes"],
  "document-timestamp": ["byterange", "gap", "revision", "changes"],
} as const satisfies Record<SignatureReport["kind"], readonly string[]>;

function isIntact(r: SignatureReport): boolean {
  const ids = INTEGRITY_CHECKS[r.kind] as readonly string[];
  return ids.every((id) => r.checks.some((c) => c.id === id)) && r.checks.every((c) => c.ok || !ids.includes(c.id)) && r.digestOk && r.signatureOk;
}

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
  // The document as a viewer resolves it: the whole file through its xref chain.
  const file = new PdfFile(bytes);
  const revisions = new Map<number, Revision>();
  const revisionAt = (end: number): Revision => {
    let rev = revisions.get(end);
    if (!rev) revisions.set(end, (rev = file.revision(end)));
    return rev;
  };
  let final: Revision;
  let raws: RawSig[];
  try {
    final = revisionAt(bytes.length);
    raws = readSignatures(final);
  } catch (e) {
    if (!(e instanceof PdfStructureError)) throw e;
    if (e.code === "limits") check(documentChecks, "limits", false, "Document dans les limites vérifiables", e.message);
    else if (e.code === "xref" || e.code === "xref-loop") check(documentChecks, "xref", false, "Table des références croisées cohérente", e.message);
    else check(documentChecks, "parse", false, "Le PDF est lisible", e.message);
    return report;
  }
  const s = latin1(bytes);
  const ends = revisionEnds(s);
  const trust = toCerts(opts.trusted, "certificat de confiance");
  check(documentChecks, "trust-anchors", trust.errors.length === 0, "Certificats de confiance lisibles", trust.errors.join("; "));
  const anchors = trust.certs;
  if (!check(documentChecks, "signed", raws.length > 0, "Le document porte au moins une signature")) return report;
  if (
    !check(documentChecks, "signature-limit", raws.length <= VERIFY_LIMITS.signatures, "Nombre de signatures dans la limite vérifiable", `${raws.length} signatures, maximum ${VERIFY_LIMITS.signatures}`)
  )
    return report;

  // DSS streams are decoded under a cap (a 4 MB deflate can inflate to 4 GiB).
  const dssOf = (rev: Revision) => {
    try {
      return dssContents(rev);
    } catch (e) {
      if (!(e instanceof PdfStructureError)) throw e;
      check(documentChecks, e.code === "too-large" ? "dss-size" : "dss-read", false, e.code === "too-large" ? "Flux de données de validation trop volumineux" : "Données de validation (DSS) lisibles", e.message);
      return undefined;
    }
  };
  const dss = dssOf(final);
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
      name: textOf(final.resolve(raw.dict.get("Name"))),
      reason: textOf(final.resolve(raw.dict.get("Reason"))),
      location: textOf(final.resolve(raw.dict.get("Location"))),
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
      intact: false,
      intactButUntrusted: false,
    };
    const m = textOf(final.resolve(raw.dict.get("M")));
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
    // The signed revision, resolved as a viewer would: its /Contents must be the gap, key order free.
    let gapProblem: string | undefined;
    let revisionProblem: string | undefined;
    try {
      gapProblem = gapError(revisionAt(r.revisionEnd), raw, br, gap);
    } catch (e) {
      if (!(e instanceof PdfStructureError)) throw e;
      gapProblem = revisionProblem = e.message;
    }
    const gapOk = gapProblem === undefined;
    check(checks, "gap", gapOk, "L'intervalle non signé est exactement le /Contents de cette signature", gapProblem);
    check(checks, "revision", ends.has(r.revisionEnd) && !revisionProblem, "La plage signée se termine à la fin d'une révision", revisionProblem);
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
  // Each signed revision is compared with the next signed one, the last with the whole file:
  // resolved objects from the catalog down (revision-diff.ts). A difference outside the allowed
  // list fails every signature it follows. Revisions are released once compared.
  const boundaries = [...new Set([...sigs.map((x) => x.revisionEnd), bytes.length])]
    .filter((e) => e > 0 && e <= bytes.length)
    .sort((a, b) => a - b);
  const lastSigEnd = sigs.length ? sigs[sigs.length - 1].revisionEnd : 0;
  const changes: { from: number; errors: string[] }[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const [from, to] = [boundaries[i], boundaries[i + 1]];
    let errors: string[];
    try {
      errors = disallowedChanges(revisionAt(from), revisionAt(to));
    } catch (e) {
      if (!(e instanceof PdfStructureError)) throw e;
      errors = [`révision illisible: ${e.message}`];
    }
    changes.push({ from, errors: errors.map((x) => `révision ${from}–${to} : ${x}`) });
    revisions.delete(from);
  }
  for (const r of sigs) {
    if (r.revisionEnd > bytes.length) continue;
    const errs = changes.filter((c) => c.from >= r.revisionEnd).flatMap((c) => c.errors);
    check(r.checks, "changes", errs.length === 0, "Aucune modification non autorisée après cette signature", errs.slice(0, 5).join("; "));
  }
  const trailingErrors = changes.find((c) => c.from === lastSigEnd)?.errors ?? [];
  report.lastCoversDocument = lastSigEnd === bytes.length || (lastSigEnd > 0 && trailingErrors.length === 0 && /%%EOF\s*$/.test(s.slice(lastSigEnd)));
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
          data = readValidationData(dssOf(revisionAt(t.revisionEnd)));
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
    r.intact = isIntact(r);
    r.intactButUntrusted = r.intact && !r.trusted;
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
