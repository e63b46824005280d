import { sql } from "kysely";
import { lastNoticeDate } from "../domain/dates";
import { keysetPage, type KeysetPage, type PageRequest } from "./keyset.server";
import type { Executor } from "./people.server";

export type Deadline = { id: string; title: string; reference: string | null; status: string; ends_on: string; last_notice_on: string; partner: string };

/** The two orders of « Échéances »: by end date, or by the last date a termination notice can be sent. */
export type DeadlineOrder = "fin" | "preavis";
export const DEADLINE_ORDERS: readonly DeadlineOrder[] = ["fin", "preavis"];
export const readDeadlineOrder = (value: string | null): DeadlineOrder => (value === "preavis" ? "preavis" : "fin");

const PREAVIS = sql<number>`coalesce((conventions.data->>'preavisMois')::int, 3)`;

/**
 * `lastNoticeDate(ends_on, preavis)` (app/domain/dates.ts) in SQL, for the order: the latest day d
 * with d + preavis months (clamped to the month's end) ≤ ends_on. When ends_on is the last day of
 * its month, that is the last day of the month `preavis` months earlier (30 November for 29 February
 * with 3 months); otherwise ends_on − preavis months, clamped (PostgreSQL clamps as addMonths does).
 */
export const LAST_NOTICE_ON = sql<string>`(case
  when conventions.ends_on = (date_trunc('month', conventions.ends_on) + interval '1 month' - interval '1 day')::date
  then (date_trunc('month', conventions.ends_on) - make_interval(months => ${PREAVIS}) + interval '1 month' - interval '1 day')::date
  else (conventions.ends_on - make_interval(months => ${PREAVIS}))::date
end)`;

/**
 * « Échéances »: the conventions in force (or signed, not yet in force) of `organisationId` that have
 * an end date, with the last date a termination notice can be sent to take effect by then; by end date
 * (`fin`, the default) or by that last notice date (`preavis`: the two differ when notice periods do).
 */
export async function listDeadlines(db: Executor, organisationId: string, page: PageRequest, order: DeadlineOrder = "fin"): Promise<KeysetPage<Deadline>> {
  const query = db
    .selectFrom("conventions")
    .innerJoin("convention_organisations as mine", (j) => j.onRef("mine.convention_id", "=", "conventions.id").on("mine.organisation_id", "=", organisationId))
    .select([
      "conventions.id",
      "conventions.title",
      "conventions.reference",
      "conventions.status",
      "conventions.ends_on",
      PREAVIS.as("preavis"),
      sql<string>`(select string_agg(o.name, ', ' order by co.role, o.name) from convention_organisations co join organisations o on o.id = co.organisation_id
        where co.convention_id = conventions.id and co.organisation_id <> ${organisationId})`.as("partner"),
    ])
    .where("conventions.kind", "=", "convention")
    .where("conventions.status", "in", ["en_vigueur", "signee"])
    .where("conventions.ends_on", "is not", null);
  const result = await keysetPage(query, {
    ...page,
    direction: "asc",
    keys:
      order === "preavis"
        ? [
            { expr: LAST_NOTICE_ON, type: "date" },
            { expr: sql`conventions.ends_on`, type: "date" },
            { expr: sql`conventions.id`, type: "uuid" },
          ]
        : [
            { expr: sql`conventions.ends_on`, type: "date" },
            { expr: sql`conventions.id`, type: "uuid" },
          ],
  });
  return {
    ...result,
    rows: result.rows.map(({ preavis, ...r }) => ({ ...r, ends_on: r.ends_on!, partner: r.partner ?? "", last_notice_on: lastNoticeDate(r.ends_on!, preavis) })),
  };
}
