import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkDraft, fieldLabel, normaliseDraft } from "~/domain/convention-draft";
import { getConventionVisibleTo, UUID_RE } from "~/models/conventions.server";
import { renderConventionPdf } from "~/pdf/convention";
import { TemplateError } from "~/templates/engine";
import { requireUser } from "~/session.server";

/** The convention as PDF (no component: a file download). `?telecharger=1` asks to save it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = params.id ?? "";
  const convention = UUID_RE.test(id) ? await getConventionVisibleTo(context.db, id, user.organisation_id) : undefined;
  if (!convention) throw new Response("Cette convention n'existe pas ou ne concerne pas votre organisation.", { status: 404 });
  const check = checkDraft(normaliseDraft(convention.data as Record<string, unknown>));
  if (!check.convention) {
    const reasons = [...check.blocking, ...check.missing].map((e) => `- ${fieldLabel(e.path)} : ${e.message}`).join("\n");
    return new Response(`Le document ne peut pas être produit : le brouillon est incomplet.\n\n${reasons}\n`, {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = (await renderConventionPdf(check.convention)).pdf;
  } catch (error) {
    if (error instanceof TemplateError) return new Response(`Le document ne peut pas être produit : ${error.message}\n`, { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw error;
  }
  const slug = convention.title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase()
    .slice(0, 80);
  const filename = `convention-${slug || convention.id}-v${convention.version}.pdf`;
  const download = new URL(request.url).searchParams.has("telecharger");
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `${download ? "attachment" : "inline"}; filename="${filename}"`,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
