// Test fixture standing in for the renderer's output: an A4 document whose last page carries N
// empty signature fields (merged field/widget dicts named signature-1…N, as the renderer
// reserves them), saved without object streams.
import { PDFDocument, PDFName, PDFString, StandardFonts, rgb } from "@cantoo/pdf-lib";

export interface FixtureOptions {
  pages?: number;
  signatures?: number;
  /** Page text lines per page, to give the document realistic content weight. */
  linesPerPage?: number;
}

export interface FixtureBox {
  fieldName: string;
  pageIndex: number;
  rect: { x: number; y: number; width: number; height: number };
}

export async function makeSignablePdf(opts: FixtureOptions = {}): Promise<{ pdf: Uint8Array; boxes: FixtureBox[] }> {
  const pages = opts.pages ?? 3;
  const n = opts.signatures ?? 2;
  const lines = opts.linesPerPage ?? 40;
  const doc = await PDFDocument.create();
  doc.setTitle("Convention de délégation de gestion (test)");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Convention de délégation de gestion — page ${p + 1}/${pages}`, { x: 56, y: 790, size: 12, font });
    for (let l = 0; l < lines; l++) {
      page.drawText(`Article ${p + 1}.${l + 1} — Le délégataire s'engage à rendre compte de l'exécution.`, {
        x: 56,
        y: 760 - l * 16,
        size: 9,
        font,
      });
    }
  }
  const last = doc.getPage(pages - 1);
  const boxes: FixtureBox[] = [];
  const ctx = doc.context;
  const fieldRefs = [];
  for (let i = 0; i < n; i++) {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const rect = { x: 56 + col * 250, y: 60 + row * 100, width: 230, height: 85 };
    last.drawRectangle({ ...rect, borderColor: rgb(0.6, 0.6, 0.6), borderWidth: 0.5 });
    const fieldName = `signature-${i + 1}`;
    const ref = ctx.register(
      ctx.obj({
        Type: "Annot",
        Subtype: "Widget",
        FT: "Sig",
        T: PDFString.of(fieldName),
        TU: PDFString.of(`Signature ${i + 1}`),
        Rect: [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height],
        F: 4,
        P: last.ref,
      }),
    );
    fieldRefs.push(ref);
    last.node.addAnnot(ref);
    boxes.push({ fieldName, pageIndex: pages - 1, rect });
  }
  doc.catalog.set(PDFName.of("AcroForm"), ctx.obj({ Fields: fieldRefs, SigFlags: 3 }));
  const pdf = await doc.save({ useObjectStreams: false });
  return { pdf, boxes };
}
