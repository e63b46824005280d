import type { LoaderFunctionArgs } from "@remix-run/node";
import { fileSlug } from "~/domain/file-name";
import { consolidatedPdf } from "~/services/consolidated-version.server";
import { requireUser } from "~/session.server";

/** No component: the version consolidée, rendered from the consolidated data (informative, unsigned). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { bytes, title } = await consolidatedPdf(context.db, user, params.id ?? "");
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${fileSlug(title)}-version-consolidee.pdf"`,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
