import type { Database } from "../../db/connect";
import { findDuplicateDrafts } from "../models/duplicate-drafts.server";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { CAMILLE, CANTON, circuitWorld } from "../test-support/circuit";
import { cancelDraft } from "./cancel-draft.server";
import { launchCircuit } from "./launch-circuit.server";
import { saveDraft } from "./save-draft.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 300_000);
afterAll(() => close());

const row = (id: string) => db.selectFrom("conventions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("abandoning a draft", () => {
  it("keeps the draft as « annulee », with an audit event naming who and why; it can no longer be edited", async () => {
    const id = await world.freshDraft();
    await cancelDraft(db, world.actor(CAMILLE), id, "  Doublon du brouillon de mars  ");
    const c = await row(id);
    expect(c.status).toBe("annulee");
    const event = await db.selectFrom("audit_events").selectAll().where("convention_id", "=", id).where("type", "=", "annulation").executeTakeFirstOrThrow();
    expect(event.actor_id).toBe(world.actor(CAMILLE).id);
    expect(event.payload).toEqual({ motif: "Doublon du brouillon de mars" });
    const save = await saveDraft(db, { actorId: world.actor(CAMILLE).id, organisationId: c.delegant_organisation_id, conventionId: id, expectedVersion: c.version, intitule: c.title, data: c.data as any, meta: { ip: null, userAgent: null } });
    expect(save.status).not.toBe("saved");
    await expect(cancelDraft(db, world.actor(CAMILLE), id, "")).rejects.toThrow("Ce brouillon a déjà été abandonné.");
  });

  it("is refused to a signataire, and to a draft in signature (the circuit is stopped first)", async () => {
    const id = await world.freshDraft();
    await expect(cancelDraft(db, world.actor(CANTON), id, "")).rejects.toThrow(/Seul un rédacteur/);
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    await expect(cancelDraft(db, world.actor(CAMILLE), id, "")).rejects.toThrow(/interrompez-le d'abord/);
    expect((await row(id)).status).toBe("en_signature");
  });
});

describe("duplicate drafts", () => {
  it("finds a draft with the same title (case and spaces aside) and the same parties, not an abandoned one or other parties", async () => {
    const id = await world.freshDraft();
    const c = await row(id);
    const delegataires = (await db.selectFrom("convention_organisations").select("organisation_id").where("convention_id", "=", id).where("role", "=", "delegataire").execute()).map((r) => r.organisation_id);
    const ask = (intitule: string, ids = delegataires) => findDuplicateDrafts(db, { delegantOrganisationId: c.delegant_organisation_id, intitule, delegataireIds: ids });
    expect((await ask(`  ${c.title.toUpperCase()} `)).map((d) => d.id)).toContain(id);
    const culture = await db.selectFrom("organisations").select("id").where("ministry", "=", "Ministère de la Culture").executeTakeFirstOrThrow();
    expect((await ask(c.title, [...delegataires, culture.id])).map((d) => d.id)).not.toContain(id);
    expect(await ask("Un tout autre intitulé")).toEqual([]);
    await cancelDraft(db, world.actor(CAMILLE), id, "");
    expect((await ask(c.title)).map((d) => d.id)).not.toContain(id);
  });
});
