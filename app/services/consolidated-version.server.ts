/**
 * « Version consolidée (PDF) »: the convention as amended by its signed avenants, rendered from its
 * template, marked on every page as an informative unsigned document, with the list of avenants it
 * includes. Readable by any person of a party (requireConventionAccess "read").
 */
import type { Database } from "../../db/connect";
import type { Convention } from "../domain/convention";
import { listConsolidations } from "../models/consolidations.server";
import { renderConsolidatedPdf } from "../pdf/rendering/consolidated";
import { requireConventionAccess, type ConventionUser } from "./convention-access.server";
import { templateSource } from "./render-draft.server";

export async function consolidatedPdf(db: Database, user: ConventionUser, conventionId: string): Promise<{ bytes: Uint8Array; title: string }> {
  const convention = await requireConventionAccess(db, user, conventionId, "read");
  const versions = await listConsolidations(db, conventionId);
  const latest = versions.at(-1);
  if (!latest) throw new Response("Cette convention n'a pas encore de version signée : aucune version consolidée.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const data = latest.data as Convention;
  const bytes = await renderConsolidatedPdf({
    data,
    templateSource: templateSource(data.modele),
    avenants: versions.filter((v) => v.number > 0).map((v) => ({ numero: v.number, signeLe: v.signed_on })),
  });
  return { bytes, title: convention.title };
}
