import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openPki } from "../pdf/pki/pki";
import { signPdf } from "../pdf/signing/sign";
import { makeSignablePdf } from "../pdf/test-support/fixture";
import { freePort } from "../test-support/ports";

/**
 * The verify page of the real server process under load: concurrent uploads get a verdict or the
 * « saturé » answer (503, Retry-After), never a 500; the server's memory stays bounded, a
 * document costing more than a worker's ceiling included; a chunked upload over the limit gets 413; the per-IP limit answers
 * 429. Needs the build (npm run build). PostgreSQL when DATABASE_URL is set, PGlite otherwise.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WORKERS = 2;
const QUEUE = 4;
const MEMORY_MB = 256;
const RATE_LIMIT = 100;
const MB = 1024 * 1024;
const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Cheffe de service", organisation: "Ministère de la Justice", email: "afc@justice.example" },
  { name: "Stéphanie Schaer", function: "Directrice", organisation: "DINUM", email: "s.schaer@numerique.example" },
];

let portal: ChildProcess;
let port: number;
let output = "";
let signed: Uint8Array;
let bomb: Uint8Array;

const rssOf = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "latin1"))![1]) * 1024;
  } catch {
    return 0;
  }
};
const childrenOf = (pid: number) =>
  readdirSync(`/proc/${pid}/task`).flatMap((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/children`, "latin1").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return []; // a thread that ended meanwhile
    }
  });

/** Peak resident size of the server process and of its verification workers while `run` runs. */
async function measured<T>(run: () => Promise<T>): Promise<{ result: T; server: number; worker: number }> {
  let server = 0;
  let worker = 0;
  const sample = () => {
    server = Math.max(server, rssOf(portal.pid!));
    for (const pid of childrenOf(portal.pid!)) worker = Math.max(worker, rssOf(pid));
  };
  const timer = setInterval(sample, 10);
  try {
    const result = await run();
    sample();
    return { result, server, worker };
  } finally {
    clearInterval(timer);
  }
}

async function upload(bytes: Uint8Array, name = "document.pdf") {
  const form = new FormData();
  form.append("document", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }), name);
  const r = await fetch(`http://localhost:${port}/verifier`, { method: "POST", body: form, headers: { Origin: `http://localhost:${port}` } });
  return { status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.text() };
}

/** A multipart upload of `size` bytes sent chunked (no Content-Length). */
function chunkedUpload(size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const boundary = "----paraphe";
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/verifier",
        agent: false,
        headers: { Host: `localhost:${port}`, Origin: `http://localhost:${port}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Transfer-Encoding": "chunked" },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", (error) => !answered && reject(error));
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="gros.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
    const piece = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (sent < size && !answered && !req.destroyed) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered && !req.destroyed) req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

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

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "paraphe-verify-load-"));
  // The server opens the same keys: the documents signed here come from its authority.
  const pki = await openPki({ dataDir, env: {} as NodeJS.ProcessEnv });
  let pdf = (await makeSignablePdf({ pages: 5, signatures: 2 })).pdf;
  for (const person of PEOPLE) pdf = (await signPdf(pdf, { signer: await pki.signerFor(person), tsa: pki.tsa, signatory: person })).pdf;
  signed = pdf;
  bomb = objectGraphBomb();

  port = await freePort();
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL ?? "",
    VERIFY_WORKERS: String(WORKERS),
    VERIFY_QUEUE: String(QUEUE),
    VERIFY_MEMORY_MB: String(MEMORY_MB),
    VERIFY_RATE_LIMIT_PER_IP: String(RATE_LIMIT),
  };
  portal = spawn(process.execPath, ["--disable-proto=delete", "--import", "tsx", "server.ts"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  portal.stdout!.on("data", (d) => (output += d));
  portal.stderr!.on("data", (d) => (output += d));
  const deadline = Date.now() + 150_000;
  while (!/écoute sur/.test(output)) {
    if (portal.exitCode !== null || Date.now() > deadline) throw new Error(`Le portail n'a pas démarré :\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Its workers load the verifier once, at start: the first verdict tells they are up.
  const first = Date.now() + 60_000;
  while ((await upload(signed)).status !== 200 && Date.now() < first) await new Promise((r) => setTimeout(r, 1000));
}, 240_000);

afterAll(() => {
  portal?.kill("SIGTERM");
});

describe("verify page under load (real server process)", () => {
  it("answers 20 concurrent uploads with a verdict or « saturé » (503, Retry-After), never a 500, in bounded memory", async () => {
    const idle = rssOf(portal.pid!);
    const { result: answers, server, worker } = await measured(() => Promise.all(Array.from({ length: 20 }, () => upload(signed))));
    for (const a of answers) {
      if (a.status === 200) {
        expect(a.body).toContain("Document intact, signé par Anne-Florence Canton");
      } else {
        expect(a.status).toBe(503);
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
        expect(a.body).toContain("Le service de vérification est saturé, réessayez dans un instant");
      }
    }
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    // The documents are parsed in the workers, not in the server process.
    expect(server - idle).toBeLessThan(150 * MB);
    expect(worker).toBeLessThan((MEMORY_MB + 64) * MB);
  }, 120_000);

  it("gives a document costing more than the worker's memory ceiling a bounded answer (INVALID verdict or time limit), the server's memory unaffected", async () => {
    const idle = rssOf(portal.pid!);
    const { result: answer, server, worker } = await measured(() => upload(bomb, "bombe.pdf"));
    // Ended by the memory ceiling (an INVALID verdict) or, on a slow machine, by the time limit first.
    if (answer.status === 200) expect(answer.body).toContain("Document NON VALIDE");
    else {
      expect(answer.status).toBe(422);
      expect(answer.body).toContain("La vérification a pris trop de temps");
    }
    expect(server - idle).toBeLessThan(150 * MB);
    // The worker is watched every 20 ms and killed above its ceiling.
    expect(worker).toBeLessThan((MEMORY_MB + 128) * MB);
    // Replaced: the next upload is verified.
    const next = Date.now() + 60_000;
    let after = await upload(signed);
    while (after.status === 503 && Date.now() < next) after = (await new Promise((r) => setTimeout(r, 500)), await upload(signed));
    expect(after.body).toContain("Document intact");
  }, 120_000);

  it("refuses a chunked upload over 20 MB with a French 413", async () => {
    const r = await chunkedUpload(30 * MB);
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/dépasse/);
  }, 60_000);

  it("limits uploads per IP address with a French 429 and Retry-After", async () => {
    const answers = [];
    for (let i = 0; i < 2 * RATE_LIMIT; i++) answers.push(await upload(new TextEncoder().encode("pas un PDF"), "x.pdf"));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0].retryAfter)).toBeGreaterThan(0);
    expect(refused[0].body).toContain("Trop de vérifications depuis votre adresse");
    expect(answers.every((a) => a.status === 429 || a.status === 415)).toBe(true);
  }, 60_000);
});
