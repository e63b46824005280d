/**
 * The « version consolidée » of a convention amended by avenants: the convention's own template
 * rendered with the consolidated data, every page marked as an informative, unsigned document, the
 * first page listing the avenants it includes, and the signature blocks replaced by the names of
 * the signatories (no empty signature field in a document nobody signs).
 */
import { formatDateLongue, type Convention } from "../../domain/convention";
import { buildConventionDocument } from "../../templates/convention";
import type { Block, DocumentTree } from "../../templates/document";
import { loadTemplate } from "../../templates/files";
import { renderDocument, type RenderOptions } from "./render";

export const CONSOLIDATED_HEADER = "Version consolidée — document informatif non signé";

export interface ConsolidatedInput {
  /** The convention's consolidated data (after the last signed avenant). */
  data: Convention;
  /** Defaults to templates/<data.modele>.tpl. */
  templateSource?: string;
  /** The signed avenants it includes, in order. */
  avenants: { numero: number; signeLe: string }[];
}

/** « intègre l'avenant n° 1 signé le 3 mars 2024 et l'avenant n° 2 signé le … ». */
export function consolidationNote(avenants: ConsolidatedInput["avenants"]): string {
  if (avenants.length === 0) return "Version consolidée : la convention n'a été modifiée par aucun avenant. Document informatif non signé : seuls les actes signés font foi.";
  const list = avenants.map((a) => `l'avenant n° ${a.numero} signé le ${formatDateLongue(a.signeLe)}`);
  const joined = list.length === 1 ? list[0] : `${list.slice(0, -1).join(", ")} et ${list[list.length - 1]}`;
  return `Version consolidée : intègre ${joined}. Document informatif non signé : seuls la convention et ses avenants signés font foi.`;
}

export function buildConsolidatedDocument(input: ConsolidatedInput): DocumentTree {
  const doc = buildConventionDocument(input.templateSource ?? loadTemplate(input.data.modele), input.data);
  const note: Block = { type: "paragraph", align: "center", runs: [{ kind: "text", text: consolidationNote(input.avenants), italic: true }] };
  const blocks: Block[] = doc.blocks.map((b) =>
    b.type === "signatures"
      ? {
          type: "paragraph",
          align: "left",
          runs: [{ kind: "text", italic: true, text: `Signataires de la convention : ${b.blocks.map((s) => `${s.partyLabel.replace(/[,\s]+$/, "")}, ${s.name}`).join(" ; ")}.` }],
        }
      : b,
  );
  const title = blocks.findIndex((b) => b.type === "heading" && b.level === 1);
  blocks.splice(title + 1, 0, note);
  return { ...doc, meta: { ...doc.meta, title: `Version consolidée – ${doc.meta.title}` }, blocks };
}

/** PDF bytes of the version consolidée (header on every page, avenants listed on page 1). */
export async function renderConsolidatedPdf(input: ConsolidatedInput, options: Pick<RenderOptions, "creationDate"> = {}): Promise<Uint8Array> {
  const r = await renderDocument(buildConsolidatedDocument(input), { ...options, marking: { header: CONSOLIDATED_HEADER } });
  return r.pdf;
}
