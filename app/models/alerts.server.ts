import { sql } from "kysely";
import { keysetPage, type PageRequest } from "./keyset.server";
import type { Executor } from "./people.server";

/** One page of a person's alerts, newest first (index alerts_person_created). */
export function pageAlerts(db: Executor, personId: string, page: PageRequest) {
  return keysetPage(
    db
      .selectFrom("alerts")
      .leftJoin("conventions", "conventions.id", "alerts.convention_id")
      .select(["alerts.id", "alerts.message", "alerts.created_at", "alerts.read_at", "alerts.convention_id", "conventions.title"])
      .where("alerts.person_id", "=", personId),
    {
      keys: [
        { expr: sql.ref("alerts.created_at"), type: "timestamptz" },
        { expr: sql.ref("alerts.id"), type: "uuid" },
      ],
      direction: "desc",
      ...page,
    },
  );
}

export async function countUnreadAlerts(db: Executor, personId: string) {
  const row = await db.selectFrom("alerts").select(sql<string>`count(*)`.as("n")).where("person_id", "=", personId).where("read_at", "is", null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A portal alert for one person (listed on /alertes), about a convention or not. */
export async function addAlert(db: Executor, input: { personId: string; conventionId: string | null; message: string }) {
  await db.insertInto("alerts").values({ person_id: input.personId, convention_id: input.conventionId, message: input.message, read_at: null }).execute();
}
