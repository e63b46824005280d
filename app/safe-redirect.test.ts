import { safeRedirectPath } from "./session.server";

/** The `retour` parameter of the sign-in pages: only a path of this portal, whatever the browser's parsing tricks. */

const PORTAL = "http://localhost:3999";
const FALLBACK = "/tableau-de-bord";

// Each of these leads a browser to another site (or runs script) if used as a Location header.
const BYPASSES = [
  "//evil.example",
  "//evil.example/path",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/./\\evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "///evil.example",
  "////evil.example",
  "https://evil.example",
  "http://evil.example/connexion",
  "https:evil.example",
  "http://localhost:3999@evil.example",
  "http://localhost:3999.evil.example/",
  "http://localhost:4000/tableau-de-bord",
  "https://localhost:3999/tableau-de-bord",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "\tjavascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
];

describe("safeRedirectPath", () => {
  it.each(BYPASSES)("refuses %j and falls back to the dashboard", (target) => {
    const result = safeRedirectPath(target, PORTAL);
    // Whatever comes out must stay on the portal when a browser resolves it.
    const resolved = new URL(result, `${PORTAL}/`);
    expect(resolved.origin).toBe(PORTAL);
    expect(result.startsWith("/") && !result.startsWith("//") && !result.startsWith("/\\")).toBe(true);
    expect(result).toBe(FALLBACK);
  });

  // Odd but harmless: they resolve to a path of the portal (a browser does not decode a Location path).
  it.each(["/%09/evil.example", "%2F%2Fevil.example", "/%2F%2Fevil.example", "/%5C%5Cevil.example", "http:/evil.example", "evil.example"])(
    "keeps %j on the portal",
    (target) => {
      const result = safeRedirectPath(target, PORTAL);
      expect(result.startsWith("/") && !result.startsWith("//") && !/^\/[\\\t\n\r]/.test(result)).toBe(true);
      expect(new URL(result, `${PORTAL}/`).origin).toBe(PORTAL);
    },
  );

  it("keeps a path of the portal with its query and fragment", () => {
    expect(safeRedirectPath("/conventions/abc?onglet=circuit#etapes", PORTAL)).toBe("/conventions/abc?onglet=circuit#etapes");
    expect(safeRedirectPath("/a-signer", PORTAL)).toBe("/a-signer");
    expect(safeRedirectPath(`${PORTAL}/delegations`, PORTAL)).toBe("/delegations");
  });

  it("falls back when there is nothing", () => {
    expect(safeRedirectPath(null, PORTAL)).toBe(FALLBACK);
    expect(safeRedirectPath(undefined, PORTAL)).toBe(FALLBACK);
    expect(safeRedirectPath("", PORTAL)).toBe(FALLBACK);
    expect(safeRedirectPath("//evil.example", PORTAL, "/")).toBe("/");
  });
});
