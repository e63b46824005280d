import type { Request, Response } from "express";
import { isPortalHost, rejectCrossSiteWrites } from "./security.server";
import { forLog } from "./log.server";

const PORTAL = "http://localhost:3999";

/** The least of an Express request that the middleware reads. */
function fakeRequest(method: string, path: string, headers: Record<string, string>): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, protocol: "http", headers: lower, get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}

function run(req: Request) {
  let status = 0;
  let passed = false;
  const res = {
    status(code: number) {
      status = code;
      return this;
    },
    set() {
      return this;
    },
    type() {
      return this;
    },
    send() {
      return this;
    },
  } as unknown as Response;
  rejectCrossSiteWrites(new URL(PORTAL).origin)(req, res, () => (passed = true));
  return { status, passed };
}

describe("rejectCrossSiteWrites", () => {
  it("refuses a write whose Origin matches a forged Host but not PUBLIC_URL", () => {
    const r = run(fakeRequest("POST", "/connexion", { Host: "evil.example", Origin: "http://evil.example" }));
    expect(r).toEqual({ status: 403, passed: false });
  });

  it("refuses another origin and a null origin; lets our origin, same-origin fetches and reads through", () => {
    expect(run(fakeRequest("POST", "/connexion", { Host: "localhost:3999", Origin: "http://localhost:4000" })).status).toBe(403);
    expect(run(fakeRequest("POST", "/connexion", { Host: "localhost:3999", Origin: "null" })).status).toBe(403);
    expect(run(fakeRequest("POST", "/connexion", { Host: "localhost:3999", Origin: PORTAL })).passed).toBe(true);
    expect(run(fakeRequest("POST", "/connexion", { Host: "localhost:3999", "Sec-Fetch-Site": "same-origin" })).passed).toBe(true);
    expect(run(fakeRequest("POST", "/connexion", { Host: "localhost:3999", "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect(run(fakeRequest("GET", "/connexion", { Host: "evil.example", Origin: "http://evil.example" })).passed).toBe(true);
  });

  it("writes the refused origin in one log line, control characters escaped", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      run(fakeRequest("POST", "/connexion\n[csrf] faux", { Host: "localhost:3999", Origin: "http://evil.example\n[session] ligne forgée\u001b[2K" }));
      expect(warn).toHaveBeenCalledTimes(1);
      const line = String(warn.mock.calls[0][0]);
      expect(line).not.toMatch(/[\n\r\u001b]/);
      expect(line).toContain("\\u000a[session] ligne forgée\\u001b[2K");
    } finally {
      warn.mockRestore();
    }
  });
});

describe("isPortalHost", () => {
  it.each([
    ["localhost:3999", true],
    ["LOCALHOST:3999", true],
    ["localhost:4000", false],
    ["localhost", false],
    ["127.0.0.1:3999", false],
    ["evil.example", false],
    ["evil@localhost:3999", false],
    ["localhost:3999/x", false],
    ["a b", false],
    ["", false],
  ])("%j is the portal's host: %s", (host, expected) => {
    expect(isPortalHost(host, PORTAL)).toBe(expected);
  });

  it("ignores the default port", () => {
    expect(isPortalHost("paraphe.example.gouv.fr", "https://paraphe.example.gouv.fr")).toBe(true);
    expect(isPortalHost("paraphe.example.gouv.fr:443", "https://paraphe.example.gouv.fr")).toBe(true);
    expect(isPortalHost("paraphe.example.gouv.fr:8443", "https://paraphe.example.gouv.fr")).toBe(false);
  });
});

describe("forLog", () => {
  it("escapes every control character and line separator, and cuts long values", () => {
    expect(forLog("a\nb\rc\td\u0000e\u007f\u2028")).toBe("a\\u000ab\\u000dc\\u0009d\\u0000e\\u007f\\u2028");
    expect(forLog("x".repeat(400))).toHaveLength(301);
    expect(forLog(null)).toBe("null");
  });
});
