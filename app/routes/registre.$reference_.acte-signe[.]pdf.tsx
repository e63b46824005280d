import type { LoaderFunctionArgs } from "@remix-run/node";
import { fileSlug } from "~/domain/file-name";
import { getPublicSignedDocument } from "~/models/public-acts.server";
import { showRegisterEntry } from "~/services/list-register.server";

const notFound = () =>
  new Response("Cet acte n'est pas publié au registre.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** No component, no account: the signed PDF of a published act, byte for byte, with its SHA-256. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const found = await showRegisterEntry(context.db, params.reference ?? "");
  if (found.kind !== "un") throw notFound();
  const doc = await getPublicSignedDocument(context.db, found.item.identifiant);
  if (!doc) throw notFound();
  const bytes = new Uint8Array(doc.bytes);
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileSlug(doc.reference ?? doc.title)}-signe.pdf"`,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "public, max-age=300",
      "X-Content-SHA256": doc.sha256,
    },
  });
}
