/**
 * Reads a multipart form holding one PDF (at most MAX_UPLOAD_MB, as on the verify page) and a few
 * text fields, counting the body's bytes on the stream (a chunked body declares no length). Every
 * refusal is a French message with its HTTP status. Only the named parts are kept.
 */
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { MAX_UPLOAD_MB } from "../pdf/verify-limits";

export const MAX_PDF_BYTES = MAX_UPLOAD_MB * 1024 * 1024;
/** The whole body: the file, its part headers and the form's text fields. */
export const MAX_PDF_FORM_BYTES = MAX_PDF_BYTES + 64 * 1024;

export type PdfUpload =
  | { ok: true; form: FormData; file: { name: string; bytes: Uint8Array } | null }
  | { ok: false; status: number; error: string; form: FormData | null };

export async function readPdfUpload(request: Request, fileField: string, textFields: string[]): Promise<PdfUpload> {
  const tooLarge = { ok: false as const, status: 413, error: `Le fichier dépasse ${MAX_UPLOAD_MB} Mo.`, form: null };
  if (Number(request.headers.get("content-length") ?? 0) > MAX_PDF_FORM_BYTES) return tooLarge;
  if (!request.body) return { ok: false, status: 400, error: "Le formulaire envoyé est vide.", form: null };
  let received = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > MAX_PDF_FORM_BYTES) controller.error(new Error("body too large"));
        else controller.enqueue(chunk);
      },
    }),
  );
  const limited = new Request(request.url, { method: request.method, headers: request.headers, body: counted, duplex: "half" } as RequestInit);
  const wanted = new Set([fileField, ...textFields]);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(limited, unstable_createMemoryUploadHandler({ maxPartSize: MAX_PDF_BYTES, filter: ({ name }) => wanted.has(name) }));
  } catch (error) {
    if (received > MAX_PDF_FORM_BYTES || error instanceof MaxPartSizeExceededError) return tooLarge;
    return { ok: false, status: 400, error: "Le formulaire n'a pas pu être reçu (il doit être envoyé en multipart/form-data). Réessayez.", form: null };
  }
  const file = form.get(fileField);
  if (!(file instanceof File) || file.size === 0) return { ok: true, form, file: null };
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "%PDF-") {
    return { ok: false, status: 415, error: "Ce fichier n'est pas un PDF (il ne commence pas par « %PDF- »).", form };
  }
  return { ok: true, form, file: { name: file.name.slice(0, 200), bytes } };
}
