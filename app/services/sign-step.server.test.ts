import type { Database } from "../../db/connect";
import { CAMILLE, CANTON, circuitWorld } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { CircuitError } from "./circuit-shared.server";
import { launchCircuit } from "./launch-circuit.server";
import { sendSigningCode } from "./send-signing-code.server";
import { BUSY_MESSAGE, SIGN_LOCK_WAIT_MS, signStep } from "./sign-step.server";

let db: Database;
let close: () => Promise<void>;
let world: Awaited<ReturnType<typeof circuitWorld>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, testConfig());
}, 120_000);
afterAll(() => close?.());

// PGlite runs one query at a time: a held row lock is only shown on PostgreSQL.
describe.skipIf(!process.env.DATABASE_URL)("signing behind a held row lock (PostgreSQL)", () => {
  it("waits a bounded time for the act's lock, then answers « réessayez » in French with nothing written", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    await sendSigningCode(db, world.deps, world.actor(CANTON), id);
    const code = await world.lastCode(CANTON);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // Another operation on the same act keeps its row locked for longer than the signature may wait.
    const holder = db.transaction().execute(async (trx) => {
      await trx.selectFrom("conventions").select("id").where("id", "=", id).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;
    const started = Date.now();
    const outcome = await signStep(db, world.deps, world.actor(CANTON), id, code).then(
      () => null,
      (e: unknown) => e,
    );
    const waited = Date.now() - started;
    release();
    await holder;
    expect(outcome).toBeInstanceOf(CircuitError);
    expect((outcome as Error).message).toBe(BUSY_MESSAGE);
    expect(waited).toBeGreaterThanOrEqual(SIGN_LOCK_WAIT_MS - 100);
    expect(waited).toBeLessThan(SIGN_LOCK_WAIT_MS + 5000);
    expect(await db.selectFrom("documents").select("id").where("convention_id", "=", id).where("kind", "=", "signe").execute()).toEqual([]);
    // Once the lock is free, the same code signs.
    expect((await signStep(db, world.deps, world.actor(CANTON), id, code)).completed).toBe(false);
  }, 60_000);
});
