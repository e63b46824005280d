import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openPki } from "../pki/pki";
import { signPdf } from "../signing/sign";
import { makeSignablePdf } from "../test-support/fixture";
import { createVerificationPool, type VerificationPool, type VerifyOutcome } from "./verify-pool";

/** The verification pool with real worker processes running the real verifier. */

const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Cheffe de service", organisation: "Ministère de la Justice", email: "afc@justice.example" },
  { name: "Stéphanie Schaer", function: "Directrice", organisation: "DINUM", email: "s.schaer@numerique.example" },
];

let trusted: Uint8Array[];
let signed: Uint8Array;
let bomb: Uint8Array;
const pools: VerificationPool[] = [];

const rssOf = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "latin1"))![1]) * 1024;
  } catch {
    return 0;
  }
};

/**
 * A 15 MB PDF whose catalog holds an array of 7.5 million numbers: every PDF parser builds an
 * object per number, hundreds of megabytes and seconds of work (no stream, so no decoded-size cap).
 */
function objectGraphBomb(): Uint8Array {
  const head = Buffer.from("%PDF-1.7\n");
  const object = Buffer.concat([Buffer.from("1 0 obj\n<< /Type /Catalog /Bombe ["), Buffer.alloc(15_000_000, "0 "), Buffer.from("] >>\nendobj\n")]);
  const xref = `xref\n0 2\n0000000000 65535 f \n${String(head.length).padStart(10, "0")} 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n${head.length + object.length}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([head, object, Buffer.from(xref)]));
}

function pool(options: Partial<Parameters<typeof createVerificationPool>[0]> = {}) {
  const p = createVerificationPool({ trusted, maxBytes: 20 * 1024 * 1024, workers: 2, queue: 4, timeoutMs: 15_000, memoryMb: 256, ...options });
  pools.push(p);
  return p;
}

beforeAll(async () => {
  const pki = await openPki({ dataDir: mkdtempSync(path.join(tmpdir(), "paraphe-pool-")), env: {} as NodeJS.ProcessEnv });
  trusted = pki.trustedCertificates();
  let pdf = (await makeSignablePdf({ pages: 3, signatures: 2 })).pdf;
  for (const person of PEOPLE) pdf = (await signPdf(pdf, { signer: await pki.signerFor(person), tsa: pki.tsa, signatory: person })).pdf;
  signed = pdf;
  bomb = objectGraphBomb();
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const kinds = (outcomes: VerifyOutcome[]) => outcomes.map((o) => (o.kind === "report" ? (o.report.ok ? "valid" : "invalid") : o.kind));

describe("verification pool (child processes)", () => {
  it("answers 20 concurrent verifications with a verdict or « saturated », never an exception, admitting at most workers + queue", async () => {
    const p = pool({ workers: 2, queue: 4 });
    await p.whenReady();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => p.verify(signed)));
    const k = kinds(outcomes);
    expect(k.filter((x) => x === "valid")).toHaveLength(6);
    expect(k.filter((x) => x === "saturated")).toHaveLength(14);
    for (const o of outcomes) if (o.kind === "saturated") expect(o.retryAfterSeconds).toBeGreaterThan(0);
    // Places are given back: once the burst is over, the pool verifies again.
    expect(kinds([await p.verify(signed)])).toEqual(["valid"]);
    // The same two processes did every job: no process per upload.
    expect(p.started).toBe(2);
  }, 120_000);

  it("ends a job over its time limit with a tagged timeout, replaces the worker, and verifies the next upload", async () => {
    const p = pool({ workers: 1, queue: 1, timeoutMs: 1_000, memoryMb: 4096 });
    await p.whenReady();
    const [pid] = p.workerPids();
    const started = performance.now();
    expect(await p.verify(bomb)).toEqual({ kind: "timeout", seconds: 1 });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(p.workerPids()).not.toContain(pid);
    await p.whenReady();
    expect(kinds([await p.verify(signed)])).toEqual(["valid"]);
  }, 120_000);

  it("replaces a worker killed in the middle of a job: that job gets an INVALID verdict, the next one verifies", async () => {
    const p = pool({ workers: 1, queue: 1, memoryMb: 4096 });
    await p.whenReady();
    const [pid] = p.workerPids();
    const pending = p.verify(bomb);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, "SIGKILL");
    const outcome = await pending;
    expect(outcome.kind).toBe("report");
    if (outcome.kind === "report") {
      expect(outcome.report.ok).toBe(false);
      expect(outcome.report.documentChecks.map((c) => c.id)).toEqual(["worker-crash"]);
    }
    await p.whenReady();
    expect(p.workerPids()).not.toContain(pid);
    expect(p.started).toBe(2);
    expect(kinds([await p.verify(signed)])).toEqual(["valid"]);
  }, 120_000);

  it("bounds memory: a document costing more than the ceiling ends with the memory verdict, its worker killed near the ceiling, this process unaffected", async () => {
    const ceilingMb = 256;
    // A time limit well above the memory watch's: on a loaded 2-core machine the bomb can take more
    // than the default 15 s to reach the ceiling, and the verdict under test is memory, not time.
    const p = pool({ workers: 1, queue: 1, memoryMb: ceilingMb, timeoutMs: 90_000 });
    await p.whenReady();
    const before = rssOf(process.pid);
    let peakSelf = before;
    let peakWorker = 0;
    const sampler = setInterval(() => {
      peakSelf = Math.max(peakSelf, rssOf(process.pid));
      for (const pid of p.workerPids()) peakWorker = Math.max(peakWorker, rssOf(pid));
    }, 5);
    const started = performance.now();
    const outcome = await p.verify(bomb);
    clearInterval(sampler);
    expect(outcome.kind).toBe("report");
    if (outcome.kind === "report") {
      expect(outcome.report.ok).toBe(false);
      // The pool's watch ended it (the worker's RSS, buffers included), not V8's heap limit.
      expect(outcome.report.documentChecks.map((c) => c.id)).toEqual(["memory"]);
    }
    expect(performance.now() - started).toBeLessThan(90_000);
    // The watch reads the worker every 20 ms: it may overshoot by what it allocates meanwhile.
    expect(peakWorker).toBeLessThan((ceilingMb + 128) * 1024 * 1024);
    expect(peakSelf - before).toBeLessThan(100 * 1024 * 1024);
    await p.whenReady();
    expect(kinds([await p.verify(signed)])).toEqual(["valid"]);
  }, 120_000);
});
