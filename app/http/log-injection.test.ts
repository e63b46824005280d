import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { startOidcProvider } from "../../e2e/support/oidc-provider-server";
import type { Config } from "../config.server";
import { loader as proconnectReturn } from "../routes/connexion.proconnect.retour";
import { startProConnect } from "../services/proconnect.server";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";

/**
 * Log lines carry request data (here the provider's `error_description`, which anyone can put in
 * a return URL of their own sign-in): a newline in it must not start a forged log line.
 */

const PORTAL = "http://localhost:3999";
let db: Database;
let closeDb: () => Promise<void>;
let provider: Awaited<ReturnType<typeof startOidcProvider>>;
let config: Config;

beforeAll(async () => {
  ({ db, close: closeDb } = await createTestDatabase());
  provider = await startOidcProvider({ port: 0, clients: [{ clientId: "paraphe-test", clientSecret: "secret-de-test-0123456789", redirectUris: [`${PORTAL}/connexion/proconnect/retour`] }] });
  config = testConfig({ PROCONNECT_ISSUER: provider.issuer, PROCONNECT_CLIENT_ID: "paraphe-test", PROCONNECT_CLIENT_SECRET: "secret-de-test-0123456789" });
});
afterAll(async () => {
  await provider?.close();
  await closeDb?.();
});

it("escapes a newline sent in the provider's error_description when logging the refused ProConnect return", async () => {
  const { url, setCookie } = await startProConnect(config, { retour: "/" });
  const state = new URL(url).searchParams.get("state")!;
  const forged = "refus\n[connexion] connexion de administratrice@paraphe.example (10.0.0.1)\r\u001b[2K";
  const request = new Request(`${PORTAL}/connexion/proconnect/retour?state=${state}&error=access_denied&error_description=${encodeURIComponent(forged)}`, {
    headers: { Cookie: setCookie.split(";")[0] },
  });
  const context = { config, db, clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    const response = await proconnectReturn({ request, context, params: {} });
    expect((response as Response).status).toBe(302);
    const lines = warn.mock.calls.map((call) => call.map(String).join(" "));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("refus\\u000a[connexion] connexion de administratrice@paraphe.example (10.0.0.1)\\u000d\\u001b[2K");
    expect(lines[0]).not.toMatch(/[\n\r\u001b]/);
  } finally {
    warn.mockRestore();
  }
});
