import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Two portals run against real parts: "smtp" sends through a real SMTP server on loopback
 * (PostgreSQL when DATABASE_URL is set, else PGlite); "mailbox" captures e-mail for the dev mailbox.
 */
/** E2E_PORT_OFFSET shifts every port, so that two runs (say CI in a clone and a developer's) can share a machine. */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
const port = (base: number) => String(base + offset);
export const SMTP_PORTAL = `http://localhost:${port(3457)}`;
export const MAILBOX_PORTAL = `http://localhost:${port(3458)}`;
export const SMTP_API = `http://127.0.0.1:${port(2580)}`;
/** A local OpenID provider standing in for ProConnect; only the "smtp" portal is its client. */
export const OIDC_ISSUER = `http://127.0.0.1:${port(2590)}`;
const SMTP_SINK = `smtp://127.0.0.1:${port(2526)}`;
const proconnect = { PROCONNECT_ISSUER: OIDC_ISSUER, PROCONNECT_CLIENT_ID: "paraphe-e2e", PROCONNECT_CLIENT_SECRET: "paraphe-e2e-secret-0123456789" };

const common = {
  MAIL_RETRY_BASE_SECONDS: "0.2",
  DISPATCHER_INTERVAL_MS: "200",
  LOGIN_RATE_LIMIT_PER_IP: "10000",
  LOGIN_RATE_LIMIT_PER_EMAIL: "1000",
  // The journeys move the portals' clock (POST /dev/horloge) to see acts take effect and expire.
  PARAPHE_CLOCK_CONTROL: "1",
};
// Created once by the main process; workers inherit the variable and so find the same folders.
process.env.E2E_RUN_DIR ??= mkdtempSync(path.join(tmpdir(), "paraphe-e2e-"));
export const dataDir = (name: string) => path.join(process.env.E2E_RUN_DIR!, name);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: a 2-core CI machine under load must not turn slow pages into failures.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    trace: "retain-on-failure",
  },
  webServer: [
    {
      command: "node --import tsx e2e/support/smtp-sink-server.ts",
      url: `${SMTP_API}/health`,
      reuseExistingServer: false,
      env: { E2E_SMTP_PORT: port(2526), E2E_SMTP_API_PORT: port(2580) },
      stdout: "ignore",
      // A cold tsx cache on a fresh clone, on a busy machine, took more than the default 60 s once.
      timeout: 120_000,
    },
    {
      command: "node --import tsx e2e/support/oidc-provider-server.ts",
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      env: {
        OIDC_PORT: port(2590),
        OIDC_CLIENT_ID: proconnect.PROCONNECT_CLIENT_ID,
        OIDC_CLIENT_SECRET: proconnect.PROCONNECT_CLIENT_SECRET,
        OIDC_REDIRECT_URIS: `${SMTP_PORTAL}/connexion/proconnect/retour`,
        OIDC_POST_LOGOUT_REDIRECT_URIS: `${SMTP_PORTAL}/`,
      },
      stdout: "ignore",
      timeout: 120_000,
    },
    {
      command: "node --disable-proto=delete --import tsx server.ts --demo",
      url: SMTP_PORTAL,
      reuseExistingServer: false,
      env: { ...common, PORT: port(3457), PUBLIC_URL: SMTP_PORTAL, DATA_DIR: dataDir("smtp"), SMTP_URL: SMTP_SINK, DATABASE_URL: process.env.DATABASE_URL ?? "", ...proconnect },
      stdout: "ignore",
      stderr: "pipe",
      timeout: 120_000,
    },
    {
      command: "node --disable-proto=delete --import tsx server.ts --demo",
      url: MAILBOX_PORTAL,
      reuseExistingServer: false,
      env: { ...common, PORT: port(3458), PUBLIC_URL: MAILBOX_PORTAL, DATA_DIR: dataDir("mailbox"), SMTP_URL: "", DATABASE_URL: "", PROCONNECT_ISSUER: "", PROCONNECT_CLIENT_ID: "", PROCONNECT_CLIENT_SECRET: "" },
      stdout: "ignore",
      stderr: "pipe",
      timeout: 120_000,
    },
  ],
});
