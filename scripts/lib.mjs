// Helpers shared by `npm start`, `npm test` and `npm run bench`: they must run with Node alone,
// before any dependency is installed.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Node flags for every process that serves the portal. `--disable-proto=delete` removes the
 * `__proto__` accessor, so a key named `__proto__` in parsed input is plain data. (`=throw`, as
 * first planned, stops React 18's server renderer at load time: it assigns `__proto__` itself.)
 */
export const NODE_HARDENING = ["--disable-proto=delete"];

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options, env: { ...process.env, ...options.env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    console.error(`\nÉchec de : ${command} ${args.join(" ")} (code ${status})`);
    process.exit(status);
  }
}

/** Installs dependencies when node_modules is missing or older than the lock file. */
export function ensureInstall() {
  const marker = path.join(root, "node_modules/.package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log("Installation des dépendances (npm ci)…");
  mustRun("npm", ["ci", "--no-audit", "--no-fund"]);
}

/** DSFR static assets (CSS, fonts, icons) copied from react-dsfr into public/dsfr, then the Remix build. */
export function build() {
  const dsfr = path.join(root, "node_modules/@codegouvfr/react-dsfr/dsfr");
  const target = path.join(root, "public/dsfr");
  const version = JSON.parse(readFileSync(path.join(root, "node_modules/@codegouvfr/react-dsfr/package.json"), "utf8")).version;
  const stamp = path.join(target, ".version");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== version) {
    rmSync(target, { recursive: true, force: true });
    cpSync(dsfr, target, { recursive: true, filter: (src) => !src.endsWith(".map") && !src.includes(`${path.sep}example`) });
    cpSync(path.join(root, "node_modules/@codegouvfr/react-dsfr/favicon"), path.join(target, "favicon"), { recursive: true });
    writeFileSync(stamp, version);
  }
  console.log("Compilation du portail (remix build)…");
  mustRun("npx", ["remix", "build"], { env: { NODE_ENV: "production" } });
}

/** Debian packages of the system tools the tests call (real Chromium, poppler, qpdf, NSS tools, openssl). */
const SYSTEM_TOOLS = [
  ["/usr/bin/chromium", "chromium"],
  ["/usr/bin/pdfsig", "poppler-utils"],
  ["/usr/bin/qpdf", "qpdf"],
  ["/usr/bin/certutil", "libnss3-tools"],
  ["/usr/bin/openssl", "openssl"],
  ["/usr/bin/mutool", "mupdf-tools"],
];

/**
 * Installs the missing system tools with apt-get, as root or through password-less sudo; otherwise
 * says which command to run and stops.
 */
export function ensureSystemPackages() {
  const missing = SYSTEM_TOOLS.filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
  if (!missing.length) return;
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  const aptGet = existsSync("/usr/bin/apt-get");
  if (!aptGet || (!asRoot && !sudo)) {
    console.error(`Outils système manquants (${missing.join(", ")}).\nInstallez-les : sudo apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  console.log(`Installation des outils système : ${missing.join(", ")}…`);
  const [command, ...base] = asRoot ? ["apt-get"] : ["sudo", "-n", "apt-get"];
  const apt = (args) => mustRun(command, [...base, ...args], { env: { DEBIAN_FRONTEND: "noninteractive" } });
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "--no-install-recommends", ...missing]);
}
