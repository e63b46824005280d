import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { Schema, Table, validate as validateDescriptor } from "tableschema";
import type { Database } from "../../db/connect";
import { testConfig } from "../test-support/config";
import { CAMILLE, circuitWorld } from "../test-support/circuit";
import { createTestDatabase } from "../test-support/db";
import { CircuitError } from "./circuit-shared.server";
import { exportOpenData, FIELD_NAMES, OPEN_DATA_SCHEMA, openDataRows, toCsv, type OpenDataRow } from "./export-open-data.server";
import { launchCircuit } from "./launch-circuit.server";
import { listRegister, showRegisterEntry } from "./list-register.server";
import { setPublishable } from "./set-publishable.server";

let db: Database;
let close: () => Promise<void>;
let world: Awaited<ReturnType<typeof circuitWorld>>;
const config = testConfig();
const ids: Record<"published" | "unpublished" | "draft" | "signing", string> = { published: "", unpublished: "", draft: "", signing: "" };

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  ids.published = await world.signedConvention();
  ids.unpublished = await world.signedConvention();
  ids.draft = await world.freshDraft();
  ids.signing = await world.freshDraft();
  await launchCircuit(db, world.deps, world.actor(CAMILLE), ids.signing);
  for (const [name, id] of Object.entries(ids)) await db.updateTable("conventions").set({ reference: `REF-${name}` }).where("id", "=", id).execute();
  await setPublishable(db, config, world.actor(CAMILLE), ids.unpublished, { publier: "non", motif: "Contient une clause couverte par le secret de la défense nationale" });
}, 240_000);
afterAll(async () => close());

const all = () => listRegister(db, new URLSearchParams());
const search = (q: Record<string, string>) => listRegister(db, new URLSearchParams(q));

describe("public register", () => {
  it("shows exactly the signed, publishable acts: no draft, no act in signature, no act taken off", async () => {
    const page = await all();
    expect(page.items.map((i) => i.identifiant)).toEqual([ids.published]);
    expect(page.total).toBe(1);
    for (const id of [ids.unpublished, ids.draft, ids.signing]) expect((await showRegisterEntry(db, id)).kind).toBe("absent");
    const shown = await showRegisterEntry(db, "REF-published");
    expect(shown.kind).toBe("un");
  });

  it("searches and filters (text, year, ministry, status, type)", async () => {
    expect((await search({ q: "REF-publ" })).total).toBe(1);
    expect((await search({ q: "Incubateur" })).total).toBe(1);
    expect((await search({ q: "aucun acte ne dit ça" })).total).toBe(0);
    expect((await search({ q: "100%_" })).total).toBe(0);
    const year = (await all()).items[0].echeancier[0].annee;
    expect((await search({ annee: String(year) })).total).toBe(1);
    expect((await search({ annee: "2099" })).total).toBe(0);
    expect((await search({ ministere: "Ministère de la Justice" })).total).toBe(1);
    expect((await search({ ministere: "Ministère de la Culture" })).total).toBe(0);
    expect((await search({ statut: "resiliee" })).total).toBe(0);
    expect((await search({ type: "avenant" })).total).toBe(0);
    expect((await search({ type: "convention" })).total).toBe(1);
    const bad = await search({ statut: "brouillon" });
    expect(bad.errors).toEqual(["Statut inconnu"]);
    expect(bad.total).toBe(1);
  });

  it("taking an act off needs a reason, recorded in the audit trail; putting it back republishes it", async () => {
    await expect(setPublishable(db, config, world.actor(CAMILLE), ids.published, { publier: "non", motif: "  " })).rejects.toThrow(CircuitError);
    expect((await all()).total).toBe(1);
    const events = await db.selectFrom("audit_events").select(["type", "payload"]).where("convention_id", "=", ids.unpublished).where("type", "=", "publication_retiree").execute();
    expect(events).toHaveLength(1);
    expect(events[0].payload).toEqual({ motif: "Contient une clause couverte par le secret de la défense nationale" });
    const row = await db.selectFrom("conventions").select(["publishable", "unpublished_reason"]).where("id", "=", ids.unpublished).executeTakeFirstOrThrow();
    expect(row).toEqual({ publishable: false, unpublished_reason: "Contient une clause couverte par le secret de la défense nationale" });
    // Only a rédacteur of a party decides.
    await expect(setPublishable(db, config, world.actor("paul.girard@culture.example"), ids.unpublished, { publier: "oui" })).rejects.toThrow(/rédacteurs d'une partie/);
    await setPublishable(db, config, world.actor(CAMILLE), ids.unpublished, { publier: "oui" });
    expect((await all()).total).toBe(2);
    await setPublishable(db, config, world.actor(CAMILLE), ids.unpublished, { publier: "non", motif: "Retiré à nouveau" });
    expect((await all()).total).toBe(1);
  });
});

describe("open data", () => {
  it("the schema is a valid Table Schema with French titles and descriptions", async () => {
    expect(await validateDescriptor(OPEN_DATA_SCHEMA)).toEqual({ valid: true, errors: [] });
    for (const f of OPEN_DATA_SCHEMA.fields) {
      expect(f.title).toBeTruthy();
      expect(f.description.length).toBeGreaterThan(10);
    }
  });

  it("the CSV validates against the Table Schema (tableschema library) and parses back to the same rows", async () => {
    const { body } = await exportOpenData(db, config.publicUrl, "csv");
    const rows = await openDataRows(db, config.publicUrl);
    expect(rows.map((r) => r.identifiant)).toEqual([ids.published]);
    expect(body.split("\r\n")[0]).toBe(FIELD_NAMES.join(";"));
    const file = path.join(mkdtempSync(path.join(tmpdir(), "paraphe-csv-")), "conventions.csv");
    writeFileSync(file, body, "utf8");
    const table = await Table.load(file, { schema: OPEN_DATA_SCHEMA, delimiter: ";" });
    const cast = (await table.read({ keyed: true })) as Record<string, unknown>[];
    expect(cast).toHaveLength(1);
    const row = rows[0];
    expect(cast[0].identifiant).toBe(row.identifiant);
    expect(cast[0].ae_total).toBe(row.ae_total);
    expect(cast[0].echeancier).toEqual(row.echeancier);
    expect((cast[0].date_signature as Date).toISOString().slice(0, 10)).toBe(row.date_signature);
    // Parsed back with a CSV library: every cell is the row's value as the CSV writes it.
    const parsed = parse(body, { delimiter: ";", columns: true, bom: true }) as Record<string, string>[];
    expect(parsed).toEqual(rows.map((r) => Object.fromEntries(FIELD_NAMES.map((n) => [n, cellText(r[n as keyof OpenDataRow])]))));
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.url_pdf).toBe(`${config.publicUrl}/registre/${ids.published}/acte-signe.pdf`);
  });

  it("a row that breaks the schema is refused by the validator (the check can fail)", async () => {
    const [row] = await openDataRows(db, config.publicUrl);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "paraphe-csv-")), "conventions.csv");
    writeFileSync(file, toCsv([{ ...row, sha256: "pas-une-empreinte", date_fin: "28/02/2023" }]), "utf8");
    const table = await Table.load(file, { schema: OPEN_DATA_SCHEMA, delimiter: ";" });
    await expect(table.read({ keyed: true })).rejects.toThrow();
  });

  it("the JSON validates row by row against the same Table Schema", async () => {
    const { body } = await exportOpenData(db, config.publicUrl, "json");
    const json = JSON.parse(body) as { schema: string; donnees: Record<string, unknown>[] };
    expect(json.schema).toBe(`${config.publicUrl}/donnees/schema.json`);
    expect(json.donnees.map((r) => r.identifiant)).toEqual([ids.published]);
    const schema = await Schema.load(OPEN_DATA_SCHEMA);
    for (const r of json.donnees) {
      expect(Object.keys(r)).toEqual(FIELD_NAMES);
      // The JSON values as the schema reads them (null is the missing value "").
      const cast = schema.castRow(FIELD_NAMES.map((n) => (r[n] === null ? "" : r[n])));
      expect(cast[FIELD_NAMES.indexOf("cp_total")]).toBe(r.cp_total);
    }
  });

  it("holds nothing beyond the signed act: no e-mail, IP, audit event or person who does not sign it", async () => {
    const csv = (await exportOpenData(db, config.publicUrl, "csv")).body;
    const json = (await exportOpenData(db, config.publicUrl, "json")).body;
    const register = JSON.stringify(await all()) + JSON.stringify(await showRegisterEntry(db, "REF-published"));
    const people = await db.selectFrom("people").select(["email", "first_name", "last_name"]).execute();
    for (const text of [csv, json, register]) {
      expect(text).not.toMatch(/@/);
      expect(text).not.toContain("127.0.0.1");
      expect(text).not.toContain("vitest");
      expect(text).not.toMatch(/circuit_|signature_|publication_retiree|consultation/);
      // The rédactrice, who drafted it, does not sign it; the signatories are named as the act prints them.
      expect(text).not.toContain("Camille");
      for (const p of people) expect(text).not.toContain(p.email);
      expect(text).toContain("Anne-Florence Canton");
    }
  });
});

function cellText(v: unknown) {
  if (v === null) return "";
  return Array.isArray(v) ? JSON.stringify(v) : String(v);
}
