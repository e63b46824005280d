import { ConfigError, loadConfig } from "../config.server";
import { testConfig } from "../test-support/config";

describe("request timeouts in the configuration", () => {
  it("defaults to 30 s for a whole request and 20 s for its headers", () => {
    const config = testConfig();
    expect([config.requestTimeoutMs, config.headersTimeoutMs]).toEqual([30_000, 20_000]);
  });

  it("reads REQUEST_TIMEOUT_MS and HEADERS_TIMEOUT_MS, and refuses headers allowed longer than the request", () => {
    expect(testConfig({ REQUEST_TIMEOUT_MS: "60000", HEADERS_TIMEOUT_MS: "10000" })).toMatchObject({ requestTimeoutMs: 60_000, headersTimeoutMs: 10_000 });
    expect(() => testConfig({ REQUEST_TIMEOUT_MS: "5000", HEADERS_TIMEOUT_MS: "10000" })).toThrow(ConfigError);
    expect(() => testConfig({ REQUEST_TIMEOUT_MS: "5000", HEADERS_TIMEOUT_MS: "10000" })).toThrow(/HEADERS_TIMEOUT_MS : ne peut pas dépasser REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ DATA_DIR: "/tmp", SESSION_SECRET: "x".repeat(32), REQUEST_TIMEOUT_MS: "trente" })).toThrow(/REQUEST_TIMEOUT_MS/);
  });
});
