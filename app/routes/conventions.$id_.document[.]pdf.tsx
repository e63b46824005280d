import type { LoaderFunctionArgs } from "@remix-run/node";
import { fileSlug } from "~/domain/file-name";
import { fieldLabel } from "~/domain/convention-draft";
import { getConventionVisibleTo, UUID_RE } from "~/models/conventions.server";
import { renderDraftPdf } from "~/services/render-draft.server";
import { requireUser } from "~/session.server";

/** The convention as PDF (no component: a file download). `?telecharger=1` asks to save it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = params.id ?? "";
  const convention = UUID_RE.test(id) ? await getConventionVisibleTo(context.db, id, user.organisation_id) : undefined;
  if (!convention) throw new Response("Cette convention n'existe pas ou ne concerne pas votre organisation.", { status: 404 });
  const result = await renderDraftPdf(convention.data);
  if (!result.ok) {
    const reasons = result.problems.map((e) => `- ${fieldLabel(e.path)} : ${e.message}`).join("\n");
    return new Response(`Le document ne peut pas être produit : le brouillon est incomplet ou contient une erreur.\n\n${reasons}\n`, {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const filename = `convention-${fileSlug(convention.title, convention.id)}-v${convention.version}.pdf`;
  const download = new URL(request.url).searchParams.has("telecharger");
  return new Response(result.pdf as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `${download ? "attachment" : "inline"}; filename="${filename}"`,
      "Content-Length": String(result.pdf.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
