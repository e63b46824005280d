/**
 * `npm run bench:load` (issue 14): the real server over a fresh PostgreSQL database seeded with N
 * conventions (bench/seed-scale.ts), driven from loopback by autocannon at concurrency 1, 10 and 20 for
 * a bounded time per endpoint; then the same with 100 conventions, for how the cost grows with data.
 *
 *   npm run bench:load                      10,000 conventions, 4 s per endpoint and concurrency
 *   npm run bench:load -- --quick           2,000 conventions, 2 s (a short check)
 *   npm run bench:load -- --conventions 5000 --duration 3 --concurrency 1,10,20
 *   npm run bench:load -- --only signer --baseline 0 --tsa-delay-ms 200   signing only, no 100-convention run,
 *                                           behind a TSA that answers in 200 ms (an external TSA's latency)
 *
 * Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres: a role that
 * may create databases; each run creates and drops its own) and a build (`npm run bench:load` builds
 * when build/ is older than the sources). Prints, per endpoint and concurrency: requests, throughput,
 * p50/p95/p99 latency (every response timed, not autocannon's buckets), errors, and the server's peak
 * RSS (its process and its verify workers); then the ratios of p95 between N and 100 conventions.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { sql } from "kysely";
import type { AppLoadContext } from "@remix-run/node";
import { loadConfig } from "../app/config.server";
import { openDatabase, type Database } from "../db/connect";
import { migrateToLatest } from "../db/migrate";
import { openSession } from "../app/models/sessions.server";
import { commitSessionCookie } from "../app/session.server";
import { launchCircuit } from "../app/services/launch-circuit.server";
import { sendSigningCode } from "../app/services/send-signing-code.server";
import { CAMILLE, CANTON, circuitWorld, SCHAER } from "../app/test-support/circuit";
import { signPdf } from "../app/pdf/signing/sign";
import { renderConventionFromInput } from "../app/pdf/rendering/convention";
import { seedScale } from "./seed-scale";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes("--quick");
const SIZE = Number(arg("conventions") ?? (quick ? 2000 : 10_000));
const BASELINE = Number(arg("baseline") ?? 100);
const DURATION = Number(arg("duration") ?? (quick ? 2 : 4));
const CONCURRENCY = (arg("concurrency") ?? "1,10,20").split(",").map(Number);
/** Endpoints whose name contains one of these words (comma-separated); default every endpoint. */
const ONLY = arg("only")?.split(",").map((w) => w.trim().toLowerCase()).filter(Boolean);
/** Delay added by a loopback proxy in front of the server's own RFC 3161 TSA (TSA_URLS): 0 → built-in TSA. */
const TSA_DELAY_MS = Number(arg("tsa-delay-ms") ?? 0);
const PG = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SECRET = "banc-de-charge-secret-de-session-0123456789abcdef";

type Row = { endpoint: string; size: number; c: number; requests: number; rps: number; p50: number; p95: number; p99: number; errors: number; saturated: number; rssMb: number; statuses: string; written?: number };

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);

/** RSS of a process and its descendants (the verify workers), in MiB. */
function treeRssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const task of [p]) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim();
        for (const c of children ? children.split(/\s+/).map(Number) : []) visit(c);
      }
    } catch {
      /* gone */
    }
  };
  visit(pid);
  return kb / 1024;
}

async function createDatabase(name: string) {
  const admin = await openDatabase({ databaseUrl: PG, dataDir: "" });
  await sql`drop database if exists ${sql.id(name)}`.execute(admin);
  await sql`create database ${sql.id(name)}`.execute(admin);
  await admin.destroy();
  const url = new URL(PG);
  url.pathname = `/${name}`;
  return url.toString();
}
async function dropDatabase(name: string) {
  const admin = await openDatabase({ databaseUrl: PG, dataDir: "" });
  await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
  await admin.destroy();
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

type Target = {
  name: string;
  method: "GET" | "POST";
  cookie: string;
  paths: string[];
  body?: (i: number) => { body: Buffer | string; type: string };
  amount?: (c: number) => number;
  handled?: (status: number) => boolean;
  /** Signing targets: who signs which acts (the page answers 200 with a French refusal too: the signatures written are counted). */
  signing?: { email: string; ids: string[] };
};

/** One endpoint at one concurrency: every response timed, statuses counted, the server's RSS sampled. */
async function drive(base: string, target: Target, c: number, serverPid: number, counter: { i: number }) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let saturated = 0;
  let peak = treeRssMb(serverPid);
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(serverPid))), 100);
  const started = performance.now();
  const amount = target.amount?.(c);
  const instance = autocannon({
    url: base,
    connections: c,
    ...(amount ? { amount } : { duration: DURATION }),
    timeout: 60,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const i = counter.i++;
          const headers: Record<string, string> = { cookie: target.cookie, origin: base, "sec-fetch-site": "same-origin" };
          const out: Record<string, unknown> = { ...req, method: target.method, path: target.paths[i % target.paths.length], headers };
          if (target.body) {
            const b = target.body(i);
            out.body = b.body;
            headers["content-type"] = b.type;
          }
          return out;
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, time: number) => {
    latencies.push(time);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (target.handled?.(status)) saturated++;
    else if (status >= 400) errors++;
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) => instance.on("done", resolve).on("error", reject));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  errors += result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  const codes = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
  return { requests: latencies.length, rps: latencies.length / seconds, p50: pct(latencies, 0.5), p95: pct(latencies, 0.95), p99: pct(latencies, 0.99), errors, saturated, rssMb: peak, statuses: codes };
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  const child = spawn(process.execPath, ["--disable-proto=delete", "--import", "tsx", "server.ts"], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const base = env.PUBLIC_URL;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté :\n${log}`);
    if (/écoute sur/.test(log)) return { child, base, log: () => log };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`le serveur n'a pas démarré en 60 s :\n${log}`);
}

/** Acts in signature with a valid code for `email`, prepared through the real use cases. */
async function signingFixtures(db: Database, world: Awaited<ReturnType<typeof circuitWorld>>, count: number, last: boolean) {
  const out: { id: string; code: string }[] = [];
  for (let i = 0; i < count; i++) {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    if (last) await world.sign(CANTON, id);
    const who = last ? SCHAER : CANTON;
    await sendSigningCode(db, world.deps, world.actor(who), id);
    out.push({ id, code: await world.lastCode(who) });
  }
  return out;
}

async function runSize(size: number): Promise<Row[]> {
  const name = `paraphe_bench_${size}_${process.pid}`;
  const databaseUrl = await createDatabase(name);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "paraphe-bench-load-"));
  const port = await freePort();
  const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SESSION_SECRET: SECRET, VERIFY_RATE_LIMIT_PER_IP: "0" };
  // Only the server goes through the slow TSA (the fixtures are signed before it starts, with the built-in one).
  const slowTsa = TSA_DELAY_MS > 0 ? await delayedTsa(`http://127.0.0.1:${port}/tsa`, TSA_DELAY_MS) : undefined;
  const config = loadConfig(env);
  const db = await openDatabase({ databaseUrl, dataDir });
  let server: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    await migrateToLatest(db);
    const summary = await seedScale(db, { conventions: size });
    console.log(`\n[${size}] base ${name} : ${summary.conventions} conventions (${summary.signed} signées, ${summary.signing} en signature, ${summary.drafts} brouillons), ${summary.auditEvents} événements, ${summary.outbox} messages — ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const world = await circuitWorld(db, config);
    const maxC = signAmount(Math.max(...CONCURRENCY));
    const t1 = performance.now();
    // The fixtures' own signatures (the last ones' first signature) log their times too: not this run's figures.
    const info = console.info;
    console.info = () => {};
    const intermediate = await signingFixtures(db, world, CONCURRENCY.reduce((n, c) => n + signAmount(c), 0), false);
    const lastOnes = await signingFixtures(db, world, CONCURRENCY.reduce((n, c) => n + signAmount(c), 0), true);
    console.info = info;
    console.log(`[${size}] ${intermediate.length + lastOnes.length} circuits lancés et codes envoyés pour les signatures (${((performance.now() - t1) / 1000).toFixed(0)} s, jusqu'à ${maxC} par mesure)`);
    // The verify page's reference: the reference convention signed twice by the portal's keys.
    const ref = JSON.parse(readFileSync(path.join(root, "templates/examples/convention-justice-dinum-2022.json"), "utf8"));
    let act = (await renderConventionFromInput(ref)).pdf;
    for (const who of [
      { name: "Anne-Florence Canton", organisation: "Ministère de la Justice" },
      { name: "Stéphanie Schaer", organisation: "DINUM" },
    ]) {
      act = (await signPdf(act, { signer: await world.pki.signerFor(who), tsa: world.pki.tsa, signatory: who })).pdf;
    }
    const boundary = "----parapheBancDeCharge";
    const verifyBody = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="acte.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      Buffer.from(act),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);

    const context = { config } as AppLoadContext;
    const cookieOf = async (email: string) => {
      const person = await db.selectFrom("people").select("id").where("email", "=", email).executeTakeFirstOrThrow();
      const { sessionToken } = await openSession(db, { personId: person.id, authMethod: "lien_magique", ttlHours: 8, ip: "127.0.0.1", userAgent: "bench-load" });
      return (await commitSessionCookie(context, sessionToken)).split(";")[0];
    };
    const camille = await cookieOf(CAMILLE);
    const canton = await cookieOf(CANTON);
    const schaer = await cookieOf(SCHAER);
    const dinum = (await db.selectFrom("organisations").select("id").where("short_name", "=", "DINUM").executeTakeFirstOrThrow()).id;
    const conventionPages = (
      await db.selectFrom("conventions").select("id").where("status", "=", "en_vigueur").where("delegant_organisation_id", "in", db.selectFrom("organisations").select("id").where("short_name", "=", "MJ SG/SNUM")).limit(50).execute()
    ).map((r) => `/conventions/${r.id}`);
    await db.destroy();

    let log: () => string;
    ({ child: server, log } = await startServer(slowTsa ? { ...env, TSA_URLS: slowTsa.url } : env));
    const base = `http://127.0.0.1:${port}`;
    const form = (fixtures: { id: string; code: string }[]) => ({
      paths: fixtures.map((f) => `/conventions/${f.id}/signer`),
      body: (i: number) => ({ body: `intent=signer&code=${fixtures[i % fixtures.length].code}`, type: "application/x-www-form-urlencoded" }),
    });
    const allTargets: Target[] = [
      { name: "tableau de bord", method: "GET", cookie: camille, paths: ["/tableau-de-bord"] },
      { name: "tableau de bord, recherche + filtres", method: "GET", cookie: camille, paths: [`/tableau-de-bord?q=formation+agents&partie=${dinum}&annee=2024`, "/tableau-de-bord?onglet=signees&q=dg-2023", "/tableau-de-bord?onglet=brouillons"] },
      { name: "conventions, recherche", method: "GET", cookie: camille, paths: ["/conventions?q=h%C3%A9bergement", "/conventions?q=cr%C3%A9dits+immobiliers"] },
      { name: "« À signer »", method: "GET", cookie: canton, paths: ["/a-signer"] },
      { name: "page d'une convention", method: "GET", cookie: camille, paths: conventionPages },
      { name: "signer (étape intermédiaire)", method: "POST", cookie: canton, ...form(intermediate), amount: signAmount, signing: { email: CANTON, ids: intermediate.map((f) => f.id) } },
      { name: "signer (dernière, achèvement)", method: "POST", cookie: schaer, ...form(lastOnes), amount: signAmount, signing: { email: SCHAER, ids: lastOnes.map((f) => f.id) } },
      { name: "vérifier (acte à 2 signatures)", method: "POST", cookie: "", paths: ["/verifier"], body: () => ({ body: verifyBody, type: `multipart/form-data; boundary=${boundary}` }), handled: (s) => s === 503 || s === 429 },
    ];
    const targets = ONLY ? allTargets.filter((t) => ONLY.some((w) => t.name.toLowerCase().includes(w))) : allTargets;
    const rows: Row[] = [];
    // Warm-up: the first request of each page compiles its code paths.
    for (const t of targets.filter((t) => t.method === "GET")) await fetch(base + t.paths[0], { headers: { cookie: t.cookie } });
    for (const target of targets) {
      const counter = { i: 0 };
      for (const c of CONCURRENCY) {
        const mark = log().length;
        const first = counter.i;
        const r = await drive(base, target, c, server.pid!, counter);
        const written = target.signing ? await signaturesWritten(databaseUrl, dataDir, target.signing, first, counter.i) : undefined;
        rows.push({ endpoint: target.name, size, c, ...r, written });
        process.stdout.write(`  [${size}] ${target.name} c=${c} : ${r.requests} req (${r.statuses}), p95 ${r.p95.toFixed(0)} ms, ${r.errors} erreurs${written === undefined ? "" : `, ${written} signatures écrites`}\n`);
        const served = log().slice(mark);
        // A 500 is counted above; what the server said about it is shown once per measurement.
        const failure = /^.*(Error|error|erreur).*$/m.exec(served)?.[0];
        if (r.statuses.includes("500×") && failure) process.stdout.write(`      première erreur du serveur : ${failure.slice(0, 300)}\n`);
        const timings = signingTimings(served);
        if (timings) {
          process.stdout.write(`      ${timings}\n`);
          notes.push(`[${size}] ${target.name} c=${c} : ${timings}`);
        }
      }
    }
    return rows;
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await db.destroy().catch(() => {});
    slowTsa?.close();
    await dropDatabase(name).catch((e) => console.error(`base ${name} non supprimée : ${(e as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Signatures written for the acts requested i = from…to-1 (a refusal answers 200 with its French message). */
async function signaturesWritten(databaseUrl: string, dataDir: string, signing: { email: string; ids: string[] }, from: number, to: number) {
  const ids = [...new Set(Array.from({ length: to - from }, (_, k) => signing.ids[(from + k) % signing.ids.length]))];
  if (!ids.length) return 0;
  const db = await openDatabase({ databaseUrl, dataDir });
  try {
    const rows = await db
      .selectFrom("audit_events")
      .innerJoin("people", "people.id", "audit_events.actor_id")
      .select("audit_events.convention_id")
      .where("audit_events.type", "=", "signature")
      .where("people.email", "=", signing.email)
      .where("audit_events.convention_id", "in", ids)
      .execute();
    return new Set(rows.map((r) => r.convention_id)).size;
  } finally {
    await db.destroy();
  }
}

/** What the server logged per signature (sign-step.server.ts): row lock held, completion transaction, TSA calls outside the lock. */
function signingTimings(log: string): string | undefined {
  const lines = [...log.matchAll(/\[signature\] \S+ : verrou (\d+) ms, achèvement (\d+|—) ms, horodatage hors verrou (\d+) ms/g)];
  if (!lines.length) return undefined;
  const stat = (values: number[]) => {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    return sorted.length ? `p50 ${pct(sorted, 0.5)} ms, p95 ${pct(sorted, 0.95)} ms` : "—";
  };
  const completions = lines.map((l) => Number(l[2])).filter(Number.isFinite);
  return (
    `${lines.length} signatures — verrou de l'acte tenu : ${stat(lines.map((l) => Number(l[1])))} ; ` +
    `horodatage hors verrou : ${stat(lines.map((l) => Number(l[3])))}` +
    (completions.length ? ` ; transaction d'achèvement : ${stat(completions)}` : "")
  );
}
const notes: string[] = [];

/** A loopback RFC 3161 endpoint that forwards to `target` after `delayMs`: an external TSA's latency. */
async function delayedTsa(target: string, delayMs: number): Promise<{ url: string; close: () => void }> {
  const http = await import("node:http");
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      await new Promise((r) => setTimeout(r, delayMs));
      try {
        const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/timestamp-query" }, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch (e) {
        res.writeHead(502).end((e as Error).message);
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}/tsa`, close: () => server.close() };
}

/** Signatures per measurement: distinct conventions, each signed once (the time bound does not apply). */
function signAmount(c: number) {
  return Math.max(c * (quick ? 2 : 4), 10);
}

function table(rows: Row[], baseline: Row[]) {
  const head = ["point d'entrée", "conv.", "conc.", "req.", "req/s", "p50 ms", "p95 ms", "p99 ms", "erreurs", "saturé", "signées", "RSS max Mio", "p95 / p95 à " + BASELINE];
  const lines = rows.map((r) => {
    const b = baseline.find((x) => x.endpoint === r.endpoint && x.c === r.c);
    // No response within the time bound: no latency to show (the requests were still running).
    const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "—");
    const ratio = b && Number.isFinite(r.p95 / b.p95) ? `${(r.p95 / b.p95).toFixed(2)}×` : "—";
    return [r.endpoint, String(r.size), String(r.c), String(r.requests), r.rps.toFixed(1), ms(r.p50), ms(r.p95), ms(r.p99), String(r.errors), String(r.saturated), r.written === undefined ? "—" : String(r.written), r.rssMb.toFixed(0), ratio];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(fmt(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
}

async function main() {
  console.log(
    `Banc de charge : ${SIZE} conventions (référence ${BASELINE || "aucune"}), ${DURATION} s par mesure, concurrences ${CONCURRENCY.join(", ")}` +
      `${ONLY ? `, points d'entrée : ${ONLY.join(", ")}` : ""}${TSA_DELAY_MS ? `, horodateur à ${TSA_DELAY_MS} ms` : ""} ; Node ${process.version}, ${os.cpus().length} vCPU`,
  );
  const big = await runSize(SIZE);
  const small = BASELINE > 0 ? await runSize(BASELINE) : [];
  console.log(BASELINE > 0 ? `\nRésultats à ${SIZE} conventions (ratio : p95 à ${SIZE} / p95 à ${BASELINE} conventions, même concurrence)\n` : `\nRésultats à ${SIZE} conventions\n`);
  table(big, small);
  if (BASELINE > 0) {
    console.log(`\nRésultats à ${BASELINE} conventions\n`);
    table(small, []);
  }
  if (notes.length) console.log(`\nTemps journalisés par le serveur pour chaque signature\n${notes.join("\n")}`);
  const worstRss = Math.max(...big.map((r) => r.rssMb), ...small.map((r) => r.rssMb));
  console.log(`\nRSS maximale du serveur (processus et workers de vérification) : ${worstRss.toFixed(0)} Mio`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
