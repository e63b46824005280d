import type { Executor } from "./people.server";

/** Which act a PDF (or one of its revisions) is, by SHA-256. */
export function findDocumentsBySha256(db: Executor, hashes: string[]) {
  if (hashes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("documents")
    .innerJoin("conventions", "conventions.id", "documents.convention_id")
    .select(["documents.sha256", "documents.kind", "documents.revision", "conventions.id as convention_id", "conventions.title", "conventions.kind as act_kind", "conventions.status", "conventions.reference"])
    .where("documents.sha256", "in", hashes)
    .execute();
}

/** Which revision of a round's signed document is the latest (id and hash, without its bytes): for checking nothing moved. */
export function latestRevisionRef(db: Executor, conventionId: string, round: number) {
  return db
    .selectFrom("documents")
    .select(["id", "sha256", "revision"])
    .where("convention_id", "=", conventionId)
    .where("round", "=", round)
    .where("kind", "in", ["fige", "signe", "complet"])
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();
}
