import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The real server process, started with bad settings: a French message, an exit code, nothing written. */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function start(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "paraphe-startup-"));
  const result = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", DATA_DIR: dataDir, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { ...result, dataDir };
}

describe("starting the server", () => {
  it("stops with a French message naming the variable when the configuration is invalid", () => {
    const r = start({ PORT: "quatre-vingts" });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/PORT/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("stops with a French message naming the variable when the signing keys cannot be opened", () => {
    const r = start({ SIGNING_P12_PATH: "/nonexistent/ac.p12", SIGNING_P12_PASSWORD: "x" });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain("Démarrage impossible. SIGNING_P12_PATH : fichier /nonexistent/ac.p12 illisible (ENOENT)");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("stops with a French message, no stack trace and no data written, when the database is not reachable", () => {
    const r = start({ DATABASE_URL: "postgres://paraphe@127.0.0.1:1/paraphe" });
    expect(r.status).toBe(69);
    expect(r.stderr).toContain("Démarrage impossible. La base de données");
    expect(r.stderr).toContain("injoignable");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Nothing was created: no PGlite fallback, no keys for a portal that did not start.
    expect(existsSync(path.join(r.dataDir, "pgdata"))).toBe(false);
    expect(readdirSync(r.dataDir).filter((f) => f !== "session-secret")).toEqual([]);
  }, 60_000);
});
