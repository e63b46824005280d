/**
 * One call for the web app, the CLI and the signing engine: convention data -> PDF (+ boxes) or HTML.
 */
import { conventionSchema, type Convention } from "../../domain/convention";
import { buildConventionDocument } from "../../templates/convention";
import { loadTemplate } from "../../templates/files";
import { renderDocument, type RenderOptions } from "./render";
import { renderHtml, type HtmlOptions } from "./render-html";
import type { RenderResult } from "./signature-box";

export interface ConventionRenderOptions extends RenderOptions {
  /** Template source; defaults to templates/<convention.modele>.tpl. */
  templateSource?: string;
}

/** Validated convention -> PDF bytes and signature boxes. */
export async function renderConventionPdf(convention: Convention, options: ConventionRenderOptions = {}): Promise<RenderResult> {
  const source = options.templateSource ?? loadTemplate(convention.modele);
  return renderDocument(buildConventionDocument(source, convention), options);
}

/** Validated convention -> standalone HTML page (preview). */
export function renderConventionHtml(convention: Convention, options: HtmlOptions & { templateSource?: string } = {}): string {
  const source = options.templateSource ?? loadTemplate(convention.modele);
  return renderHtml(buildConventionDocument(source, convention), options);
}

/** Raw input (JSON, form) -> PDF; throws the ZodError when invalid. */
export async function renderConventionFromInput(input: unknown, options: ConventionRenderOptions = {}): Promise<RenderResult> {
  return renderConventionPdf(conventionSchema.parse(input), options);
}
