import type { LoaderFunctionArgs } from "@remix-run/node";
import { fileSlug } from "~/domain/file-name";
import { downloadFile } from "~/services/download-by-token.server";

/** No component: the file a download link was issued for. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const file = params.fichier === "signe" || params.fichier === "certificat" ? params.fichier : null;
  const found = file ? await downloadFile(context.db, params.token ?? "", file) : undefined;
  if (!file || !found) throw new Response("Ce lien de téléchargement n'existe pas ou a expiré.", { status: 404 });
  const slug = fileSlug(found.title);
  return new Response(Buffer.from(found.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${slug}-${file === "signe" ? "signee" : "certificat-de-signature"}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
