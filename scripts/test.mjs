// `npm test`: install what is missing, build, then run the whole suite on real parts:
// unit + integration on PGlite, the integration suite again on PostgreSQL when DATABASE_URL is set,
// then the Playwright journeys against the built server with Debian's Chromium.
import { existsSync } from "node:fs";
import { build, ensureInstall, run } from "./lib.mjs";

ensureInstall();
const missing = ["/usr/bin/chromium", "/usr/bin/pdfsig", "/usr/bin/qpdf", "/usr/bin/certutil", "/usr/bin/openssl"].filter((p) => !existsSync(p));
if (missing.length) {
  console.error(`Outils système manquants : ${missing.join(", ")}.\nInstallez-les : apt-get install -y chromium poppler-utils qpdf libnss3-tools openssl (ou lancez .ci/run).`);
  process.exit(1);
}
build();

const results = [];
const step = (label, command, args, env = {}) => {
  console.log(`\n=== ${label} ===`);
  const status = run(command, args, { env });
  results.push({ label, status });
};

step("Vérification des types (tsc)", "npx", ["tsc", "--noEmit"]);
const databaseUrl = process.env.DATABASE_URL;
step("Tests unitaires et d'intégration (PGlite)", "npx", ["vitest", "run"], { DATABASE_URL: "" });
if (databaseUrl) {
  // The same integration suite, this time on PostgreSQL.
  step("Tests d'intégration (PostgreSQL)", "npx", ["vitest", "run", "app/services", "app/models", "app/email", "db"], { DATABASE_URL: databaseUrl });
} else {
  console.log("\nDATABASE_URL absent : la suite d'intégration sur PostgreSQL est sautée (.ci/run la lance).");
}
step("Parcours de bout en bout (Playwright, Chromium)", "npx", ["playwright", "test"]);

console.log("\n=== Bilan ===");
for (const r of results) console.log(`${r.status === 0 ? "OK   " : "ÉCHEC"} ${r.label}`);
const failed = results.filter((r) => r.status !== 0).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
