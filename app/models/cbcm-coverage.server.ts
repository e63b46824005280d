import type { Executor } from "./people.server";

/**
 * Whether the délégant's ministry has a CBCM to receive the signed act: one in the directory for
 * that ministry, or a recipient the rédacteur added explicitly for that role. Null when covered;
 * otherwise the ministry's name (« Ministère de la Culture »).
 */
export async function uncoveredMinistry(db: Executor, conventionId: string): Promise<string | null> {
  const row = await db
    .selectFrom("conventions")
    .innerJoin("organisations", "organisations.id", "conventions.delegant_organisation_id")
    .select("organisations.ministry")
    .where("conventions.id", "=", conventionId)
    .executeTakeFirst();
  if (!row) return null;
  const cbcm = await db.selectFrom("cbcm").select("id").where("ministry", "=", row.ministry).limit(1).executeTakeFirst();
  if (cbcm) return null;
  const standIn = await db.selectFrom("extra_recipients").select("id").where("convention_id", "=", conventionId).where("for_cbcm", "=", true).limit(1).executeTakeFirst();
  return standIn ? null : row.ministry;
}

/** « Ministère de la Culture » -> « Aucun CBCM n'est enregistré pour le ministère de la Culture : l'acte ne lui sera pas transmis ». */
export function uncoveredMessage(ministry: string): string {
  const name = /^Minist[èe]re\b/.test(ministry) ? ministry.charAt(0).toLowerCase() + ministry.slice(1) : ministry;
  const pour = /^(ministère|secrétariat|services)\b/i.test(name) ? `le ${name}`.replace(/^le services/i, "les services") : name;
  return `Aucun CBCM n'est enregistré pour ${pour} : l'acte ne lui sera pas transmis`;
}
