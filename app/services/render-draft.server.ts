/**
 * Render a stored draft (HTML preview or PDF). An incomplete draft is refused with the list of
 * what is missing: it « cannot go further and says why ». Server only (pdf-lib, template files).
 */
import type { FieldError } from "../domain/convention";
import { checkDraft, normaliseDraft, type DraftData } from "../domain/convention-draft";
import { renderConventionHtml, renderConventionPdf } from "../pdf/rendering/convention";
import { buildConventionDocument } from "../templates/convention";
import { TemplateError } from "../templates/engine";
import { loadTemplate } from "../templates/files";
import { actProblems, buildActDocument } from "../templates/acts";
import { renderDocument, type RenderOptions } from "../pdf/rendering/render";
import { renderHtml } from "../pdf/rendering/render-html";


/** A draft naming a template that does not exist (a forged form field): refused in French, never a 500. */
export class UnknownTemplateError extends Error {
  constructor(name: string) {
    super(`Modèle de convention inconnu : « ${name.slice(0, 60)} ». Rechargez la page de rédaction.`);
  }
}

/**
 * Template source, from the one templates folder `loadTemplate` resolves (PARAPHE_TEMPLATES_DIR, or the
 * repository's from the sources and from build/): a name it lacks is an unknown model, never read from
 * another folder.
 */
export function templateSource(name = "convention"): string {
  if (!/^[a-z0-9-]{1,60}$/.test(name)) throw new UnknownTemplateError(name);
  try {
    return loadTemplate(name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UnknownTemplateError(name);
    throw error;
  }
}

const SECTION_SOURCE = /^(visas\[\d+\]|preambule|articles\[\d+\]\.corps|annexes\[\d+\]\.corps)$/;

/** Errors the template engine raises on a text typed by the rédacteur ({{ inconnu }}, unclosed {% si %}), by field. */
export function templateErrors(data: DraftData): FieldError[] {
  const check = checkDraft(data);
  if (!check.convention) return [];
  try {
    buildConventionDocument(templateSource(check.convention.modele), check.convention);
    return [];
  } catch (error) {
    if (error instanceof UnknownTemplateError) return [{ path: "modele", message: error.message }];
    if (!(error instanceof TemplateError)) throw error;
    return [{ path: SECTION_SOURCE.test(error.source) ? error.source : "modele", message: `Erreur de mise en forme, ligne ${error.line} : ${error.message.replace(/^.*? : /, "")}` }];
  }
}

export type RenderRefusal = { ok: false; problems: FieldError[] };

/** Everything that keeps a draft from being rendered and signed (empty or wrong fields, template errors). */
export function draftProblems(stored: unknown): FieldError[] {
  if (isAmendingAct(stored)) return actProblems(stored);
  const data = normaliseDraft((stored ?? {}) as Record<string, unknown>);
  const check = checkDraft(data);
  return [...check.blocking, ...check.missing, ...(check.convention ? templateErrors(data) : [])];
}

/** An avenant, a termination notice or a compte rendu d'exécution (their own models and templates), not a convention. */
export function isAmendingAct(stored: unknown): stored is { modele: "avenant" | "resiliation" | "compte-rendu" } {
  const modele = (stored as { modele?: unknown } | null)?.modele;
  return modele === "avenant" || modele === "resiliation" || modele === "compte-rendu";
}

/** An avenant or a notice rendered to PDF (with its signature boxes), or refused with its problems. */
export async function renderActPdf(stored: { modele: "avenant" | "resiliation" | "compte-rendu" }, options: RenderOptions = {}) {
  const problems = actProblems(stored);
  if (problems.length) return { ok: false as const, problems };
  try {
    return { ok: true as const, ...(await renderDocument(buildActDocument(stored, templateSource(stored.modele)), options)) };
  } catch (error) {
    return refusal(error);
  }
}

function validated(stored: unknown) {
  const data = normaliseDraft((stored ?? {}) as Record<string, unknown>);
  const check = checkDraft(data);
  if (!check.convention) return { ok: false as const, problems: [...check.blocking, ...check.missing] };
  return { ok: true as const, convention: check.convention };
}

function refusal(error: unknown): RenderRefusal {
  if (error instanceof UnknownTemplateError) return { ok: false, problems: [{ path: "modele", message: error.message }] };
  if (error instanceof TemplateError) return { ok: false, problems: [{ path: SECTION_SOURCE.test(error.source) ? error.source : "modele", message: error.message }] };
  throw error;
}

/**
 * The document as an escaped HTML fragment (every typed value is text, never markup). Headings
 * move down `headingOffset` levels so the document sits under the page's own h1/h2 (the only
 * tags in the fragment are the renderer's: typed text is escaped).
 */
export function renderDraftHtml(stored: unknown, headingOffset = 0): { ok: true; html: string } | RenderRefusal {
  if (isAmendingAct(stored)) {
    const problems = actProblems(stored);
    if (problems.length) return { ok: false, problems };
  }
  const v = isAmendingAct(stored) ? null : validated(stored);
  if (v && !v.ok) return v;
  try {
    const html = v
      ? renderConventionHtml(v.convention, { fragment: true, templateSource: templateSource(v.convention.modele) })
      : renderHtml(buildActDocument(stored, templateSource((stored as { modele: string }).modele)), { fragment: true });
    return { ok: true, html: html.replace(/<(\/?)h([1-6])\b/g, (_, slash: string, n: string) => `<${slash}h${Math.min(6, Number(n) + headingOffset)}`) };
  } catch (error) {
    return refusal(error);
  }
}

/** A draft's PDF: every page marked « PROJET — document non signé » (issue 13), so it is never taken for the act. */
export const DRAFT_MARKING = { header: "PROJET — document non signé", watermark: "PROJET" } as const;

export async function renderDraftPdf(stored: unknown, options: RenderOptions = { marking: DRAFT_MARKING }): Promise<{ ok: true; pdf: Uint8Array } | RenderRefusal> {
  if (isAmendingAct(stored)) {
    const r = await renderActPdf(stored, options);
    return r.ok ? { ok: true, pdf: r.pdf } : r;
  }
  const v = validated(stored);
  if (!v.ok) return v;
  try {
    return { ok: true, pdf: (await renderConventionPdf(v.convention, { ...options, templateSource: templateSource(v.convention.modele) })).pdf };
  } catch (error) {
    return refusal(error);
  }
}
