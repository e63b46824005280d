/**
 * `paraphe export --format csv|json [-o FILE]`: the open data (one row per publishable signed act,
 * Table Schema templates/schema-conventions.json), the same bytes as /donnees/conventions.csv|json.
 * Without -o it goes to standard output.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/connect";
import { loadConfig } from "../config.server";
import { exportOpenData } from "../services/export-open-data.server";

const USAGE = "Utilisation : paraphe export --format csv|json [-o FICHIER]";

export async function exportCommand(args: string[], ctx: { dataDir: string; env: NodeJS.ProcessEnv }, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  let values: { format?: string; output?: string };
  try {
    ({ values } = parseArgs({ args, options: { format: { type: "string" }, output: { type: "string", short: "o" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  if (values.format !== "csv" && values.format !== "json") {
    console.error(`Format attendu : csv ou json.\n${USAGE}`);
    return 64;
  }
  const config = loadConfig(ctx.env);
  const db = await openDatabase(config);
  try {
    const { body, rows, sha256 } = await exportOpenData(db, config.publicUrl, values.format);
    if (values.output) {
      writeFileSync(values.output, body, "utf8");
      console.error(`${rows} acte(s) écrit(s) dans ${values.output} (SHA-256 ${sha256})`);
    } else out(body);
    return 0;
  } finally {
    await db.destroy();
  }
}
