import type { Database } from "../../db/connect";
import { demoScheduleYear } from "../../db/seed";
import { CAMILLE, CANTON, circuitWorld, LEMAIRE, parisToday, SCHAER } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { declareDelegation } from "../services/declare-delegation.server";
import { launchCircuit } from "../services/launch-circuit.server";
import { countWaitingFor, pageWaitingFor, titularsOf, toWaitingRows } from "./circuit.server";
import { pageConventionsOfOrganisation } from "./conventions.server";

let db: Database;
let close: () => Promise<void>;
let world: Awaited<ReturnType<typeof circuitWorld>>;
const config = testConfig();
const first = { after: null, before: null, limit: 100 };

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 120_000);
afterAll(() => close());

async function launched(): Promise<string> {
  const id = await world.freshDraft();
  await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
  return id;
}

/** « À signer » of a person as the routes build it: their titulars in force, the page, its rows and the count. */
async function waiting(email: string) {
  const personId = world.actor(email).id;
  const titulars = (await titularsOf(db, personId)).map((t) => t.titular_id);
  const page = await pageWaitingFor(db, personId, titulars, first);
  return { rows: toWaitingRows(page.rows, personId), count: await countWaitingFor(db, personId, titulars) };
}

describe("« À signer »: pageWaitingFor / countWaitingFor", () => {
  it("lists the step in progress for its titular only, not for the next step's signatory nor for a colleague without delegation", async () => {
    const id = await launched();
    const canton = await waiting(CANTON);
    const row = canton.rows.find((w) => w.conventionId === id);
    expect(row).toMatchObject({ stepLabel: expect.any(String), kind: "signature", onBehalfOf: null, delegant: expect.stringContaining("Justice") });
    expect(canton.count).toBe(canton.rows.length);
    expect((await waiting(SCHAER)).rows.map((w) => w.conventionId)).not.toContain(id);
    expect((await waiting(LEMAIRE)).rows.map((w) => w.conventionId)).not.toContain(id);
  });

  it("lists it for a delegate « au nom de » the titular while the delegation is in force, and no longer once revoked", async () => {
    const id = await launched();
    await declareDelegation(db, world.actor(CANTON), { delegateEmail: LEMAIRE, startsOn: parisToday(), endsOn: "2099-12-31", actReference: "Décision n° 2026-7" });
    try {
      const asDelegate = await waiting(LEMAIRE);
      expect(asDelegate.rows.find((w) => w.conventionId === id)?.onBehalfOf).toBe("Anne-Florence Canton");
      expect(asDelegate.count).toBe(asDelegate.rows.length);
      // The titular still sees it as their own.
      expect((await waiting(CANTON)).rows.find((w) => w.conventionId === id)?.onBehalfOf).toBeNull();
    } finally {
      await db.updateTable("delegations").set({ revoked_at: new Date() }).where("delegate_id", "=", world.actor(LEMAIRE).id).execute();
    }
    expect((await waiting(LEMAIRE)).rows.map((w) => w.conventionId)).not.toContain(id);
  });

  it("shows a convention once to a person listed both in person and as delegate, as their own step", async () => {
    const id = await launched();
    const step = await db.selectFrom("circuit_steps").select("id").where("convention_id", "=", id).where("status", "=", "en_cours").executeTakeFirstOrThrow();
    await db
      .insertInto("step_members")
      .values({ step_id: step.id, person_id: world.actor(LEMAIRE).id, field_name: "Signature3", acted_at: null, acted_by: null, decline_reason: null, invited_at: new Date(), last_reminder_at: null })
      .execute();
    await declareDelegation(db, world.actor(CANTON), { delegateEmail: LEMAIRE, startsOn: parisToday(), endsOn: "2099-12-31", actReference: "Décision n° 2026-8" });
    try {
      const lemaire = await waiting(LEMAIRE);
      const rows = lemaire.rows.filter((w) => w.conventionId === id);
      expect(rows).toHaveLength(1);
      expect(rows[0].onBehalfOf).toBeNull();
      expect(lemaire.count).toBe(lemaire.rows.length);
    } finally {
      await db.updateTable("delegations").set({ revoked_at: new Date() }).where("delegate_id", "=", world.actor(LEMAIRE).id).execute();
    }
  });

  it("drops the convention once it leaves « en signature »", async () => {
    const id = await launched();
    expect((await waiting(CANTON)).rows.map((w) => w.conventionId)).toContain(id);
    await db.updateTable("conventions").set({ status: "brouillon" }).where("id", "=", id).execute();
    expect((await waiting(CANTON)).rows.map((w) => w.conventionId)).not.toContain(id);
  });
});

describe("the dashboard's list: pageConventionsOfOrganisation", () => {
  it("finds a convention by its schedule's year and by its creation year, with both parties on the row", async () => {
    const id = await launched();
    const justice = (await db.selectFrom("people").select("organisation_id").where("email", "=", CAMILLE).executeTakeFirstOrThrow()).organisation_id!;
    const ids = async (annee: number) => (await pageConventionsOfOrganisation(db, justice, { annee }, first)).rows.map((r) => r.id);
    expect(await ids(demoScheduleYear())).toContain(id);
    expect(await ids(new Date().getFullYear())).toContain(id);
    expect(await ids(1950)).not.toContain(id);
    const row = (await pageConventionsOfOrganisation(db, justice, {}, first)).rows.find((r) => r.id === id)!;
    expect(row.parties.map((p) => p.role).sort()).toEqual(["delegant", "delegataire"]);
  });
});
