import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { CAMILLE, CANTON, circuitWorld } from "../test-support/circuit";
import { launchCircuit } from "./launch-circuit.server";
import { acknowledgeReceivedAct, listReceivedActs, NOT_A_RECIPIENT, NOT_YOURS, receivedActFile } from "./list-received-acts.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;
let signed: string;
let draft: string;
let signing: string;

const NADIA = "nadia.lefevre@cbcm.example";
const page = { after: null, before: null, limit: 25 };
const person = async (email: string) => {
  const p = await db.selectFrom("people").select(["id", "email"]).where("email", "=", email).executeTakeFirst();
  return { id: p?.id ?? "00000000-0000-4000-8000-000000000000", email, ip: "127.0.0.1", userAgent: "vitest" };
};

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  signed = await world.signedConvention();
  draft = await world.freshDraft();
  signing = await world.freshDraft();
  await launchCircuit(db, world.deps, world.actor(CAMILLE), signing);
  // A CBCM address to which nothing was transmitted.
  await db.insertInto("cbcm").values({ name: "CBCM du ministère de la Culture", emails: ["cbcm-culture@cbcm.example"], ministry: "Ministère de la Culture" }).execute();
}, 300_000);
afterAll(() => close());

describe("Actes reçus", () => {
  it("lists the acts transmitted to the person's address, with parties, amounts and acknowledgement, and no draft or act in signature", async () => {
    const list = await listReceivedActs(db, await person(NADIA), page);
    expect(list.directory).toEqual(["CBCM des services du Premier ministre"]);
    const ids = list.rows.map((r) => r.conventionId);
    expect(ids).toContain(signed);
    expect(ids).not.toContain(draft);
    expect(ids).not.toContain(signing);
    const row = list.rows.find((r) => r.conventionId === signed)!;
    expect(row.delegant).toMatch(/Justice/);
    expect(row.delegataires.join()).toMatch(/numérique/i);
    expect(row.schedule.length).toBeGreaterThan(0);
    expect(row.totals.ae).toBe(row.schedule.reduce((s, e) => s + e.ae, 0));
    expect(row.acknowledgedAt).toBeNull();
    // The same act reaches the Justice CBCM's address too (no account needed to be listed).
    expect((await listReceivedActs(db, await person("cbcm-justice@cbcm.example"), page)).rows.map((r) => r.conventionId)).toContain(signed);
  });

  it("shows nothing not transmitted to the address, and refuses a person who is not in the directory", async () => {
    const culture = await person("cbcm-culture@cbcm.example");
    expect((await listReceivedActs(db, culture, page)).rows).toEqual([]);
    await expect(listReceivedActs(db, await person(CAMILLE), page)).rejects.toMatchObject({ status: 403, message: NOT_A_RECIPIENT });
    await expect(listReceivedActs(db, await person(CANTON), page)).rejects.toMatchObject({ status: 403 });
    const nadiaRow = (await listReceivedActs(db, await person(NADIA), page)).rows.find((r) => r.conventionId === signed)!;
    await expect(receivedActFile(db, culture, nadiaRow.id, "signe")).rejects.toMatchObject({ status: 404, message: NOT_YOURS });
    await expect(acknowledgeReceivedAct(db, culture, nadiaRow.id)).rejects.toMatchObject({ status: 404 });
    await expect(receivedActFile(db, await person(NADIA), "pas-un-id", "signe")).rejects.toMatchObject({ status: 404 });
  });

  it("serves the signed PDF and the certificate without IP addresses of the transmitted round", async () => {
    const nadia = await person(NADIA);
    const row = (await listReceivedActs(db, nadia, page)).rows.find((r) => r.conventionId === signed)!;
    const pdf = await receivedActFile(db, nadia, row.id, "signe");
    const complete = await db.selectFrom("documents").select("sha256").where("convention_id", "=", signed).where("kind", "=", "complet").executeTakeFirstOrThrow();
    expect(pdf.sha256).toBe(complete.sha256);
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    const cert = await receivedActFile(db, nadia, row.id, "certificat");
    const tiers = await db.selectFrom("documents").select("sha256").where("convention_id", "=", signed).where("kind", "=", "certificat_tiers").executeTakeFirstOrThrow();
    expect(cert.sha256).toBe(tiers.sha256);
  });

  it("records the acknowledgement once, with an audit event naming the person", async () => {
    const nadia = await person(NADIA);
    const row = (await listReceivedActs(db, nadia, page)).rows.find((r) => r.conventionId === signed)!;
    const first = await acknowledgeReceivedAct(db, nadia, row.id);
    expect(first.already).toBe(false);
    const again = await acknowledgeReceivedAct(db, nadia, row.id);
    expect(again).toMatchObject({ already: true, acknowledgedAt: first.acknowledgedAt });
    const events = await db.selectFrom("audit_events").select(["actor_id", "payload"]).where("convention_id", "=", signed).where("type", "=", "accuse_reception").execute();
    expect(events).toHaveLength(1);
    expect(events[0].actor_id).toBe(nadia.id);
    expect((await listReceivedActs(db, nadia, page)).rows.find((r) => r.id === row.id)!.acknowledgedAt).not.toBeNull();
    // The Justice CBCM's own transmission is still not acknowledged.
    const justice = (await listReceivedActs(db, await person("cbcm-justice@cbcm.example"), page)).rows.find((r) => r.conventionId === signed)!;
    expect(justice.acknowledgedAt).toBeNull();
  });
});
