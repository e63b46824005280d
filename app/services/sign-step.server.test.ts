import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { fieldNameOfBlock } from "../domain/circuit";
import { verifyAuditChain } from "../models/audit.server";
import type { TimestampAuthority } from "../pdf/pki/timestamp";
import { CAMILLE, CANTON, circuitWorld, LEMAIRE } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { CircuitError } from "./circuit-shared.server";
import { launchCircuit } from "./launch-circuit.server";
import { sendSigningCode } from "./send-signing-code.server";
import { proposedCircuit, setCircuit } from "./set-circuit.server";
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

/** A TSA whose first request waits until `release()` (or `ms`), the next ones answering at once. */
function slowTsa(tsa: TimestampAuthority, ms: number) {
  let entered!: () => void;
  const waiting = new Promise<void>((r) => (entered = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let first = true;
  const slow: TimestampAuthority = {
    async timestamp(imprint) {
      if (first) {
        first = false;
        entered();
        await Promise.race([released, new Promise((r) => setTimeout(r, ms))]);
      }
      return tsa.timestamp(imprint);
    },
  };
  return { tsa: slow, waiting, release };
}

/** A TSA whose first request from each of `parties` signers waits until all have asked: they then go on together. */
function barrierTsa(tsa: TimestampAuthority, parties: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const seen = new WeakSet<object>();
  return (signer: object): TimestampAuthority => ({
    async timestamp(imprint) {
      if (!seen.has(signer)) {
        seen.add(signer);
        if (++arrived === parties) open();
        await opened;
      }
      return tsa.timestamp(imprint);
    },
  });
}

/** One step signed by both Justice signataires (rule « tous »), Marc Lemaire with a block of his own; launched. */
async function coSignedAct() {
  const id = await world.freshDraft();
  const draft = await db.selectFrom("conventions").select("data").where("id", "=", id).executeTakeFirstOrThrow();
  const data = draft.data as { signatures: Record<string, string>[] };
  data.signatures.push({ partie: "delegant", libelle: "Le Ministère de la Justice,", nom: "Marc Lemaire", fonction: "Adjoint à la cheffe de Service Numérique" });
  await db.updateTable("conventions").set({ data: JSON.stringify(data) }).where("id", "=", id).execute();
  const { steps } = await proposedCircuit(db, id, data);
  const [first, ...rest] = steps;
  const lemaire = (await db.selectFrom("people").select("id").where("email", "=", LEMAIRE).executeTakeFirstOrThrow()).id;
  await setCircuit(db, world.actor(CAMILLE), id, { steps: [{ ...first, rule: "tous", members: [...first.members, { personId: lemaire, fieldName: fieldNameOfBlock(2) }] }, ...rest] });
  await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
  return id;
}

describe.skipIf(!process.env.DATABASE_URL)("a stop still in progress when the signature is written (PostgreSQL)", () => {
  it("the signature waits for the act's row lock, then sees the stop and writes nothing", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    await sendSigningCode(db, world.deps, world.actor(CANTON), id);
    const code = await world.lastCode(CANTON);
    const tsa = slowTsa(world.deps.pki.tsa, 10_000);
    const signing = signStep(db, { ...world.deps, pki: { ...world.deps.pki, tsa: tsa.tsa } }, world.actor(CANTON), id, code).then(
      () => "signé",
      (e: unknown) => e,
    );
    await tsa.waiting;
    // A stop as stopCircuit makes it (row locked, status changed), its transaction kept open while the
    // signature reaches its writing phase: what the signature reads then is the status before the stop.
    let commit!: () => void;
    const held = new Promise<void>((r) => (commit = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const stop = db.transaction().execute(async (trx) => {
      await trx.selectFrom("conventions").select("id").where("id", "=", id).forUpdate().execute();
      await trx.updateTable("conventions").set({ status: "brouillon" }).where("id", "=", id).execute();
      locked();
      await held;
    });
    await isLocked;
    tsa.release();
    await new Promise((r) => setTimeout(r, 1_000));
    commit();
    await stop;
    const signed = await signing;
    expect(signed).toBeInstanceOf(CircuitError);
    expect((signed as Error).message).toBe("Ce document n'est pas en cours de signature.");
    expect(await db.selectFrom("documents").select("id").where("convention_id", "=", id).where("kind", "=", "signe").execute()).toEqual([]);
  }, 60_000);
});

describe.skipIf(!process.env.DATABASE_URL)("co-signers of one step at the same instant (PostgreSQL)", () => {
  it("both signatures are kept, the second an increment over the first: the act's row lock orders their writes", async () => {
    const id = await coSignedAct();
    await sendSigningCode(db, world.deps, world.actor(CANTON), id);
    const cantonCode = await world.lastCode(CANTON);
    await sendSigningCode(db, world.deps, world.actor(LEMAIRE), id);
    const lemaireCode = await world.lastCode(LEMAIRE);
    // Both make their signature outside the lock, then write at the same moment.
    const tsaFor = barrierTsa(world.deps.pki.tsa, 2);
    const signer = (email: string, code: string) => {
      const deps = { ...world.deps, pki: { ...world.deps.pki, tsa: tsaFor({}) } };
      return signStep(db, deps, world.actor(email), id, code);
    };
    const results = await Promise.allSettled([signer(CANTON, cantonCode), signer(LEMAIRE, lemaireCode)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const revisions = await db.selectFrom("documents").select(["revision", "bytes"]).where("convention_id", "=", id).where("kind", "=", "signe").orderBy("revision").execute();
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(Buffer.compare(revisions[1].bytes.subarray(0, revisions[0].bytes.length), revisions[0].bytes)).toBe(0);
    const members = await db.selectFrom("step_members").select("acted_at").where("step_id", "in", db.selectFrom("circuit_steps").select("id").where("convention_id", "=", id)).execute();
    expect(members.filter((m) => m.acted_at).length).toBe(2);
    expect(await verifyAuditChain(db, id)).toBe(true);
  }, 60_000);
});

describe.skipIf(!process.env.DATABASE_URL)("a slow timestamp authority (PostgreSQL)", () => {
  it("a 2 s TSA wait holds no lock: the act's row can be locked and read, and another act's signature completes meanwhile", async () => {
    const slowAct = await world.freshDraft();
    const otherAct = await world.freshDraft();
    for (const id of [slowAct, otherAct]) await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    await sendSigningCode(db, world.deps, world.actor(CANTON), slowAct);
    const slowCode = await world.lastCode(CANTON);
    await sendSigningCode(db, world.deps, world.actor(CANTON), otherAct);
    const otherCode = await world.lastCode(CANTON);

    const tsa = slowTsa(world.deps.pki.tsa, 2000);
    const started = Date.now();
    let slowDone = false;
    const slow = signStep(db, { ...world.deps, pki: { ...world.deps.pki, tsa: tsa.tsa } }, world.actor(CANTON), slowAct, slowCode).finally(() => (slowDone = true));
    await tsa.waiting;
    // The act's row is free while its signature waits for the TSA: a lock on it is granted at once
    // (NOWAIT fails with 55P03 when another transaction holds it), and a read sees it « en signature ».
    const locked = await db.transaction().execute(async (trx) => {
      return (await sql<{ status: string }>`select status from conventions where id = ${slowAct} for update nowait`.execute(trx)).rows[0].status;
    });
    expect(locked).toBe("en_signature");
    // Another act's signature goes through from start to end meanwhile.
    const other = await signStep(db, world.deps, world.actor(CANTON), otherAct, otherCode);
    expect(other.completed).toBe(false);
    expect(slowDone).toBe(false);
    const done = await slow;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    // The wait was spent outside the lock: the lock was held for a fraction of it.
    expect(done.timings.outsideMs).toBeGreaterThanOrEqual(1900);
    expect(done.timings.lockMs).toBeLessThan(1500);
    const signed = await db.selectFrom("documents").select("convention_id").where("convention_id", "in", [slowAct, otherAct]).where("kind", "=", "signe").execute();
    expect(signed.map((d) => d.convention_id).sort()).toEqual([slowAct, otherAct].sort());
    expect(await verifyAuditChain(db, slowAct)).toBe(true);
  }, 60_000);

  it("a co-signer's signature written during the TSA wait is detected: the signature is made again on the new revision", async () => {
    // One step signed by both Justice signataires (rule « tous »): they may sign at the same time.
    const id = await coSignedAct();
    await sendSigningCode(db, world.deps, world.actor(LEMAIRE), id);
    const lemaireCode = await world.lastCode(LEMAIRE);

    const tsa = slowTsa(world.deps.pki.tsa, 10_000);
    const late = signStep(db, { ...world.deps, pki: { ...world.deps.pki, tsa: tsa.tsa } }, world.actor(LEMAIRE), id, lemaireCode);
    await tsa.waiting;
    // Meanwhile Anne-Florence Canton signs: revision 1.
    await world.sign(CANTON, id);
    tsa.release();
    const result = await late;
    expect(result.timings.attempts).toBe(2);
    const revisions = await db.selectFrom("documents").select(["revision", "bytes", "sha256"]).where("convention_id", "=", id).where("kind", "=", "signe").orderBy("revision").execute();
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    // Marc Lemaire's signature is an increment over Anne-Florence Canton's: neither covers the other's absence.
    expect(Buffer.compare(revisions[1].bytes.subarray(0, revisions[0].bytes.length), revisions[0].bytes)).toBe(0);
    expect(result.sha256).toBe(revisions[1].sha256);
    expect(await verifyAuditChain(db, id)).toBe(true);
  }, 60_000);
});
