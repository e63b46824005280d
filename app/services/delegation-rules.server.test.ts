import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { CAMILLE, CANTON, circuitWorld, GIRARD, LEMAIRE, parisToday } from "../test-support/circuit";
import { declareDelegation, UNKNOWN_DELEGATE } from "./declare-delegation.server";
import { launchCircuit } from "./launch-circuit.server";
import { sendSigningCode } from "./send-signing-code.server";

/** Who may receive a delegation of signature, from when, and separation of duties when it is used. */

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;
let drafterId: string;
const DRAFTER = "jean.roux@justice.example";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  const justice = await db.selectFrom("people").select("organisation_id").where("email", "=", CANTON).executeTakeFirstOrThrow();
  // A juriste of Justice who is also signataire: may receive a delegation, not use it on what they drafted.
  drafterId = (
    await db
      .insertInto("people")
      .values({ email: DRAFTER, first_name: "Jean", last_name: "Roux", job_title: "Juriste", organisation_id: justice.organisation_id, roles: ["redacteur", "signataire"] })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  await db.insertInto("people").values({ email: "ancien.signataire@justice.example", first_name: "Ancien", last_name: "Signataire", job_title: null, organisation_id: justice.organisation_id, roles: ["signataire"], active: false }).execute();
}, 300_000);
afterAll(() => close());
afterEach(async () => {
  await db.updateTable("delegations").set({ revoked_at: new Date() }).where("revoked_at", "is", null).execute();
});

const drafter = () => ({ id: drafterId, authMethod: "lien_magique", ip: "127.0.0.1", userAgent: "vitest" });
const declare = (delegateEmail: string, startsOn = parisToday()) =>
  declareDelegation(db, world.actor(CANTON), { delegateEmail, startsOn, endsOn: "2099-12-31", actReference: "Décision n° 2026-42" });

function daysFromToday(days: number) {
  const [y, m, d] = parisToday().split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

describe("declaring a delegation", () => {
  it("answers one message for an unknown address, another organisation, a deactivated account and a non-signataire", async () => {
    const answers = new Set<string>();
    for (const email of ["personne.inconnue@justice.example", GIRARD, "ancien.signataire@justice.example", CAMILLE]) {
      const error = await declare(email).then(() => null, (e: Error) => e);
      expect(error, email).not.toBeNull();
      answers.add(error!.message);
    }
    expect([...answers]).toEqual([UNKNOWN_DELEGATE]);
    expect(await db.selectFrom("delegations").select("id").execute()).toEqual([]);
  });

  it("only to an active signataire of the same organisation", async () => {
    await expect(declare(CAMILLE)).rejects.toThrow(UNKNOWN_DELEGATE); // rédactrice, not signataire
    await expect(declare(LEMAIRE)).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("never starting in the past; today and later are accepted", async () => {
    await expect(declare(LEMAIRE, daysFromToday(-1))).rejects.toThrow(/date de début ne peut pas être passée/);
    await expect(declare(LEMAIRE, "2020-01-01")).rejects.toThrow(/date de début ne peut pas être passée/);
    await expect(declare(LEMAIRE, parisToday())).resolves.toBeDefined();
    await expect(declare(LEMAIRE, daysFromToday(3))).resolves.toBeDefined();
  });
});

describe("separation of duties when a delegation is used", () => {
  it("the convention's author may not sign it by delegation, nor is invited to; another delegate may", async () => {
    const id = await world.freshDraft();
    await db.updateTable("conventions").set({ created_by: drafterId }).where("id", "=", id).execute();
    await declare(DRAFTER);
    await declare(LEMAIRE);
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    const invited = await db.selectFrom("outbox_messages").select("to_address").where("convention_id", "=", id).where("kind", "=", "invitation").execute();
    expect(invited.map((m) => m.to_address).sort()).toEqual([CANTON, LEMAIRE].sort());
    await expect(sendSigningCode(db, world.deps, drafter(), id)).rejects.toThrow("Vous avez rédigé cette convention : vous ne pouvez pas la signer par délégation.");
    await expect(sendSigningCode(db, world.deps, world.actor(LEMAIRE), id)).resolves.toBeUndefined();
  });

  it("nor may a rédacteur who wrote one of its versions", async () => {
    const id = await world.freshDraft();
    const convention = await db.selectFrom("conventions").select(["data", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
    await db.insertInto("convention_versions").values({ convention_id: id, version: convention.version + 1, data: JSON.stringify(convention.data), author_id: drafterId, summary: "Relecture" }).execute();
    await declare(DRAFTER);
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    await expect(sendSigningCode(db, world.deps, drafter(), id)).rejects.toThrow(/signer par délégation/);
    // Their titular is not blocked by it.
    await expect(sendSigningCode(db, world.deps, world.actor(CANTON), id)).resolves.toBeUndefined();
  });
});
