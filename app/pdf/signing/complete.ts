// Completion: once every signatory has signed, two more incremental revisions turn the
// document into PAdES B-LTA: a /DSS (certificates of every signature and timestamp, the CA's
// CRL), then a document timestamp (ETSI.RFC3161) covering it. Earlier signatures stay valid:
// only new objects, the catalog, the AcroForm and the first page's /Annots are written.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, type PDFRef } from "@cantoo/pdf-lib";
import { parseSignedData } from "../pki/cms";
import { OID, attr } from "../pki/cms";
import { whole } from "../pki/der";
import {
  addSignatureDict,
  assertPdf,
  assertPrefix,
  fillByteRange,
  LOAD_OPTIONS,
  signatureFields,
  signedDigest,
  SigningError,
  timestampOrThrow,
  untracked,
  writeContents,
} from "./sign";
import type { TimestampAuthority } from "../pki/timestamp";

export interface CompleteOptions {
  tsa: TimestampAuthority;
  /** Certificates and CRLs to store (typically `pki.validationData()`). */
  validationData: { certificates: Uint8Array[]; crls: Uint8Array[] };
  contentsSize?: number;
}

/** Certificates found in the document's signatures and their timestamp tokens. */
function embeddedCertificates(doc: PDFDocument): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of signatureFields(doc)) {
    const v = f.field.lookupMaybe(PDFName.of("V"), PDFDict);
    const contents = v?.lookup(PDFName.of("Contents"));
    if (!contents || !("asBytes" in (contents as object))) continue;
    try {
      const sd = parseSignedData((contents as PDFString).asBytes());
      out.push(...sd.certificates);
      const tok = sd.signerInfos[0] && attr(sd.signerInfos[0].unsignedAttrs, OID.signatureTimeStampToken);
      if (tok) out.push(...parseSignedData(whole(tok.values[0])).certificates);
    } catch {
      /* not ours to judge here: the verifier reports it */
    }
  }
  return out;
}

const unique = (list: Uint8Array[]) =>
  list.filter((c, i) => list.findIndex((d) => Buffer.compare(c, d) === 0) === i);

export async function completeDocument(input: Uint8Array, opts: CompleteOptions): Promise<Uint8Array> {
  assertPdf(input);
  const doc = await PDFDocument.load(input, LOAD_OPTIONS);
  const fields = signatureFields(doc);
  if (!fields.some((f) => f.signed)) throw new SigningError("document non signé: rien à compléter");
  const ctx = doc.context;

  // Revision 1: the document security store.
  const certs = unique([...embeddedCertificates(doc), ...opts.validationData.certificates]);
  const streamRefs = (items: Uint8Array[]): PDFRef[] => items.map((d) => ctx.register(ctx.flateStream(d)));
  const dss = await untracked(doc, () =>
    ctx.obj({ Certs: streamRefs(certs), CRLs: streamRefs(unique(opts.validationData.crls)) }),
  );
  doc.catalog.set(PDFName.of("DSS"), dss);
  const withDss = await doc.commit({ useObjectStreams: false });
  assertPrefix(withDss, input);

  // Revision 2: an invisible signature field holding the document timestamp.
  const size = opts.contentsSize ?? 8192;
  const page = doc.getPage(0);
  const n = fields.filter((f) => f.name.startsWith("horodatage-")).length + 1;
  const widgetRef = await untracked(doc, () => ctx.register(
    ctx.obj({
      Type: "Annot",
      Subtype: "Widget",
      FT: "Sig",
      T: PDFString.of(`horodatage-${n}`),
      Rect: [0, 0, 0, 0],
      F: 132, // hidden + locked
      P: page.ref,
      V: addSignatureDict(doc, { Type: "DocTimeStamp", Filter: "Adobe.PPKLite", SubFilter: "ETSI.RFC3161" }, size),
    }),
  ));
  // Not page.node.addAnnot: it normalizes the page (rewrites /Contents as an array), a change to
  // signed content that verifiers rightly reject.
  const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
  if (annots) annots.push(widgetRef);
  else page.node.set(PDFName.of("Annots"), ctx.obj([widgetRef]));
  const acro = doc.catalog.lookup(PDFName.of("AcroForm"), PDFDict);
  acro.lookup(PDFName.of("Fields"), PDFArray).push(widgetRef);
  const out = await doc.commit({ useObjectStreams: false });
  assertPrefix(out, withDss);
  const ph = fillByteRange(out, withDss.length, size);
  const token = await timestampOrThrow(opts.tsa, signedDigest(ph));
  writeContents(ph, token);
  return out;
}
