// `npm start`: install what is missing, build, migrate, seed the demo data and serve.
import { build, ensureInstall, NODE_HARDENING, root, run } from "./lib.mjs";

const started = Date.now();
ensureInstall();
build();
console.log(`Prêt en ${((Date.now() - started) / 1000).toFixed(1)} s. Démarrage du serveur…`);
// Production mode for Express and React: no development error pages or builds.
process.exitCode = run(process.execPath, [...NODE_HARDENING, "--import", "tsx", "server.ts", "--demo"], { cwd: root, env: { NODE_ENV: "production" } });
