import { createBoundedVerifier } from "./bounded-verifier";

describe("bounded verifier (worker thread)", () => {
  it("reports a non-PDF as INVALID, never unknown", async () => {
    const verify = createBoundedVerifier({ trusted: [], maxBytes: 1024 * 1024, timeoutMs: 20_000, memoryMb: 128 });
    const report = await verify(new TextEncoder().encode("%PDF-1.7\nnot really a pdf"));
    expect(report.ok).toBe(false);
    expect(report.documentChecks.some((c) => !c.ok)).toBe(true);
  });

  it("gives up after its time limit", async () => {
    const verify = createBoundedVerifier({ trusted: [], maxBytes: 1024 * 1024, timeoutMs: 1, memoryMb: 128 });
    await expect(verify(new TextEncoder().encode("%PDF-1.7\n"))).rejects.toThrow(/dépassé/);
  });
});
