import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { verifyAuditChain } from "../models/audit.server";
import { openPki, type Pki } from "../pdf/pki/pki";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { LEMAIRE, parisToday } from "../test-support/circuit";
import type { Actor } from "./circuit-shared.server";
import { availableDocuments, circuitProgress, myTurn } from "./circuit-view.server";
import { declareDelegation } from "./declare-delegation.server";
import { launchCircuit } from "./launch-circuit.server";
import { recordConsultation } from "./record-consultation.server";
import { sendSigningCode } from "./send-signing-code.server";
import { proposedCircuit, setCircuit } from "./set-circuit.server";

let db: Database;
let close: () => Promise<void>;
let pki: Pki;
const config = testConfig();
const people: Record<string, Actor> = {};
const actor = (email: string) => people[email];

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
  pki = await openPki({ dataDir: config.dataDir, env: {} as NodeJS.ProcessEnv });
  for (const p of await db.selectFrom("people").select(["id", "email"]).execute()) {
    people[p.email] = { id: p.id, authMethod: "lien_magique", ip: "127.0.0.1", userAgent: "vitest" };
  }
}, 120_000);
afterAll(() => close());

async function launchedCopy(): Promise<string> {
  const demo = await db.selectFrom("conventions").selectAll().where("title", "like", "%Incubateur%").orderBy("created_at").executeTakeFirstOrThrow();
  const copy = await db
    .insertInto("conventions")
    .values({ kind: "convention", parent_id: null, status: "brouillon", title: `Vue ${Math.random()}`, reference: null, delegant_organisation_id: demo.delegant_organisation_id, template: demo.template, data: JSON.stringify(demo.data), frozen_sha256: null, created_by: demo.created_by, decline_reason: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  const parties = await db.selectFrom("convention_organisations").selectAll().where("convention_id", "=", demo.id).execute();
  await db.insertInto("convention_organisations").values(parties.map((p) => ({ ...p, convention_id: copy.id }))).execute();
  const { steps } = await proposedCircuit(db, copy.id, demo.data);
  await setCircuit(db, actor(CAMILLE), copy.id, { steps });
  await launchCircuit(db, { config, pki }, actor(CAMILLE), copy.id);
  return copy.id;
}

describe("circuit read side", () => {
  it("records one « consultation » per person per quarter of an hour, in the hash chain, only while in signature", async () => {
    const id = await launchedCopy();
    expect(await recordConsultation(db, actor(CANTON), id)).toBe(true);
    expect(await recordConsultation(db, actor(CANTON), id)).toBe(false);
    expect(await recordConsultation(db, actor(SCHAER), id)).toBe(true);
    const events = await db.selectFrom("audit_events").select(["type", "actor_id", "document_sha256"]).where("convention_id", "=", id).where("type", "=", "consultation").execute();
    const frozen = await db.selectFrom("conventions").select("frozen_sha256").where("id", "=", id).executeTakeFirstOrThrow();
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.document_sha256 === frozen.frozen_sha256)).toBe(true);
    expect(await verifyAuditChain(db, id)).toBe(true);
    await db.updateTable("conventions").set({ status: "brouillon" }).where("id", "=", id).execute();
    expect(await recordConsultation(db, actor(SCHAER), id)).toBe(false);
  });

  it("says whose turn it is, to the titular and to their delegate while the delegation is in force", async () => {
    const id = await launchedCopy();
    const steps = await circuitProgress(db, id);
    expect(steps.map((s) => [s.position, s.status, s.members[0].name])).toEqual([
      [1, "en_cours", "Anne-Florence Canton"],
      [2, "en_attente", "Stéphanie Schaer"],
    ]);
    expect(await myTurn(db, "en_signature", steps, actor(CANTON).id)).toMatchObject({ stepPosition: 1, kind: "signature", onBehalfOf: null, codePending: false });
    expect(await myTurn(db, "en_signature", steps, actor(SCHAER).id)).toBeNull();
    await sendSigningCode(db, { config, pki }, actor(CANTON), id);
    expect((await myTurn(db, "en_signature", steps, actor(CANTON).id))?.codePending).toBe(true);

    // The lists of waiting steps (« À signer ») are tested on their queries: app/models/circuit.server.test.ts.
    expect(await myTurn(db, "en_signature", steps, actor(LEMAIRE).id)).toBeNull();
    await declareDelegation(db, actor(CANTON), { delegateEmail: LEMAIRE, startsOn: parisToday(), endsOn: "2099-12-31", actReference: "Décision n° 2026-7" });
    expect(await myTurn(db, "en_signature", steps, actor(LEMAIRE).id)).toMatchObject({ onBehalfOf: "Anne-Florence Canton" });
    await db.updateTable("delegations").set({ revoked_at: new Date() }).where("delegate_id", "=", actor(LEMAIRE).id).execute();

    expect(await availableDocuments(db, id, 1)).toEqual({ toSign: true, signed: false, certificate: false });
  });
});
