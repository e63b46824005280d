import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { CAMILLE, CANTON, circuitWorld } from "../test-support/circuit";
import { launchCircuit } from "./launch-circuit.server";
import { resendInvitation } from "./resend-invitation.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 300_000);
afterAll(() => close());

describe("re-sending an invitation", () => {
  it("at most once per person per 15 minutes, with a French message, and nothing sent when refused", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    const member = await db
      .selectFrom("step_members")
      .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
      .innerJoin("people", "people.id", "step_members.person_id")
      .select("step_members.id")
      .where("circuit_steps.convention_id", "=", id)
      .where("people.email", "=", CANTON)
      .executeTakeFirstOrThrow();
    const invitations = async () => (await db.selectFrom("outbox_messages").select("id").where("convention_id", "=", id).where("to_address", "=", CANTON).where("kind", "=", "invitation").execute()).length;
    const resend = () => resendInvitation(db, world.deps, world.actor(CAMILLE), id, member.id);
    expect(await invitations()).toBe(1);

    // Just invited at launch: too early.
    await expect(resend()).rejects.toThrow(/^Une invitation a été envoyée à Anne-Florence Canton il y a moins de 15 minutes\. Vous pourrez la renvoyer à partir de \d{2}:\d{2}\.$/);
    expect(await invitations()).toBe(1);

    await db.updateTable("step_members").set({ invited_at: sql`now() - interval '16 minutes'` }).where("id", "=", member.id).execute();
    await resend();
    expect(await invitations()).toBe(2);
    await expect(resend()).rejects.toThrow(/moins de 15 minutes/);
    await expect(resend()).rejects.toThrow(/moins de 15 minutes/);
    expect(await invitations()).toBe(2);
  });

  it("a malformed member id is « no invitation pending », not a database error", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    for (const memberId of ["", "abc", "1", "00000000-0000-0000-0000-00000000000g", "' or 1=1 --"]) {
      await expect(resendInvitation(db, world.deps, world.actor(CAMILLE), id, memberId)).rejects.toThrow("Cette personne n'a pas d'invitation en attente.");
    }
  });
});
