import type { LoaderFunctionArgs } from "@remix-run/node";
import { fileSlug } from "~/domain/file-name";
import { receivedActFile, ReceivedActsError } from "~/services/list-received-acts.server";
import { requireUser } from "~/session.server";

const FILES = { "acte-signe.pdf": { file: "signe", suffix: "signee" }, "certificat.pdf": { file: "certificat", suffix: "certificat-de-signature" } } as const;

/** No component: the signed act or its certificate, for the CBCM recipient it was transmitted to (checked in the service). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const which = FILES[(params.fichier ?? "") as keyof typeof FILES];
  if (!which || !Object.hasOwn(FILES, params.fichier ?? "")) throw new Response("Fichier inconnu.", { status: 404 });
  try {
    const doc = await receivedActFile(context.db, user, params.id ?? "", which.file);
    const bytes = new Uint8Array(doc.bytes);
    return new Response(bytes as unknown as BodyInit, {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${fileSlug(doc.title)}-${which.suffix}.pdf"`,
        "Content-Length": String(bytes.byteLength),
        "Cache-Control": "private, no-store",
        "X-Content-SHA256": doc.sha256,
      },
    });
  } catch (error) {
    if (error instanceof ReceivedActsError) throw new Response(error.message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw error;
  }
}
