import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { Table } from "tableschema";
import { openDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { OPEN_DATA_SCHEMA } from "../services/export-open-data.server";
import { circuitWorld } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { exportCommand } from "./export";

const dataDir = mkdtempSync(path.join(tmpdir(), "paraphe-cli-export-"));
const env = { DATA_DIR: dataDir, PUBLIC_URL: "http://localhost:3999" } as unknown as NodeJS.ProcessEnv;
let signedId = "";

beforeAll(async () => {
  // The CLI opens the portal's own embedded database (DATA_DIR): made here, then closed for it.
  const config = testConfig({ DATA_DIR: dataDir });
  const db = await openDatabase({ dataDir });
  await migrateToLatest(db);
  const world = await circuitWorld(db, config);
  signedId = await world.signedConvention();
  await world.freshDraft();
  await db.destroy();
}, 180_000);

describe("paraphe export", () => {
  it("writes the CSV to -o: the publishable signed acts, valid against the Table Schema", async () => {
    const file = path.join(dataDir, "conventions.csv");
    expect(await exportCommand(["--format", "csv", "-o", file], { dataDir, env })).toBe(0);
    const csv = readFileSync(file, "utf8");
    const rows = parse(csv, { delimiter: ";", columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.identifiant)).toEqual([signedId]);
    const table = await Table.load(file, { schema: OPEN_DATA_SCHEMA, delimiter: ";" });
    expect(await table.read({ keyed: true })).toHaveLength(1);
  }, 60_000);

  it("prints the JSON on standard output without -o", async () => {
    let out = "";
    expect(await exportCommand(["--format", "json"], { dataDir, env }, (t) => (out += t))).toBe(0);
    expect((JSON.parse(out) as { donnees: { identifiant: string }[] }).donnees.map((r) => r.identifiant)).toEqual([signedId]);
  }, 60_000);

  it("refuses an unknown format or option (exit 64)", async () => {
    expect(await exportCommand(["--format", "xml"], { dataDir, env })).toBe(64);
    expect(await exportCommand(["--format", "csv", "--tout"], { dataDir, env })).toBe(64);
  });
});
