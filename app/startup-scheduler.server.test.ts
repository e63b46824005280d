import type { Database } from "../db/connect";
import { seedDemo } from "../db/seed";
import { startScheduler } from "./startup-scheduler.server";
import { testConfig } from "./test-support/config";
import { createTestDatabase } from "./test-support/db";
import { insertSignedConvention } from "./test-support/signed-convention";

/** What server.ts starts: the scheduler's run at start catches up after downtime, once. */

let db: Database;
let close: () => Promise<void>;
const deps = { config: testConfig() };
const HOUR = 3_600_000;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
}, 120_000);
afterAll(() => close());

/** A convention of Justice and the DINUM in force until `ends_on`. */
const inForceUntil = (ends_on: string) => insertSignedConvention(db, { status: "en_vigueur", ends_on });

const status = async (id: string) => (await db.selectFrom("conventions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
const expirations = async (id: string) => (await db.selectFrom("audit_events").select("id").where("convention_id", "=", id).where("type", "=", "expiration").execute()).length;

describe("the scheduler started with the server", () => {
  it("expires, as the server starts, a convention whose end date passed while it was stopped; once, over restarts", async () => {
    const id = await inForceUntil("2027-02-28");
    // The server starts on 15 March 2027 at 9:00 Paris time; the next tick would be an hour later.
    const clock = () => new Date("2027-03-15T08:00:00Z");
    const first = startScheduler(db, deps, { clock, intervalMs: HOUR });
    const report = await first.started;
    await first.stop();
    expect(report?.expirations).toBeGreaterThanOrEqual(1);
    expect(await status(id)).toBe("expiree");
    expect(await expirations(id)).toBe(1);
    expect(await db.selectFrom("outbox_messages").select("id").where("convention_id", "=", id).where("kind", "=", "expiration").execute()).toHaveLength(2);

    // Restarted the same day: nothing more.
    const second = startScheduler(db, deps, { clock, intervalMs: HOUR });
    expect((await second.started)?.expirations).toBe(0);
    await second.stop();
    expect(await expirations(id)).toBe(1);
  });

  it("a failed start-up run is logged in French and does not stop the server; the next tick runs again", async () => {
    const logged: string[] = [];
    let calls = 0;
    const broken = startScheduler(db, deps, {
      clock: () => {
        calls++;
        return calls === 1 ? new Date(Number.NaN) : new Date("2027-03-15T08:01:00Z");
      },
      intervalMs: 20,
      log: (m) => logged.push(m),
    });
    expect(await broken.started).toBeNull();
    expect(logged[0]).toMatch(/^\[planificateur\] erreur : /);
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2));
    await broken.stop();
  });
});
