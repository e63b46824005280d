import type { Executor } from "./people.server";

/** The convention's data after each signed act: 0 = the initial act, k = as amended by avenant n° k. */
export async function insertConsolidation(
  db: Executor,
  input: { conventionId: string; number: number; avenantId: string | null; data: unknown; actSha256: string; signedOn: string },
) {
  await db
    .insertInto("consolidations")
    .values({
      convention_id: input.conventionId,
      number: input.number,
      avenant_id: input.avenantId,
      data: JSON.stringify(input.data),
      act_sha256: input.actSha256,
      signed_on: input.signedOn,
    })
    .execute();
}

export function latestConsolidation(db: Executor, conventionId: string) {
  return db.selectFrom("consolidations").selectAll().where("convention_id", "=", conventionId).orderBy("number", "desc").limit(1).executeTakeFirst();
}

export function listConsolidations(db: Executor, conventionId: string) {
  return db
    .selectFrom("consolidations")
    .leftJoin("conventions as avenant", "avenant.id", "consolidations.avenant_id")
    .select([
      "consolidations.id",
      "consolidations.number",
      "consolidations.avenant_id",
      "consolidations.data",
      "consolidations.act_sha256",
      "consolidations.signed_on",
      "consolidations.created_at",
      "avenant.title as avenant_title",
    ])
    .where("consolidations.convention_id", "=", conventionId)
    .orderBy("consolidations.number")
    .execute();
}

export function getConsolidation(db: Executor, conventionId: string, number: number) {
  return db.selectFrom("consolidations").selectAll().where("convention_id", "=", conventionId).where("number", "=", number).executeTakeFirst();
}
