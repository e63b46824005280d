import type { Executor } from "./people.server";

const normalise = (s: string) => s.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("fr");

/**
 * Drafts (and acts in signature) of the délégant organisation with the same title (spaces and case
 * aside) and the same parties: a second one is most likely a mistake, so creation warns first.
 */
export async function findDuplicateDrafts(db: Executor, input: { delegantOrganisationId: string; intitule: string; delegataireIds: string[] }) {
  const title = normalise(input.intitule);
  if (!title) return [];
  const candidates = await db
    .selectFrom("conventions")
    .select(["id", "title", "status", "created_at"])
    .where("delegant_organisation_id", "=", input.delegantOrganisationId)
    .where("kind", "=", "convention")
    .where("status", "in", ["brouillon", "en_signature"])
    .orderBy("created_at", "desc")
    .limit(500)
    .execute();
  const sameTitle = candidates.filter((c) => normalise(c.title) === title);
  if (!sameTitle.length) return [];
  const parties = await db
    .selectFrom("convention_organisations")
    .select(["convention_id", "organisation_id"])
    .where("role", "=", "delegataire")
    .where(
      "convention_id",
      "in",
      sameTitle.map((c) => c.id),
    )
    .execute();
  const wanted = [...new Set(input.delegataireIds)].sort().join(",");
  return sameTitle.filter((c) => parties.filter((p) => p.convention_id === c.id).map((p) => p.organisation_id).sort().join(",") === wanted);
}
