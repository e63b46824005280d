// `npm run bench:load`: the load benchmark of issue 14 (bench/load.ts), on a fresh build of the portal.
// Arguments go through: `npm run bench:load -- --quick`, `-- --conventions 5000 --duration 3`.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { build, ensureInstall, root, run } from "./lib.mjs";

ensureInstall();
const built = path.join(root, "build/index.js");
const sources = ["app", "db"].flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(root, dir, f)),
);
if (!existsSync(built) || sources.some((f) => statSync(f).mtimeMs > statSync(built).mtimeMs)) build();
process.exit(run(process.execPath, ["--import", "tsx", path.join("bench", "load.ts"), ...process.argv.slice(2)]));
