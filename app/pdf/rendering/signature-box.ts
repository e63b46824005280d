/**
 * Contract between the renderer and the signing engine: one box per signatory, in the order the
 * signature blocks appear. The PDF carries, for each box, an empty AcroForm signature field named
 * `fieldName` (« signature-1 », « signature-2 »…) whose /Rect is exactly `rect`.
 */
export interface SignatureBox {
  /** AcroForm field name /T, 1-based: « signature-1 ». */
  fieldName: string;
  /** 0-based page index. */
  pageIndex: number;
  /** PDF user-space points, origin bottom-left. */
  rect: { x: number; y: number; width: number; height: number };
  signatory: { name: string; function?: string; organisation: string; email?: string };
  /** Label printed above the box, e.g. « Le Ministère de la Justice, ». */
  partyLabel: string;
}

export interface RenderResult {
  pdf: Uint8Array;
  boxes: SignatureBox[];
  pageCount: number;
}

/** Box size reserved for a visible signature stamp, in points. */
export const SIGNATURE_BOX_WIDTH = 220;
export const SIGNATURE_BOX_HEIGHT = 70;
