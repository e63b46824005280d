// PAdES B-T signature of one signatory, appended as an incremental update: the output starts
// with the exact bytes of the input (asserted). Pure function: bytes in, bytes out. Callers
// serialize signatures per document.
//
// Hot path (pdf-raw.ts): read only the trailer chain, catalog, AcroForm and signature fields
// through the classic xref tables, and write the new objects, xref section and trailer by
// hand. Inputs it does not handle (xref streams, object streams, hybrid or encrypted files,
// broken offsets, direct field dicts) go through @cantoo/pdf-lib's incremental save instead,
// with the same result.
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFString,
  ParseSpeeds,
} from "@cantoo/pdf-lib";
import { de } from "../../domain/elision";
import type { Bytes } from "../pki/der";
import { attribute, buildSignedData, OID, sha256 } from "../pki/cms";
import type { Signer } from "../pki/signer";
import { checkTimestampToken, TimestampError, type TimestampAuthority } from "../pki/timestamp";
import { buildStamp, rawStampFonts, stampContentStream, type StampContent } from "./stamp";
import { Dict, type NewObject, RawPdf, type RawField, RawUnsupported, Ref, rawSignatureFields, rectOf, serialize, writeIncrement } from "../core/pdf-raw";
import { literalString, pdfDate, textString } from "../core/pdf-writer";

export class SigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningError";
  }
}

export interface SignOptions {
  signer: Signer;
  tsa: TimestampAuthority;
  signatory: { name: string; organisation: string; function?: string; email?: string };
  /** Field to sign; default: the first empty `signature-N` field (lowest N). */
  fieldName?: string;
  reason?: string;
  location?: string;
  /** Claimed signing time (`/M` and stamp); default now. */
  date?: Date;
  delegation?: StampContent["delegation"];
  /** Bytes reserved for the CMS in /Contents. */
  contentsSize?: number;
}

export interface SignResult {
  pdf: Uint8Array;
  fieldName: string;
  signedAt: Date;
  byteRange: [number, number, number, number];
}

/** Last token size seen per TSA: /Contents is reserved close to the real need because every
 * reserved byte is parsed again by each later signature and verification. */
const tokenSizes = new WeakMap<TimestampAuthority, number>();

export function estimateContentsSize(signer: Signer, tsa: TimestampAuthority): number {
  const certs = signer.certificateChain.reduce((n, c) => n + c.length, 0);
  const token = tokenSizes.get(tsa) ?? 6144;
  return certs + token + 1536; // signature value (≤ 512), attributes, SignedData framing
}
const PLACEHOLDER = 9_999_999_999;

export const LOAD_OPTIONS = {
  forIncrementalUpdate: true,
  updateMetadata: false, // no Info/ModDate rewrite: the increment holds only what signing needs
  parseSpeed: ParseSpeeds.Fastest,
} as const;

export function assertPdf(bytes: Uint8Array): void {
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "%PDF-")
    throw new SigningError("ce fichier n'est pas un PDF");
}

export function assertPrefix(out: Uint8Array, input: Uint8Array): void {
  if (out.length <= input.length || Buffer.compare(out.subarray(0, input.length), input) !== 0)
    throw new SigningError("la sauvegarde incrémentale a modifié les octets existants");
}

export interface SignatureField {
  name: string;
  field: PDFDict;
  widget: PDFDict;
  signed: boolean;
}

const str = (o: unknown): string | undefined =>
  o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined;

/** Signature fields of the AcroForm, in the order of the /Fields tree. */
export function signatureFields(doc: PDFDocument): SignatureField[] {
  const acro = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  const out: SignatureField[] = [];
  const fields = acro?.lookupMaybe(PDFName.of("Fields"), PDFArray);
  if (!fields) return out;
  const walk = (arr: PDFArray, prefix: string, inheritedFt: string | undefined, depth: number) => {
    if (depth > 8) return;
    for (let i = 0; i < arr.size(); i++) {
      const d = arr.lookupMaybe(i, PDFDict);
      if (!d) continue;
      const t = str(d.lookup(PDFName.of("T")));
      const name = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t;
      const ft = d.lookupMaybe(PDFName.of("FT"), PDFName)?.asString() ?? inheritedFt;
      const kids = d.lookupMaybe(PDFName.of("Kids"), PDFArray);
      const kidFields = kids && kids.size() > 0 && kids.lookupMaybe(0, PDFDict)?.has(PDFName.of("T"));
      if (kids && kidFields) walk(kids, name, ft, depth + 1);
      else if (ft === "/Sig") {
        const widget = kids ? (kids.lookupMaybe(0, PDFDict) ?? d) : d;
        out.push({ name, field: d, widget, signed: d.has(PDFName.of("V")) });
      }
    }
  };
  walk(fields, "", undefined, 0);
  return out;
}

function pickField<F extends { name: string; signed: boolean }>(fields: F[], wanted?: string): F {
  if (wanted) {
    const f = fields.find((x) => x.name === wanted);
    if (!f) throw new SigningError(`champ de signature introuvable: ${wanted}`);
    if (f.signed) throw new SigningError(`champ déjà signé: ${wanted}`);
    return f;
  }
  const num = (n: string) => Number(n.match(/^signature-(\d+)$/)?.[1] ?? Number.MAX_SAFE_INTEGER);
  const free = fields.filter((f) => !f.signed).sort((a, b) => num(a.name) - num(b.name));
  if (!free.length) throw new SigningError("aucun emplacement de signature libre dans ce document");
  return free[0];
}

/**
 * Runs `fn` with pdf-lib's change tracking off. Building a *new* dict through context.obj()
 * calls set() per key, and each set() scans every object of the document to find a container
 * (O(document) per key): new objects are saved anyway (their numbers are above the snapshot's),
 * so tracking them is pure cost. Changes to existing objects must stay outside.
 */
export async function untracked<T>(doc: PDFDocument, fn: () => T | Promise<T>): Promise<T> {
  const ctx = doc.context;
  const snap = ctx.snapshot;
  ctx.snapshot = undefined;
  try {
    return await fn();
  } finally {
    ctx.snapshot = snap;
  }
}

/** Adds a registered signature dictionary with placeholders; returns its reference. */
export function addSignatureDict(doc: PDFDocument, entries: Record<string, unknown>, contentsSize: number): PDFRef {
  const ctx = doc.context;
  const dict = ctx.obj({
    ...(entries as Record<string, never>),
    // ByteRange then Contents, adjacent: fillPlaceholders finds them in the increment.
    ByteRange: [0, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER],
    Contents: PDFHexString.of("0".repeat(contentsSize * 2)),
  });
  return ctx.register(dict);
}

export interface Placeholder {
  bytes: Uint8Array;
  byteRange: [number, number, number, number];
  contentsStart: number; // offset of '<'
  contentsEnd: number; // offset after '>'
}

/** Locates the placeholders in the appended part and writes the final ByteRange. */
export function fillByteRange(bytes: Uint8Array, from: number, contentsSize: number): Placeholder {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const brText = `/ByteRange [ 0 ${PLACEHOLDER} ${PLACEHOLDER} ${PLACEHOLDER} ]`;
  const br = buf.indexOf(brText, from, "latin1");
  if (br < 0) throw new SigningError("ByteRange introuvable après sauvegarde");
  const contentsKey = buf.indexOf("/Contents <", br, "latin1");
  if (contentsKey < 0 || contentsKey - br > brText.length + 4) throw new SigningError("Contents introuvable");
  const b = contentsKey + "/Contents ".length;
  const c = b + contentsSize * 2 + 2;
  if (buf[c - 1] !== 0x3e) throw new SigningError("Contents inattendu");
  if (buf.indexOf(brText, c, "latin1") >= 0) throw new SigningError("plusieurs ByteRange en attente");
  const byteRange: [number, number, number, number] = [0, b, c, bytes.length - c];
  const arr = `[0 ${b} ${c} ${bytes.length - c}]`;
  const text = `/ByteRange ${arr.padEnd(brText.length - "/ByteRange ".length, " ")}`;
  // keep the closing bracket last so the array text stays valid: "[0 b c d]   "
  buf.write(text, br, "latin1");
  return { bytes, byteRange, contentsStart: b, contentsEnd: c };
}

export function signedDigest(p: Placeholder): Bytes {
  const { bytes, contentsStart, contentsEnd } = p;
  return sha256([bytes.subarray(0, contentsStart), bytes.subarray(contentsEnd)]);
}

class ContentsTooSmall extends SigningError {
  constructor(readonly needed: number, room: number) {
    super(`signature trop grande (${needed} > ${room} octets réservés)`);
  }
}

export function writeContents(p: Placeholder, der: Uint8Array): void {
  const room = (p.contentsEnd - p.contentsStart - 2) / 2;
  if (der.length > room) throw new ContentsTooSmall(der.length, room);
  Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).write(
    Buffer.from(der).toString("hex"),
    p.contentsStart + 1,
    "latin1",
  );
}

/** Obtains a timestamp token over `imprint` and checks it before use (never trust blindly). */
export async function timestampOrThrow(tsa: TimestampAuthority, imprint: Bytes): Promise<Uint8Array> {
  let token: Uint8Array;
  try {
    token = await tsa.timestamp(imprint);
  } catch (e) {
    if (e instanceof TimestampError) throw e;
    throw new TimestampError(`horodatage impossible: ${(e as Error).message}`, { cause: e });
  }
  const check = checkTimestampToken(token, imprint);
  if (!check.ok) throw new TimestampError(`jeton d'horodatage refusé: ${check.errors.join(", ")}`);
  tokenSizes.set(tsa, Math.max(tokenSizes.get(tsa) ?? 0, token.length));
  return token;
}

/** Signs the next free (or the named) signature field: PAdES B-T with a visible stamp. */
export async function signPdf(input: Uint8Array, opts: SignOptions): Promise<SignResult> {
  assertPdf(input);
  const size = opts.contentsSize ?? estimateContentsSize(opts.signer, opts.tsa);
  try {
    return await signOnce(input, opts, size);
  } catch (e) {
    // The estimate was short (a TSA answering with a longer chain): once more, with room.
    if (e instanceof ContentsTooSmall && opts.contentsSize === undefined) return signOnce(input, opts, e.needed + 2048);
    throw e;
  }
}

/** Which implementation signs: "raw" (default, falls back to pdf-lib on unusual input). */
export type SignEngine = "auto" | "pdf-lib";

async function signOnce(input: Uint8Array, opts: SignOptions, contentsSize: number, engine: SignEngine = "auto"): Promise<SignResult> {
  let plan: RawPlan | undefined;
  if (engine === "auto") {
    try {
      plan = planRaw(input, opts.fieldName);
    } catch (e) {
      if (!(e instanceof RawUnsupported)) throw e;
    }
  }
  return plan ? signRaw(input, plan, opts, contentsSize) : signWithPdfLib(input, opts, contentsSize);
}

/** signPdf through a chosen engine (tests and benchmarks compare both). */
export async function signPdfWith(engine: SignEngine, input: Uint8Array, opts: SignOptions): Promise<SignResult> {
  assertPdf(input);
  return signOnce(input, opts, opts.contentsSize ?? estimateContentsSize(opts.signer, opts.tsa), engine);
}

const signatoryReason = (opts: SignOptions) => {
  const s = opts.signatory;
  return opts.reason ?? `Signature ${de(s.name)}${s.function ? `, ${s.function}` : ""} (${s.organisation})`;
};

interface RawPlan {
  pdf: RawPdf;
  target: RawField & { fieldRef: Ref; widgetRef: Ref };
  rect: { width: number; height: number };
  /** The AcroForm (or the catalog holding it inline) rewritten with /SigFlags 3, if needed. */
  sigFlags?: { num: number; dict: Dict };
}

/** Reads what the signature needs; throws RawUnsupported when pdf-lib must do it instead. */
function planRaw(input: Uint8Array, fieldName?: string): RawPlan {
  const pdf = new RawPdf(input);
  const target = pickField(rawSignatureFields(pdf), fieldName);
  if (!target.fieldRef || !target.widgetRef) throw new RawUnsupported("champ de signature direct");
  const rect = rectOf(pdf, target.widget);
  if (!rect) throw new SigningError("le champ de signature n'a pas de /Rect");
  const catalogRef = pdf.trailer.get("Root") as Ref;
  const catalog = pdf.catalog();
  const acroItem = catalog.get("AcroForm");
  const acro = pdf.dict(acroItem)!;
  let sigFlags: RawPlan["sigFlags"];
  if (pdf.resolve(acro.get("SigFlags")) !== 3) {
    const updated = acro.clone();
    updated.map.set("SigFlags", 3);
    if (acroItem instanceof Ref) sigFlags = { num: acroItem.num, dict: updated };
    else {
      const cat = catalog.clone();
      cat.map.set("AcroForm", updated);
      sigFlags = { num: catalogRef.num, dict: cat };
    }
    if (sigFlags.num === target.fieldRef.num || sigFlags.num === target.widgetRef.num)
      throw new RawUnsupported("formulaire et champ confondus");
  }
  return { pdf, target: target as RawPlan["target"], rect, sigFlags };
}

const BR_PLACEHOLDER = `/ByteRange [0 ${PLACEHOLDER} ${PLACEHOLDER} ${PLACEHOLDER}]`;
const CONTENTS_MARK = "/Contents <";

async function signRaw(input: Uint8Array, plan: RawPlan, opts: SignOptions, contentsSize: number): Promise<SignResult> {
  const date = opts.date ?? new Date();
  const { pdf, target, rect } = plan;
  const s = opts.signatory;
  let next = pdf.size;
  const sigNum = next++;
  const apNum = next++;
  // The document's own Marianne fonts (or, if it has none, Marianne embedded in this update).
  const stampFonts = rawStampFonts(pdf, target.widget, () => next++);
  const objects = new Map<number, NewObject>();
  const add = (o: NewObject) => objects.set(o.num, o);

  add({
    num: sigNum,
    gen: 0,
    body:
      `<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M ${literalString(pdfDate(date, "paris"))}` +
      `/Name ${textString(s.name)}/Reason ${textString(signatoryReason(opts))}/Location ${textString(opts.location ?? s.organisation)}` +
      (s.email ? `/ContactInfo ${textString(s.email)}` : "") +
      // ByteRange then Contents, adjacent, as the pdf-lib path writes them.
      `\n${BR_PLACEHOLDER}\n${CONTENTS_MARK}${"0".repeat(contentsSize * 2)}>\n>>`,
    markers: [BR_PLACEHOLDER, CONTENTS_MARK],
  });
  const width = Math.abs(rect.width);
  const height = Math.abs(rect.height);
  const content = Buffer.from(
    stampContentStream(width, height, { name: s.name, function: s.function, organisation: s.organisation, date, delegation: opts.delegation }),
    "latin1",
  );
  add({
    num: apNum,
    gen: 0,
    body: `<</Type/XObject/Subtype/Form/BBox ${serialize([0, 0, width, height])}/Resources <</Font ${stampFonts.resources}>>/Length ${content.length}>>`,
    stream: content,
  });
  for (const o of stampFonts.objects) add(o);

  const ap = new Dict();
  ap.map.set("N", new Ref(apNum, 0));
  // The field gets /V, its widget (often the same dict) /AP; nothing else changes.
  const field = target.field.clone();
  field.map.set("V", new Ref(sigNum, 0));
  if (target.widgetRef.num === target.fieldRef.num) field.map.set("AP", ap);
  else {
    const widget = target.widget.clone();
    widget.map.set("AP", ap);
    add({ num: target.widgetRef.num, gen: pdf.genOf(target.widgetRef.num), body: serialize(widget) });
  }
  add({ num: target.fieldRef.num, gen: pdf.genOf(target.fieldRef.num), body: serialize(field) });
  if (plan.sigFlags) add({ num: plan.sigFlags.num, gen: pdf.genOf(plan.sigFlags.num), body: serialize(plan.sigFlags.dict) });

  const { bytes: out, offsets } = writeIncrement(pdf, [...objects.values()], next);
  assertPrefix(out, input);
  const br = offsets.get(BR_PLACEHOLDER)!;
  const b = offsets.get(CONTENTS_MARK)! + CONTENTS_MARK.length - 1;
  const ph = placeholderAt(out, br, b, contentsSize);
  await fillSignature(ph, opts);
  return { pdf: out, fieldName: target.name, signedAt: date, byteRange: ph.byteRange };
}

/** Writes the final ByteRange for a /Contents placeholder whose '<' is at `b`. */
function placeholderAt(bytes: Uint8Array, brOffset: number, b: number, contentsSize: number): Placeholder {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = b + contentsSize * 2 + 2;
  if (buf[b] !== 0x3c || buf[c - 1] !== 0x3e) throw new SigningError("Contents inattendu");
  const byteRange: [number, number, number, number] = [0, b, c, bytes.length - c];
  const arr = `[0 ${b} ${c} ${bytes.length - c}]`;
  buf.write(`/ByteRange ${arr}`.padEnd(BR_PLACEHOLDER.length, " "), brOffset, "latin1");
  return { bytes, byteRange, contentsStart: b, contentsEnd: c };
}

/** Digest of the signed ranges, CMS with the signature timestamp, written into /Contents. */
async function fillSignature(ph: Placeholder, opts: SignOptions): Promise<void> {
  const { der } = await buildSignedData({
    eContentType: OID.data,
    contentDigest: signedDigest(ph),
    certificates: opts.signer.certificateChain,
    signatureAlgorithm: opts.signer.keyType === "ec" ? OID.ecdsaWithSHA256 : OID.rsaEncryption,
    sign: (attrs) => opts.signer.sign(attrs),
    unsignedAttrs: async (signature) => [
      attribute(OID.signatureTimeStampToken, await timestampOrThrow(opts.tsa, sha256(signature))),
    ],
  });
  writeContents(ph, der);
}

async function signWithPdfLib(input: Uint8Array, opts: SignOptions, contentsSize: number): Promise<SignResult> {
  const date = opts.date ?? new Date();
  const doc = await PDFDocument.load(input, LOAD_OPTIONS);
  const target = pickField(signatureFields(doc), opts.fieldName);
  const rect = target.widget.lookupMaybe(PDFName.of("Rect"), PDFArray)?.asRectangle();
  if (!rect) throw new SigningError("le champ de signature n'a pas de /Rect");
  const s = opts.signatory;
  const text = (v: string) => PDFHexString.fromText(v);
  const sigRef = await untracked(doc, () => addSignatureDict(
    doc,
    {
      Type: "Sig",
      Filter: "Adobe.PPKLite",
      SubFilter: "ETSI.CAdES.detached",
      M: PDFString.of(pdfDate(date, "paris")),
      Name: text(s.name),
      Reason: text(signatoryReason(opts)),
      Location: text(opts.location ?? s.organisation),
      ...(s.email ? { ContactInfo: text(s.email) } : {}),
    },
    contentsSize,
  ));
  const apDict = await untracked(doc, async () => {
    const ap = await buildStamp(doc, Math.abs(rect.width), Math.abs(rect.height), {
      name: s.name,
      function: s.function,
      organisation: s.organisation,
      date,
      delegation: opts.delegation,
    });
    return doc.context.obj({ N: ap });
  });
  target.field.set(PDFName.of("V"), sigRef);
  target.widget.set(PDFName.of("AP"), apDict);
  const acro = doc.catalog.lookup(PDFName.of("AcroForm"), PDFDict);
  if (acro.lookupMaybe(PDFName.of("SigFlags"), PDFNumber)?.asNumber() !== 3) acro.set(PDFName.of("SigFlags"), PDFNumber.of(3));

  const out = await doc.commit({ useObjectStreams: false });
  assertPrefix(out, input);
  const ph = fillByteRange(out, input.length, contentsSize);
  await fillSignature(ph, opts);
  return { pdf: out, fieldName: target.name, signedAt: date, byteRange: ph.byteRange };
}
