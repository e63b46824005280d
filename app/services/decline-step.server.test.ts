import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { CAMILLE, CANTON, circuitWorld } from "../test-support/circuit";
import { CircuitError } from "./circuit-shared.server";
import { declineStep } from "./decline-step.server";
import { launchCircuit } from "./launch-circuit.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 120_000);
afterAll(() => close());

/** Everything a refusal writes: the convention, the refusing member, the audit trail, the outbox, the alerts. */
async function state(id: string) {
  const convention = await db.selectFrom("conventions").select(["status", "decline_reason", "updated_at"]).where("id", "=", id).executeTakeFirstOrThrow();
  const members = await db
    .selectFrom("step_members")
    .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
    .select(["step_members.status", "step_members.decline_reason", "step_members.acted_at"])
    .where("circuit_steps.convention_id", "=", id)
    .orderBy("circuit_steps.position")
    .execute();
  const count = async (table: "audit_events" | "outbox_messages" | "alerts") => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n);
  return { convention, members, audit: await count("audit_events"), outbox: await count("outbox_messages"), alerts: await count("alerts") };
}

describe("declining a step (issue 16: the server refuses an empty reason, not only the browser's `required`)", () => {
  it("refuses an empty or blank reason with the French message, and changes nothing: the step is not declined", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    const before = await state(id);
    expect(before.convention.status).toBe("en_signature");
    for (const reason of ["", "   ", "\n\t "]) {
      const refusal = declineStep(db, world.deps, world.actor(CANTON), id, reason);
      await expect(refusal).rejects.toThrow(CircuitError);
      await expect(refusal).rejects.toThrow("Indiquez le motif du refus : il sera transmis aux rédacteurs.");
    }
    expect(await state(id)).toEqual(before);
    // The same person with a reason does decline: the comparison above can see a refusal.
    await declineStep(db, world.deps, world.actor(CANTON), id, "Article 4 : montant erroné");
    const after = await state(id);
    expect(after.convention).toMatchObject({ status: "brouillon", decline_reason: "Article 4 : montant erroné" });
    expect(after.members[0]).toMatchObject({ status: "refuse", decline_reason: "Article 4 : montant erroné" });
    expect(after.audit).toBeGreaterThan(before.audit);
  });
});
