import { bodyLimitFor, DEFAULT_BODY_LIMIT } from "./body-limit.server";
import { mustNotBeStored } from "./cache.server";

describe("hostile input: the body cap bodyLimitFor gives each path", () => {
  it("over 20 MB: the verify and import paths are capped at 21 MB (a 20 MB PDF and its form), the drafting form at 10 MB, however the path is spelled (case, trailing slash, .data, percent-encoding)", () => {
    for (const path of ["/verifier", "/verifier/", "/VERIFIER", "/verifier.data", "/v%65rifier"]) expect(bodyLimitFor(path), path).toEqual({ bytes: 21 * 1024 * 1024, stream: true });
    for (const path of ["/conventions/abc/modifier", "/conventions/abc/modifier.data", "/Conventions/abc/Modifier/"]) expect(bodyLimitFor(path).bytes, path).toBe(10 * 1024 * 1024);
    // The import page takes a signed PDF under the verify page's rules.
    for (const path of ["/conventions/importer", "/conventions/importer.data", "/Conventions/Importer/"]) expect(bodyLimitFor(path), path).toEqual({ bytes: 21 * 1024 * 1024, stream: true });
  });

  it("a large body anywhere else gets the small default cap, also on a look-alike path (/verifier/x) or one that does not decode (/%)", () => {
    for (const path of ["/connexion", "/", "/conventions/abc/circuit", "/verifier/x", "/conventions/abc/modifier/x", "/%", "/tsa"]) {
      expect(bodyLimitFor(path), path).toEqual({ bytes: DEFAULT_BODY_LIMIT, stream: false });
    }
  });
});

describe("mustNotBeStored", () => {
  it("covers token and signing pages, any request with cookies and any response setting one", () => {
    for (const path of ["/connexion/lien", "/telechargement/abc", "/telechargement/abc/acte.pdf", "/accuse-reception/abc", "/conventions/abc/signer", "/a-signer", "/connexion/proconnect/retour"]) {
      expect(mustNotBeStored(path, undefined, false), path).toBe(true);
    }
    expect(mustNotBeStored("/", "paraphe_session=x", false)).toBe(true);
    expect(mustNotBeStored("/connexion", undefined, true)).toBe(true);
    expect(mustNotBeStored("/", undefined, false)).toBe(false);
    expect(mustNotBeStored("/verifier", "", false)).toBe(false);
  });
});
