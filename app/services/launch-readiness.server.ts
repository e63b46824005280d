/**
 * Everything that keeps a draft from being launched, in plain words: what is missing or wrong in
 * the draft (checkDraft + template errors), the period rules (end date past, schedule years
 * outside the period), and a délégant ministry with no CBCM to receive the act. The launch page,
 * the convention page and the launch itself (under the row lock) read the same list.
 */
import type { FieldError } from "../domain/convention";
import { missingItems, parisToday, periodProblems, type MissingItem } from "../domain/launch-rules";
import { normaliseDraft } from "../domain/convention-draft";
import { uncoveredMessage, uncoveredMinistry } from "../models/cbcm-coverage.server";
import type { Executor } from "../models/people.server";
import { draftProblems, isAmendingAct } from "./render-draft.server";

export type LaunchReadiness = {
  /** Problems of the draft itself (its fields, its template). */
  draft: FieldError[];
  /** Period rules: end date past, schedule years outside the period. */
  period: FieldError[];
  /** Set when the délégant's ministry has no CBCM and no stand-in recipient. */
  cbcm: string | null;
  /** All of it, each item once, in plain words (the CBCM line last). */
  items: MissingItem[];
};

export async function launchReadiness(db: Executor, convention: { id: string; data: unknown }, now: Date = new Date()): Promise<LaunchReadiness> {
  // An avenant or a notice has no period of its own: its problems are its model's (render-draft dispatches).
  const act = isAmendingAct(convention.data);
  const data = act ? null : normaliseDraft((convention.data ?? {}) as Record<string, unknown>);
  const draft = draftProblems(data ?? convention.data);
  const period = data ? periodProblems(data, parisToday(now)) : [];
  const ministry = await uncoveredMinistry(db, convention.id);
  const cbcm = ministry ? uncoveredMessage(ministry) : null;
  const items = missingItems([...draft, ...period]);
  if (cbcm) items.push({ path: "transmission", text: `${cbcm}. Demandez à un administrateur de l'ajouter à l'annuaire, ou ajoutez un destinataire pour ce rôle sur la page Transmission.` });
  return { draft, period, cbcm, items };
}

/** Only what blocks the launch but not the preview (the convention page lists the draft's own problems apart). */
export async function launchOnlyItems(db: Executor, convention: { id: string; data: unknown }): Promise<MissingItem[]> {
  const r = await launchReadiness(db, convention);
  const own = new Set(missingItems(r.draft).map((i) => i.text));
  return r.items.filter((i) => !own.has(i.text));
}
