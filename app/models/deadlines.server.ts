import { sql } from "kysely";
import { lastNoticeDate } from "../domain/dates";
import { keysetPage, type KeysetPage, type PageRequest } from "./keyset.server";
import type { Executor } from "./people.server";

export type Deadline = { id: string; title: string; reference: string | null; status: string; ends_on: string; last_notice_on: string; partner: string };

/**
 * « Échéances »: the conventions in force (or signed, not yet in force) of `organisationId` that have
 * an end date, by end date, with the last date a termination notice can be sent to take effect by then.
 */
export async function listDeadlines(db: Executor, organisationId: string, page: PageRequest): Promise<KeysetPage<Deadline>> {
  const query = db
    .selectFrom("conventions")
    .innerJoin("convention_organisations as mine", (j) => j.onRef("mine.convention_id", "=", "conventions.id").on("mine.organisation_id", "=", organisationId))
    .select([
      "conventions.id",
      "conventions.title",
      "conventions.reference",
      "conventions.status",
      "conventions.ends_on",
      sql<number>`coalesce((conventions.data->>'preavisMois')::int, 3)`.as("preavis"),
      sql<string>`(select string_agg(o.name, ', ' order by co.role, o.name) from convention_organisations co join organisations o on o.id = co.organisation_id
        where co.convention_id = conventions.id and co.organisation_id <> ${organisationId})`.as("partner"),
    ])
    .where("conventions.kind", "=", "convention")
    .where("conventions.status", "in", ["en_vigueur", "signee"])
    .where("conventions.ends_on", "is not", null);
  const result = await keysetPage(query, {
    ...page,
    direction: "asc",
    keys: [
      { expr: sql`conventions.ends_on`, type: "date" },
      { expr: sql`conventions.id`, type: "uuid" },
    ],
  });
  return {
    ...result,
    rows: result.rows.map(({ preavis, ...r }) => ({ ...r, ends_on: r.ends_on!, partner: r.partner ?? "", last_notice_on: lastNoticeDate(r.ends_on!, preavis) })),
  };
}
