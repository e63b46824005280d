/**
 * The open data and the register over a convention with a signed avenant and a signed notice of
 * termination (issue 15): each row states what ITS signed act contains. After the avenant, the
 * convention's row keeps the amounts and the end date of the convention as signed (its consolidation
 * n° 0, whose PDF's SHA-256 it carries) with its current status; the avenant's row has its own
 * amounts. Every row, the avenant's and the notice's included, validates against the Table Schema.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Schema, Table } from "tableschema";
import type { Database } from "../../db/connect";
import type { Convention } from "../domain/convention";
import { addMonths, parisDate } from "../domain/dates";
import { CAMILLE, CANTON, circuitWorld, SCHAER } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { createAvenant } from "./create-avenant.server";
import { exportOpenData, FIELD_NAMES, OPEN_DATA_SCHEMA, openDataRows } from "./export-open-data.server";
import { launchCircuit } from "./launch-circuit.server";
import { listRegister, showRegisterEntry } from "./list-register.server";
import { prepareTermination } from "./prepare-termination.server";
import { saveAvenant } from "./save-avenant.server";
import { saveTermination } from "./save-termination.server";
import { proposedCircuit, setCircuit } from "./set-circuit.server";

let db: Database;
let close: () => Promise<void>;
let world: Awaited<ReturnType<typeof circuitWorld>>;
const config = testConfig();
let conventionId = "";
let avenantId = "";
let noticeId = "";
let base: Convention;
let lastYear = 0;
const NEW_END = () => `${lastYear + 1}-12-31`;

const user = (email: string) => db.selectFrom("people").select(["id", "email", "roles", "organisation_id"]).where("email", "=", email).executeTakeFirstOrThrow();
const row = (id: string) => db.selectFrom("conventions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const signedSha = async (id: string) => (await db.selectFrom("documents").select("sha256").where("convention_id", "=", id).where("kind", "=", "complet").executeTakeFirstOrThrow()).sha256;

async function signAct(id: string, signers: string[]) {
  const { steps } = await proposedCircuit(db, id, (await row(id)).data);
  await setCircuit(db, world.actor(CAMILLE), id, { steps });
  await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
  for (const s of signers) await world.sign(s, id);
}

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  conventionId = await world.signedConvention();
  base = (await row(conventionId)).data as Convention;
  lastYear = Math.max(...base.financement!.echeancier.map((e) => e.annee));
  const firstYear = Math.min(...base.financement!.echeancier.map((e) => e.annee));

  // Avenant n° 1: new amounts for the first year, one more year, a later end date.
  const created = await createAvenant(db, await user(CAMILLE), conventionId);
  if (!created.ok) throw new Error(created.message);
  avenantId = created.id;
  const saved = await saveAvenant(db, await user(CAMILLE), avenantId, {
    expectedVersion: 1,
    form: {
      objet: "Prolongation d'un an et révision des montants",
      lieuSignature: "Paris",
      operations: [
        { type: "modifier_montants", annee: String(firstYear), ae: "200 000", cp: "180 000" },
        { type: "ajouter_annee", annee: String(lastYear + 1), ae: "50 000", cp: "40 000" },
        { type: "modifier_date_fin", dateFin: NEW_END() },
      ],
    },
  });
  if (saved.status !== "saved") throw new Error(JSON.stringify(saved));
  await signAct(avenantId, [CANTON, SCHAER]);

  // Then a notice of termination by the délégant.
  await db.updateTable("conventions").set({ ends_on: addMonths(parisDate(new Date()), 12) }).where("id", "=", conventionId).where("ends_on", "<", addMonths(parisDate(new Date()), 12)).execute();
  const prepared = await prepareTermination(db, await user(CAMILLE), conventionId);
  if (!prepared.ok) throw new Error(prepared.message);
  noticeId = prepared.id;
  const savedNotice = await saveTermination(db, await user(CAMILLE), noticeId, {
    expectedVersion: 1,
    form: { partie: "delegant", motif: "Le service n'est plus assuré par la DINUM.", dateEffetDemandee: "", lieuSignature: "Paris" },
  });
  if (savedNotice.status !== "saved") throw new Error(JSON.stringify(savedNotice));
  await signAct(noticeId, [CANTON]);
}, 300_000);
afterAll(async () => close());

describe("each public row states its own signed act", () => {
  it("the setup: the convention's current data and end date are the avenant's (consolidated), its status « résiliation notifiée »", async () => {
    const c = await row(conventionId);
    expect(c.status).toBe("resiliation_notifiee");
    expect(c.ends_on).toBe(NEW_END());
    expect((c.data as Convention).financement!.echeancier.length).toBe(base.financement!.echeancier.length + 1);
    expect((await row(avenantId)).status).toBe("signee");
    expect((await row(noticeId)).status).toBe("signee");
  });

  it("after a signed avenant, the convention's row keeps the signed convention's amounts and end date, next to its own PDF's SHA-256; the avenant's row has its own", async () => {
    const rows = await openDataRows(db, config.publicUrl);
    expect(rows.map((r) => [r.identifiant, r.type]).sort()).toEqual(
      [
        [conventionId, "convention"],
        [avenantId, "avenant"],
        [noticeId, "resiliation"],
      ].sort(),
    );
    const convention = rows.find((r) => r.identifiant === conventionId)!;
    const echeancier = [...base.financement!.echeancier].sort((a, b) => a.annee - b.annee).map((e) => ({ annee: e.annee, ae: e.ae, cp: e.cp }));
    expect(convention.echeancier).toEqual(echeancier);
    expect(convention.ae_total).toBe(echeancier.reduce((a, e) => a + e.ae, 0));
    expect(convention.cp_total).toBe(echeancier.reduce((a, e) => a + e.cp, 0));
    expect(convention.date_fin).toBe(base.dateFin);
    expect(convention.date_fin).not.toBe(NEW_END());
    expect(convention.sha256).toBe(await signedSha(conventionId));
    // Its status is the current one.
    expect(convention.statut).toBe("resiliation_notifiee");

    const avenant = rows.find((r) => r.identifiant === avenantId)!;
    expect(avenant).toMatchObject({ numero_avenant: 1, convention_parente: conventionId, ae_total: 250_000, cp_total: 220_000, sha256: await signedSha(avenantId) });
    expect(avenant.echeancier).toEqual([
      { annee: Math.min(...echeancier.map((e) => e.annee)), ae: 200_000, cp: 180_000 },
      { annee: lastYear + 1, ae: 50_000, cp: 40_000 },
    ]);

    // The CSV says the same.
    const csv = (await exportOpenData(db, config.publicUrl, "csv")).body;
    const line = csv.split("\r\n").find((l) => l.startsWith(`${conventionId};`))!;
    expect(line).toContain(`;${convention.ae_total};${convention.cp_total};`);
    expect(line).not.toContain(NEW_END());

    // And the register: its page, and the year the avenant added finds the avenant, not the convention.
    const shown = await showRegisterEntry(db, conventionId);
    expect(JSON.stringify(shown)).toContain(`"dateFin":"${base.dateFin}"`);
    const byYear = await listRegister(db, new URLSearchParams({ annee: String(lastYear + 1) }));
    expect(byYear.items.map((i) => i.identifiant)).toEqual([avenantId]);
  });

  it("the CSV with a convention, an avenant and a notice validates against the Table Schema (tableschema library)", async () => {
    const { body } = await exportOpenData(db, config.publicUrl, "csv");
    const file = path.join(mkdtempSync(path.join(tmpdir(), "paraphe-csv-")), "conventions.csv");
    writeFileSync(file, body, "utf8");
    const table = await Table.load(file, { schema: OPEN_DATA_SCHEMA, delimiter: ";" });
    const cast = (await table.read({ keyed: true })) as Record<string, unknown>[];
    expect(cast.map((r) => r.type).sort()).toEqual(["avenant", "convention", "resiliation"]);
    const notice = cast.find((r) => r.type === "resiliation")!;
    expect(notice.convention_parente).toBe(conventionId);
    expect(cast.find((r) => r.type === "avenant")!.numero_avenant).toBe(1);
  });

  it("the JSON rows of the avenant and the notice validate against the same Table Schema", async () => {
    const json = JSON.parse((await exportOpenData(db, config.publicUrl, "json")).body) as { donnees: Record<string, unknown>[] };
    expect(json.donnees.map((r) => r.type).sort()).toEqual(["avenant", "convention", "resiliation"]);
    const schema = await Schema.load(OPEN_DATA_SCHEMA);
    for (const r of json.donnees) {
      expect(Object.keys(r)).toEqual(FIELD_NAMES);
      expect(() => schema.castRow(FIELD_NAMES.map((n) => (r[n] === null ? "" : r[n])))).not.toThrow();
    }
  });
});
