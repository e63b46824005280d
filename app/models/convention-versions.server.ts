import type { Executor } from "./people.server";

export function insertConventionVersion(db: Executor, values: { conventionId: string; version: number; data: unknown; authorId: string; summary: string }) {
  return db
    .insertInto("convention_versions")
    .values({ convention_id: values.conventionId, version: values.version, data: JSON.stringify(values.data), author_id: values.authorId, summary: values.summary })
    .returning(["id", "version", "created_at"])
    .executeTakeFirstOrThrow();
}

/** Saved versions, newest first, with their author's name. */
export function listConventionVersions(db: Executor, conventionId: string) {
  return db
    .selectFrom("convention_versions")
    .innerJoin("people", "people.id", "convention_versions.author_id")
    .select([
      "convention_versions.id",
      "convention_versions.version",
      "convention_versions.summary",
      "convention_versions.created_at",
      "people.first_name",
      "people.last_name",
    ])
    .where("convention_versions.convention_id", "=", conventionId)
    .orderBy("convention_versions.version", "desc")
    .execute();
}

/** Author and time of one version (the one a stale form is compared to). */
export function getVersionAuthor(db: Executor, conventionId: string, version: number) {
  return db
    .selectFrom("convention_versions")
    .innerJoin("people", "people.id", "convention_versions.author_id")
    .select(["people.first_name", "people.last_name", "convention_versions.created_at"])
    .where("convention_versions.convention_id", "=", conventionId)
    .where("convention_versions.version", "=", version)
    .executeTakeFirst();
}

/** The convention row, locked until the end of the transaction (every change starts here). */
export function lockConvention(trx: Executor, conventionId: string) {
  return trx.selectFrom("conventions").selectAll().where("id", "=", conventionId).forUpdate().executeTakeFirst();
}
