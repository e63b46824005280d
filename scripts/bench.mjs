// `npm run bench`: every benchmark, one after the other in one run, with their peers side by side.
import { readdirSync } from "node:fs";
import path from "node:path";
import { ensureInstall, root, run } from "./lib.mjs";

ensureInstall();
const benches = readdirSync(path.join(root, "bench")).filter((f) => f.endsWith(".bench.ts")).sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  if (run(process.execPath, ["--import", "tsx", path.join("bench", file)]) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
