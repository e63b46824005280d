import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { fileSlug } from "~/domain/file-name";
import { fieldLabel } from "~/domain/convention-draft";
import { requireConventionAccess } from "~/services/convention-access.server";
import { renderDraftPdf } from "~/services/render-draft.server";
import { requireUser } from "~/session.server";

/** The convention as PDF (no component: a file download). `?telecharger=1` asks to save it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "read");
  // Once a circuit is launched, the document is the frozen one (or the signed act): never a fresh, unsigned render.
  if (convention.status !== "brouillon" && convention.status !== "annulee") {
    const signed = await context.db.selectFrom("documents").select("id").where("convention_id", "=", convention.id).where("kind", "in", ["signe", "complet"]).limit(1).executeTakeFirst();
    return redirect(`/conventions/${convention.id}/${signed && convention.status !== "en_signature" ? "signe.pdf" : "a-signer.pdf"}`, 303);
  }
  // A draft (or an abandoned one) is marked « PROJET — document non signé » on every page.
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
