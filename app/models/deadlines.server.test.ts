import { type Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { addDays, addMonths, compareDates, daysInMonth, lastNoticeDate } from "../domain/dates";
import { createTestDatabase } from "../test-support/db";
import { LAST_NOTICE_ON, listDeadlines, readDeadlineOrder, type Deadline, type DeadlineOrder } from "./deadlines.server";

/** « Échéances » in both orders: by end date, and by the last date a termination notice can be sent. */

let db: Database;
let close: () => Promise<void>;
let demo: { delegant_organisation_id: string; template: string; data: Record<string, unknown>; created_by: string; id: string };
const tag = `Échéance ${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
  const row = await db.selectFrom("conventions").select(["id", "delegant_organisation_id", "template", "data", "created_by"]).where("title", "like", "%Incubateur%").executeTakeFirstOrThrow();
  demo = { ...row, data: (typeof row.data === "string" ? JSON.parse(row.data) : row.data) as Record<string, unknown> };
}, 120_000);
afterAll(() => close());

/** Conventions of Justice and the DINUM in force, each with its end date and notice period. */
async function inForce(acts: { name: string; ends_on: string; preavisMois: number }[]) {
  const rows = await db
    .insertInto("conventions")
    .values(
      acts.map((a) => ({
        kind: "convention",
        parent_id: null,
        status: "en_vigueur",
        title: `${tag} ${a.name}`,
        reference: null,
        delegant_organisation_id: demo.delegant_organisation_id,
        template: demo.template,
        data: JSON.stringify({ ...demo.data, preavisMois: a.preavisMois }),
        frozen_sha256: null,
        created_by: demo.created_by,
        decline_reason: null,
        signed_on: "2025-01-10",
        starts_on: "2025-01-10",
        ends_on: a.ends_on,
      })),
    )
    .returning("id")
    .execute();
  const parties = await db.selectFrom("convention_organisations").selectAll().where("convention_id", "=", demo.id).execute();
  await db
    .insertInto("convention_organisations")
    .values(rows.flatMap((r) => parties.map((p) => ({ ...p, convention_id: r.id }))))
    .execute();
}

/** Every page of the list, `size` rows a page, following « page suivante ». */
async function all(order: DeadlineOrder, size: number): Promise<Deadline[]> {
  const rows: Deadline[] = [];
  let after: string | null = null;
  for (let i = 0; i < 200; i++) {
    const page = await listDeadlines(db, demo.delegant_organisation_id, { after, before: null, limit: size }, order);
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
  throw new Error("pagination sans fin");
}

const mine = (rows: Deadline[]) => rows.filter((r) => r.title.startsWith(tag)).map((r) => r.title.slice(tag.length + 1));

describe("« Échéances »", () => {
  it("lists by end date by default, and by the last date to notify a termination with ?tri=preavis, when notice periods differ", async () => {
    // End order: B (31 Jan), C (28 Feb), A (31 Mar). Last notice: A 31 Mar 2026 (12 months),
    // C 30 Nov 2026 (3 months), B 31 Dec 2026 (1 month): the other way round.
    await inForce([
      { name: "A", ends_on: "2027-03-31", preavisMois: 12 },
      { name: "B", ends_on: "2027-01-31", preavisMois: 1 },
      { name: "C", ends_on: "2027-02-28", preavisMois: 3 },
    ]);
    expect(mine(await all("fin", 25))).toEqual(["B", "C", "A"]);
    const byNotice = await all("preavis", 25);
    expect(mine(byNotice)).toEqual(["A", "C", "B"]);
    expect(byNotice.filter((r) => r.title.startsWith(tag)).map((r) => r.last_notice_on)).toEqual(["2026-03-31", "2026-11-30", "2026-12-31"]);
    // The query string's value: anything else than « preavis » is the default order.
    expect([readDeadlineOrder("preavis"), readDeadlineOrder("fin"), readDeadlineOrder(null), readDeadlineOrder("x")]).toEqual(["preavis", "fin", "fin", "fin"]);
  });

  it("the SQL order key is lastNoticeDate, day for day (month ends, leap years, notice periods of 0, 1, 3, 6 and 12 months), and pages follow it", async () => {
    // End dates around month ends over 2027–2029 (2028 a leap year), with each notice period.
    const ends: string[] = [];
    for (let m = 0; m < 30; m++) {
      const first = addMonths("2027-01-01", m);
      const [y, mo] = first.split("-").map(Number);
      const last = `${first.slice(0, 8)}${String(daysInMonth(y, mo)).padStart(2, "0")}`;
      ends.push(last, addDays(last, -1), addDays(last, -2), addDays(first, 14));
    }
    const periods = [0, 1, 3, 6, 12];
    const acts = ends.map((ends_on, i) => ({ name: `S${i}`, ends_on, preavisMois: periods[i % periods.length] }));
    await inForce(acts);

    const computed = await db
      .selectFrom("conventions")
      .select(["title", "ends_on", LAST_NOTICE_ON.as("last_notice_on")])
      .where("title", "like", `${tag} S%`)
      .execute();
    expect(computed).toHaveLength(acts.length);
    const preavisOf = new Map(acts.map((a) => [`${tag} ${a.name}`, a.preavisMois]));
    for (const row of computed) {
      const sqlDate = String(row.last_notice_on).slice(0, 10);
      expect({ title: row.title, last: sqlDate }).toEqual({ title: row.title, last: lastNoticeDate(String(row.ends_on).slice(0, 10), preavisOf.get(row.title)!) });
    }

    // Pages of 7 rows by last notice date: every row once, in (last notice, end date, id) order.
    const paged = await all("preavis", 7);
    expect(new Set(paged.map((r) => r.id)).size).toBe(paged.length);
    expect(mine(paged).filter((n) => n.startsWith("S"))).toHaveLength(acts.length);
    for (let i = 1; i < paged.length; i++) {
      const [a, b] = [paged[i - 1], paged[i]];
      const c = compareDates(a.last_notice_on, b.last_notice_on) || compareDates(a.ends_on, b.ends_on) || (a.id < b.id ? -1 : 1);
      expect(c, `${a.title} (${a.last_notice_on}) avant ${b.title} (${b.last_notice_on})`).toBe(-1);
    }
    const byEnd = await all("fin", 7);
    expect(byEnd).toHaveLength(paged.length);
    for (let i = 1; i < byEnd.length; i++) expect(compareDates(byEnd[i - 1].ends_on, byEnd[i].ends_on)).toBeLessThanOrEqual(0);
  });
});
