import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "./config.server";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "paraphe-config-"));

describe("loadConfig", () => {
  it("applies the embedded defaults and keeps a generated session secret", () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.devMailbox).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(config.sessionSecret);
    expect(readFileSync(path.join(dir, "session-secret"), "utf8").trim()).toBe(config.sessionSecret);
    expect(statSync(path.join(dir, "session-secret")).mode & 0o777).toBe(0o600);
  });

  it("names the faulty variable in French", () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), PORT: "abc" })).toThrow(/PORT : doit être un numéro de port/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL : doit commencer/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: "pas une url" })).toThrow(/PUBLIC_URL/);
  });

  it("refuses a public server without SMTP, whose dev mailbox would expose sign-in links", () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: "https://paraphe.gouv.fr" })).toThrow(/SMTP_URL : obligatoire/);
    const config = loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: "https://paraphe.gouv.fr", SMTP_URL: "smtp://relay:25" });
    expect(config.devMailbox).toBe(false);
    expect(config.secureCookies).toBe(true);
  });
});

describe("END_REMINDER_DAYS and PARAPHE_CLOCK_CONTROL", () => {
  const base = () => ({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "paraphe-cfg-")), PUBLIC_URL: "http://localhost:3999" });

  it("reminds 60 and 30 days before the end by default, and reads a list largest first", () => {
    expect(loadConfig(base()).endReminderDays).toEqual([60, 30]);
    expect(loadConfig({ ...base(), END_REMINDER_DAYS: "7, 90,30,7" }).endReminderDays).toEqual([90, 30, 7]);
    expect(loadConfig({ ...base(), END_REMINDER_DAYS: "0" }).endReminderDays).toEqual([]);
    expect(() => loadConfig({ ...base(), END_REMINDER_DAYS: "soixante" })).toThrow(/END_REMINDER_DAYS : doit être une liste de nombres de jours/);
  });

  it("lets tests move the clock only when asked, and never on a reachable address", () => {
    expect(loadConfig(base()).clockControl).toBe(false);
    expect(loadConfig({ ...base(), PARAPHE_CLOCK_CONTROL: "1" }).clockControl).toBe(true);
    expect(() => loadConfig({ ...base(), PUBLIC_URL: "https://paraphe.gouv.fr", SMTP_URL: "smtp://mail:25", PARAPHE_CLOCK_CONTROL: "1" })).toThrow(/PARAPHE_CLOCK_CONTROL : réservé aux tests/);
  });
});
