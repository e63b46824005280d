import { importVerdictView } from "./import-verdict";

const signature = (over: Record<string, unknown>) => ({ index: 1, kind: "signature", name: "Anne-Florence Canton", valid: false, trusted: false, intactButUntrusted: true, coversWholeDocument: true, ...over });
const view = (s: Record<string, unknown>) => importVerdictView({ report: { sha256: "ab", size: 1, documentChecks: [], signatures: [signature(s)] } })!.signatures[0];

describe("importVerdictView: an imported act's signatures as they are", () => {
  it("a signature under an authority the portal does not trust is valid when the verifier found it intact", () => {
    expect(view({})).toMatchObject({ valid: true, trusted: false });
  });
  it("is not valid when the verifier did not find it intact (bytes, cryptographic signature or what it signed changed)", () => {
    expect(view({ intactButUntrusted: false }).valid).toBe(false);
    // Never from the other fields of the report: the verifier's own verdict decides.
    expect(view({ intactButUntrusted: false, digestOk: true, signatureOk: true, checks: [] }).valid).toBe(false);
  });
  it("a trusted signature keeps the verifier's full verdict", () => {
    expect(view({ trusted: true, valid: false, intactButUntrusted: false }).valid).toBe(false);
    expect(view({ trusted: true, valid: true, intactButUntrusted: false }).valid).toBe(true);
  });
});
