import { importVerdictView } from "./import-verdict";

const signature = (over: Record<string, unknown>) => ({ index: 1, kind: "signature", name: "Anne-Florence Canton", valid: false, trusted: false, digestOk: true, signatureOk: true, checks: [], coversWholeDocument: true, ...over });
const view = (s: Record<string, unknown>) => importVerdictView({ report: { sha256: "ab", size: 1, documentChecks: [], signatures: [signature(s)] } })!.signatures[0];

describe("importVerdictView: an imported act's signatures as they are", () => {
  it("a signature under an authority the portal does not trust is valid when its bytes and its cryptography are", () => {
    expect(view({})).toMatchObject({ valid: true, trusted: false });
  });
  it("is not valid when its bytes, its cryptographic signature or what it signed changed", () => {
    expect(view({ digestOk: false }).valid).toBe(false);
    expect(view({ signatureOk: false }).valid).toBe(false);
    expect(view({ checks: [{ id: "changes", ok: false }] }).valid).toBe(false);
  });
  it("a trusted signature keeps the verifier's full verdict", () => {
    expect(view({ trusted: true, valid: false }).valid).toBe(false);
    expect(view({ trusted: true, valid: true }).valid).toBe(true);
  });
});
