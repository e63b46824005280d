import { sql } from "kysely";
import { openDatabase, type Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { verifyAuditChain } from "../models/audit.server";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { insertSignedConvention } from "../test-support/signed-convention";
import { runScheduler } from "./run-scheduler.server";

let db: Database;
let close: () => Promise<void>;
let engine: "postgresql" | "pglite";
const config = testConfig();
const deps = { config };
let demo: { title: string; delegant_organisation_id: string; template: string; data: unknown; created_by: string; id: string };

beforeAll(async () => {
  ({ db, close, engine } = await createTestDatabase());
  await seedDemo(db);
  demo = await db.selectFrom("conventions").select(["id", "title", "delegant_organisation_id", "template", "data", "created_by"]).where("title", "like", "%Incubateur%").executeTakeFirstOrThrow();
}, 120_000);
afterAll(() => close());

/** A signed convention of Justice and the DINUM with the given status and dates (as finishCircuit leaves it). */
const act = (values: { status: string; starts_on?: string; ends_on?: string | null; termination_effective_on?: string }) => insertSignedConvention(db, values);

const status = async (id: string) => (await db.selectFrom("conventions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
const events = (id: string, type: string) => db.selectFrom("audit_events").selectAll().where("convention_id", "=", id).where("type", "=", type).execute();
const mails = (id: string, kind: string) => db.selectFrom("outbox_messages").selectAll().where("convention_id", "=", id).where("kind", "=", kind).orderBy("to_address").execute();
/** An instant in Europe/Paris (winter: UTC+1, summer: UTC+2). */
const paris = (local: string) => {
  const guess = new Date(`${local}Z`);
  const offset = Number(new Intl.DateTimeFormat("en", { timeZone: "Europe/Paris", timeZoneName: "shortOffset" }).formatToParts(guess).find((p) => p.type === "timeZoneName")!.value.replace("GMT", "") || 0);
  return new Date(guess.getTime() - offset * 3_600_000);
};

describe("scheduler", () => {
  it("puts a signed convention in force on its start date (Europe/Paris), not the day before, and tells both parties' rédacteurs", async () => {
    const id = await act({ status: "signee", starts_on: "2026-04-01" });
    await runScheduler(db, deps, paris("2026-03-31T23:59:00"));
    expect(await status(id)).toBe("signee");
    // 22:30 UTC on 31 March is already 1 April in Paris (summer time).
    expect(new Date("2026-03-31T22:30:00Z").getTime()).toBe(paris("2026-04-01T00:30:00").getTime());
    const report = await runScheduler(db, deps, new Date("2026-03-31T22:30:00Z"));
    expect(report.entreesEnVigueur).toBeGreaterThanOrEqual(1);
    expect(await status(id)).toBe("en_vigueur");
    expect(await events(id, "entree_en_vigueur")).toHaveLength(1);
    expect((await mails(id, "entree_en_vigueur")).map((m) => m.to_address)).toEqual(["camille.durand@justice.example", "louis.bernard@dinum.example"]);
    const alerts = await db.selectFrom("alerts").selectAll().where("convention_id", "=", id).execute();
    expect(alerts).toHaveLength(2);
    expect(alerts[0].message).toContain("est entrée en vigueur le 1er avril 2026");
    expect(await verifyAuditChain(db, id)).toBe(true);
  });

  it("expires a convention the day after its end date (the end date is the last day in force), once", async () => {
    const id = await act({ status: "en_vigueur", ends_on: "2026-10-25" });
    // The last day in force, late in the evening (after the switch to winter time that night).
    await runScheduler(db, deps, paris("2026-10-25T23:59:00"));
    expect(await status(id)).toBe("en_vigueur");
    await runScheduler(db, deps, paris("2026-10-26T00:00:30"));
    expect(await status(id)).toBe("expiree");
    await runScheduler(db, deps, paris("2026-10-27T09:00:00"));
    expect(await events(id, "expiration")).toHaveLength(1);
    expect(await mails(id, "expiration")).toHaveLength(2);
  });

  it("catches up once after a server stopped across an expiry date", async () => {
    const id = await act({ status: "en_vigueur", ends_on: "2027-02-28" });
    await runScheduler(db, deps, paris("2027-02-20T10:00:00"));
    expect(await status(id)).toBe("en_vigueur");
    // Down from 20 February to 15 March: the first run after the restart expires it, the next ones do nothing.
    const first = await runScheduler(db, deps, paris("2027-03-15T08:00:00"));
    expect(first.expirations).toBeGreaterThanOrEqual(1);
    await runScheduler(db, deps, paris("2027-03-15T08:01:00"));
    await runScheduler(db, deps, paris("2027-03-16T08:00:00"));
    expect(await status(id)).toBe("expiree");
    expect(await events(id, "expiration")).toHaveLength(1);
    expect(await mails(id, "expiration")).toHaveLength(2);
  });

  it("a signed convention whose whole period passed while the server was down enters into force, then expires", async () => {
    const id = await act({ status: "signee", starts_on: "2027-05-01", ends_on: "2027-05-31" });
    await runScheduler(db, deps, paris("2027-07-01T12:00:00"));
    expect(await status(id)).toBe("expiree");
    expect(await events(id, "entree_en_vigueur")).toHaveLength(1);
    expect(await events(id, "expiration")).toHaveLength(1);
  });

  it("makes a notified termination effective on its date, and not an expiry when it falls before the end", async () => {
    const id = await act({ status: "resiliation_notifiee", ends_on: "2027-12-31", termination_effective_on: "2027-06-30" });
    await runScheduler(db, deps, paris("2027-06-29T23:00:00"));
    expect(await status(id)).toBe("resiliation_notifiee");
    await runScheduler(db, deps, paris("2027-06-30T00:05:00"));
    expect(await status(id)).toBe("resiliee");
    await runScheduler(db, deps, paris("2028-02-01T00:05:00"));
    expect(await status(id)).toBe("resiliee");
    expect(await events(id, "resiliation_effective")).toHaveLength(1);
    expect(await events(id, "expiration")).toHaveLength(0);
    expect((await mails(id, "resiliation_effective"))[0].body_text).toContain("est résiliée depuis le 30 juin 2027");
  });

  it("a notice taking effect after the end date: the convention expires at its end", async () => {
    const id = await act({ status: "resiliation_notifiee", ends_on: "2027-03-31", termination_effective_on: "2027-05-15" });
    await runScheduler(db, deps, paris("2027-06-01T10:00:00"));
    expect(await status(id)).toBe("expiree");
    expect(await events(id, "resiliation_effective")).toHaveLength(0);
  });

  it("reminds both parties' rédacteurs 60 and 30 days before the end, once each, with a link to prepare an avenant", async () => {
    const id = await act({ status: "en_vigueur", ends_on: "2028-06-30" });
    await runScheduler(db, deps, paris("2028-04-30T12:00:00")); // 61 days before
    expect(await mails(id, "rappel_echeance")).toHaveLength(0);
    await runScheduler(db, deps, paris("2028-05-01T00:10:00")); // 60 days before
    await runScheduler(db, deps, paris("2028-05-02T00:10:00"));
    const first = await mails(id, "rappel_echeance");
    expect(first.map((m) => m.to_address)).toEqual(["camille.durand@justice.example", "louis.bernard@dinum.example"]);
    expect(first[0].subject).toBe(`Échéance : ${(await db.selectFrom("conventions").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title} prend fin le 30 juin 2028`);
    expect(first[0].body_text).toContain("(dans 60 jours)");
    expect(first[0].body_text).toContain(`${config.publicUrl}/conventions/${id}/avenant`);
    await runScheduler(db, deps, paris("2028-05-31T09:00:00")); // 30 days before
    await runScheduler(db, deps, paris("2028-06-01T09:00:00"));
    expect(await mails(id, "rappel_echeance")).toHaveLength(4);
    expect(await events(id, "rappel_echeance")).toHaveLength(2);
    expect(await db.selectFrom("alerts").selectAll().where("convention_id", "=", id).execute()).toHaveLength(4);

    // An avenant moves the end date: the reminders are armed again for the new date.
    await db.updateTable("conventions").set({ ends_on: "2029-06-30" }).where("id", "=", id).execute();
    await runScheduler(db, deps, paris("2028-06-02T09:00:00"));
    expect(await mails(id, "rappel_echeance")).toHaveLength(4);
    await runScheduler(db, deps, paris("2029-05-01T09:00:00"));
    expect(await mails(id, "rappel_echeance")).toHaveLength(6);
  });

  it("after downtime over both thresholds, sends one reminder (the nearest) and not the missed one", async () => {
    const id = await act({ status: "en_vigueur", ends_on: "2028-09-30" });
    await runScheduler(db, deps, paris("2028-09-20T09:00:00"));
    await runScheduler(db, deps, paris("2028-09-21T09:00:00"));
    const sent = await mails(id, "rappel_echeance");
    expect(sent).toHaveLength(2);
    expect(sent[0].body_text).toContain("(dans 10 jours)");
    expect((await events(id, "rappel_echeance"))[0].payload).toMatchObject({ daysBefore: 30, daysLeft: 10 });
    expect(await db.selectFrom("end_reminders").select("days_before").where("convention_id", "=", id).orderBy("days_before").execute()).toEqual([{ days_before: 30 }, { days_before: 60 }]);
  });

  it("sends no end reminder with END_REMINDER_DAYS=0", async () => {
    const id = await act({ status: "en_vigueur", ends_on: "2028-11-30" });
    await runScheduler(db, { config: testConfig({ END_REMINDER_DAYS: "0" }) }, paris("2028-11-20T09:00:00"));
    expect(await mails(id, "rappel_echeance")).toHaveLength(0);
  });

  it("leaves avenants, notices and drafts alone", async () => {
    const draft = await act({ status: "brouillon", starts_on: "2020-01-01", ends_on: "2020-12-31" });
    await db.updateTable("conventions").set({ kind: "avenant", parent_id: draft }).where("id", "=", await act({ status: "signee", starts_on: "2020-01-01" })).execute();
    await runScheduler(db, deps, paris("2029-01-01T09:00:00"));
    expect(await status(draft)).toBe("brouillon");
    expect(await db.selectFrom("conventions").select("status").where("parent_id", "=", draft).executeTakeFirstOrThrow()).toEqual({ status: "signee" });
  });

  it("two scheduler instances over the same due jobs apply each transition once (PostgreSQL)", async () => {
    if (engine !== "postgresql") return; // PGlite serialises everything: no concurrency to test.
    await runScheduler(db, deps, paris("2029-12-31T09:00:00")); // the earlier tests' conventions: done before these
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => act({ status: i % 2 ? "en_vigueur" : "signee", starts_on: "2030-01-01", ends_on: i % 2 ? "2030-01-31" : "2030-12-31" })));
    const { schema } = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0];
    const other = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: "", searchPath: `${schema},public` });
    try {
      const at = paris("2030-02-15T09:00:00");
      const [a, b] = await Promise.all([runScheduler(db, deps, at), runScheduler(other, deps, at)]);
      expect(a.erreurs + b.erreurs).toBe(0);
      // 6 entries into force and 6 expiries among these 12, split between the two instances.
      for (const id of ids) {
        const expected = ids.indexOf(id) % 2 ? { status: "expiree", type: "expiration" } : { status: "en_vigueur", type: "entree_en_vigueur" };
        expect(await status(id)).toBe(expected.status);
        expect(await events(id, expected.type)).toHaveLength(1);
        expect(await mails(id, expected.type)).toHaveLength(2);
        expect(await verifyAuditChain(db, id)).toBe(true);
      }
      // Each transition was applied by exactly one of them.
      expect(a.expirations + b.expirations).toBe(6);
      expect(a.entreesEnVigueur + b.entreesEnVigueur).toBe(6);
    } finally {
      await other.destroy();
    }
  });
});
