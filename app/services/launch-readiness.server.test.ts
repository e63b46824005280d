import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { CAMILLE, circuitWorld } from "../test-support/circuit";
import { addRecipient } from "./add-recipient.server";
import { launchCircuit } from "./launch-circuit.server";
import { launchReadiness } from "./launch-readiness.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 300_000);
afterAll(() => close());

const status = async (id: string) => (await db.selectFrom("conventions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
const setData = async (id: string, edit: (d: any) => void) => {
  const row = await db.selectFrom("conventions").select("data").where("id", "=", id).executeTakeFirstOrThrow();
  const data = structuredClone(row.data) as any;
  edit(data);
  await db.updateTable("conventions").set({ data: JSON.stringify(data) }).where("id", "=", id).execute();
};

describe("what keeps a draft from being launched", () => {
  it("refuses an end date already past, with the reason in plain words, and launches once it is corrected", async () => {
    const id = await world.freshDraft();
    const dateFin = (await db.selectFrom("conventions").select("data").where("id", "=", id).executeTakeFirstOrThrow()).data as any;
    await setData(id, (d) => (d.dateFin = "2023-02-28"));
    const conv = await db.selectFrom("conventions").select(["id", "data"]).where("id", "=", id).executeTakeFirstOrThrow();
    const readiness = await launchReadiness(db, conv);
    expect(readiness.period.map((p) => p.path)).toContain("dateFin");
    expect(readiness.items.map((i) => i.text)).toContain("La date de fin est passée");
    await expect(launchCircuit(db, world.deps, world.actor(CAMILLE), id)).rejects.toThrow(/La date de fin est passée/);
    expect(await status(id)).toBe("brouillon");
    await setData(id, (d) => (d.dateFin = dateFin.dateFin));
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    expect(await status(id)).toBe("en_signature");
  });

  it("refuses a schedule whose years all fall outside the period", async () => {
    const id = await world.freshDraft();
    await setData(id, (d) => (d.financement.echeancier = [{ annee: 2099, ae: 1000, cp: 1000 }]));
    await expect(launchCircuit(db, world.deps, world.actor(CAMILLE), id)).rejects.toThrow(/L'année 2099 est hors de la période de la convention/);
    expect(await status(id)).toBe("brouillon");
  });

  it("refuses when the délégant's ministry has no CBCM, until a recipient is added for that role", async () => {
    const id = await world.freshDraft();
    const culture = await db.selectFrom("organisations").select("id").where("ministry", "=", "Ministère de la Culture").executeTakeFirstOrThrow();
    await db.updateTable("conventions").set({ delegant_organisation_id: culture.id }).where("id", "=", id).execute();
    const conv = await db.selectFrom("conventions").select(["id", "data"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect((await launchReadiness(db, conv)).cbcm).toBe("Aucun CBCM n'est enregistré pour le ministère de la Culture : l'acte ne lui sera pas transmis");
    await expect(launchCircuit(db, world.deps, world.actor(CAMILLE), id)).rejects.toThrow(/Aucun CBCM n'est enregistré pour le ministère de la Culture/);

    // An ordinary added recipient is not a CBCM.
    await addRecipient(db, world.actor(CAMILLE), id, { name: "Bureau des affaires juridiques", email: "baj@culture.example" });
    await expect(launchCircuit(db, world.deps, world.actor(CAMILLE), id)).rejects.toThrow(/Aucun CBCM/);
    await addRecipient(db, world.actor(CAMILLE), id, { name: "CBCM Culture", email: "cbcm-culture@cbcm.example", forCbcm: true });
    expect((await launchReadiness(db, conv)).cbcm).toBeNull();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    expect(await status(id)).toBe("en_signature");
  });
});
