/**
 * Bring back an earlier version of a draft: its data becomes a new version (nothing is rewritten
 * or deleted), through the same checks as any save — draft status, party, stale form, validation.
 * The intitulé is not versioned and stays as it is.
 */
import type { Database } from "../../db/connect";
import { saveDraft, type SaveDraftResult } from "./save-draft.server";

export type RestoreVersionInput = {
  actorId: string;
  organisationId: string | null;
  conventionId: string;
  /** The version to bring back. */
  version: number;
  /** The current version, as shown on the page the request came from. */
  expectedVersion: number;
  meta?: { ip?: string | null; userAgent?: string | null };
};

export async function restoreVersion(db: Database, input: RestoreVersionInput): Promise<SaveDraftResult> {
  const [old, convention] = await Promise.all([
    db.selectFrom("convention_versions").select("data").where("convention_id", "=", input.conventionId).where("version", "=", input.version).executeTakeFirst(),
    db.selectFrom("conventions").select("title").where("id", "=", input.conventionId).executeTakeFirst(),
  ]);
  if (!old || !convention) return { status: "not_found", data: {} };
  return saveDraft(db, {
    actorId: input.actorId,
    organisationId: input.organisationId,
    conventionId: input.conventionId,
    expectedVersion: input.expectedVersion,
    intitule: convention.title,
    data: old.data as Record<string, unknown>,
    meta: input.meta,
    restoredFrom: input.version,
  });
}
