/**
 * Where each signatory signs, for the signing page: the signature fields of a PDF (page, box,
 * signed or not) read through its AcroForm, and a picture of one page rendered by poppler's
 * `pdftoppm` — a bounded child process (time limit, output cap, one page, fixed width) — cached
 * by the document's SHA-256, so a page is rasterised once per document state.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from "@cantoo/pdf-lib";
import { signatureFields } from "./sign";

export type FieldPlace = { name: string; pageIndex: number; signed: boolean; rect: { x: number; y: number; width: number; height: number } };
export type SignatureLayout = { pageCount: number; pages: { width: number; height: number }[]; fields: FieldPlace[] };

/** The signature fields of `pdf` and the size of each page (points). */
export async function signatureLayout(pdf: Uint8Array): Promise<SignatureLayout> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: false });
  const pages = doc.getPages();
  const refs = pages.map((p) => p.ref);
  const pageOf = (widget: PDFDict): number => {
    const p = widget.get(PDFName.of("P"));
    if (p instanceof PDFRef) {
      const i = refs.findIndex((r) => r.objectNumber === p.objectNumber && r.generationNumber === p.generationNumber);
      if (i >= 0) return i;
    }
    // No /P: the page whose /Annots lists the widget.
    const ref = doc.context.getObjectRef(widget);
    return pages.findIndex((page) => {
      const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
      return Boolean(annots && ref && annots.asArray().some((a) => a instanceof PDFRef && a.objectNumber === ref.objectNumber));
    });
  };
  const fields: FieldPlace[] = [];
  for (const f of signatureFields(doc)) {
    const r = f.widget.lookupMaybe(PDFName.of("Rect"), PDFArray)?.asRectangle();
    const pageIndex = pageOf(f.widget);
    if (!r || pageIndex < 0) continue;
    fields.push({ name: f.name, pageIndex, signed: f.signed, rect: { x: r.x, y: r.y, width: r.width, height: r.height } });
  }
  return { pageCount: pages.length, pages: pages.map((p) => p.getSize()), fields };
}

const PNG_LIMIT_BYTES = 8 * 1024 * 1024;
const TIMEOUT_MS = 15_000;
const cache = new Map<string, Uint8Array>();
const CACHE_ENTRIES = 24;

/** One page (0-based) as a PNG `widthPx` wide, through pdftoppm with a time limit and an output cap. */
export async function renderPagePng(pdf: Uint8Array, sha256: string, pageIndex: number, widthPx = 900): Promise<Uint8Array> {
  const width = Math.max(100, Math.min(2000, Math.round(widthPx)));
  const key = `${sha256}:${pageIndex}:${width}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = await mkdtemp(path.join(tmpdir(), "paraphe-page-"));
  try {
    const file = path.join(dir, "document.pdf");
    await writeFile(file, pdf);
    const page = String(pageIndex + 1);
    const png = await new Promise<Buffer>((resolve, reject) => {
      execFile(
        "pdftoppm",
        ["-png", "-f", page, "-l", page, "-scale-to-x", String(width), "-scale-to-y", "-1", "-aa", "yes", "-aaVector", "yes", file],
        { encoding: "buffer", timeout: TIMEOUT_MS, maxBuffer: PNG_LIMIT_BYTES, killSignal: "SIGKILL" },
        (error, stdout) => (error ? reject(new Error(`pdftoppm : ${error.message.split("\n")[0]}`)) : resolve(stdout)),
      );
    });
    if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) throw new Error("pdftoppm n'a pas produit d'image PNG");
    const bytes = new Uint8Array(png);
    cache.set(key, bytes);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    return bytes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
