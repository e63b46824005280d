import type { LoaderFunctionArgs } from "@remix-run/node";
import { latestDocument } from "~/models/circuit.server";
import { renderPagePng, signatureLayout } from "~/pdf/signing/signature-page";
import { requireConventionAccess } from "~/services/convention-access.server";
import { requireUser } from "~/session.server";

/**
 * No component: one page of the document in its current state (frozen, or as signed so far), as a
 * PNG for the signing page's « Où signez-vous ? ». Access as the signing page; `?page=` is bounded
 * by the document's page count; rendered by pdftoppm under a time limit and cached by hash.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "sign");
  const doc = await latestDocument(context.db, convention.id, convention.circuit_round);
  if (!doc) throw new Response("Aucun document n'a encore été figé pour signature.", { status: 404 });
  const bytes = new Uint8Array(doc.bytes);
  const { pageCount } = await signatureLayout(bytes);
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  if (!Number.isInteger(page) || page < 1 || page > pageCount) throw new Response(`Page inconnue : le document compte ${pageCount} pages.`, { status: 404 });
  const png = await renderPagePng(bytes, doc.sha256, page - 1, 900);
  return new Response(png as unknown as BodyInit, {
    headers: { "Content-Type": "image/png", "Content-Length": String(png.byteLength), "Cache-Control": "private, max-age=300", "X-Content-SHA256-Source": doc.sha256 },
  });
}
