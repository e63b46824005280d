/**
 * The server's verification pool: a fixed set of long-lived child processes, started once, each
 * loading the verifier a single time and verifying one upload at a time.
 *
 * Why child processes and not worker threads: a worker's `resourceLimits` caps its V8 heap only;
 * the PDF parser's decoded streams are ArrayBuffers outside that heap, so a hostile upload could
 * still grow the server's own RSS to gigabytes. A child has its own address space: the pool reads
 * its resident size (/proc/<pid>/statm) while it works and kills it above the ceiling, so the
 * server process never holds a document's decoded data. A job over its time is killed the same way;
 * a killed or crashed child is replaced by a fresh one.
 *
 * Admission is decided before the upload is read (`reserve()`): at most `workers + queue` uploads
 * are admitted at once, the rest get « saturated » without costing memory. Every answer is a tagged
 * outcome, never an exception, so the Remix bundle and the server need not share an error class.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Check, VerificationReport } from "./verify";

export type VerifyOutcome =
  | { kind: "report"; report: VerificationReport }
  /** The job ran past its time limit; its worker was killed. */
  | { kind: "timeout"; seconds: number }
  /** Every worker and queue place is taken (or the job waited in the queue too long). */
  | { kind: "saturated"; retryAfterSeconds: number };

export interface PoolOptions {
  /** Certificates the verifier trusts (DER). */
  trusted: Uint8Array[];
  maxBytes: number;
  /** Worker processes, started at once and kept. */
  workers: number;
  /** Jobs that may wait for a worker beyond those running. */
  queue: number;
  /** Time limit of one verification, and of its wait in the queue. */
  timeoutMs: number;
  /** Resident memory ceiling of one worker process (also its V8 heap limit). */
  memoryMb: number;
  /** Seconds a refused client is told to wait (Retry-After). */
  retryAfterSeconds?: number;
}

/** A place held for an upload while it is being received. */
export interface Reservation {
  run(bytes: Uint8Array): Promise<VerifyOutcome>;
  /** Gives the place back without running (the upload was refused). */
  release(): void;
}

export interface VerificationPool {
  /** Holds a place (a worker or the queue) before the upload is read; null when saturated. */
  reserve(): Reservation | null;
  /** reserve() then run(): « saturated » when no place is free. */
  verify(bytes: Uint8Array): Promise<VerifyOutcome>;
  /** Process ids of the workers (for monitoring and tests). */
  workerPids(): number[];
  /** Workers started since the pool opened, replacements included. */
  readonly started: number;
  /** Resolves once every worker has loaded the verifier (tests, startup log). */
  whenReady(): Promise<void>;
  close(): Promise<void>;
}

const workerEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), "verify-worker.mjs");
const PAGE_SIZE = 4096;
const WATCH_INTERVAL_MS = 20;
const RESTART_DELAY_MS = 500;

interface Job {
  bytes: Uint8Array;
  resolve: (outcome: VerifyOutcome) => void;
  /** Set while waiting in the queue: the queue wait is bounded too. */
  queueTimer?: NodeJS.Timeout;
}

interface Worker {
  child: ChildProcess;
  ready: boolean;
  job: Job | null;
  timer?: NodeJS.Timeout;
}

/** Resident set size of a process in bytes, or 0 when it cannot be read (gone, or not Linux). */
function residentBytes(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "latin1").split(" ")[1]) * PAGE_SIZE;
  } catch {
    return 0;
  }
}

/** An INVALID verdict for a job the worker could not finish (memory ceiling, crash). */
function unfinishedReport(bytes: Uint8Array, check: Check): VerificationReport {
  return {
    ok: false,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    signatures: [],
    documentChecks: [check],
    lastCoversDocument: false,
  };
}

export function createVerificationPool(options: PoolOptions): VerificationPool {
  const capacity = options.workers + options.queue;
  const retryAfterSeconds = options.retryAfterSeconds ?? 2;
  const ceiling = options.memoryMb * 1024 * 1024;
  const workers: Worker[] = [];
  const waiting: Job[] = [];
  let admitted = 0;
  let started = 0;
  let closed = false;

  function spawn(): Worker {
    started++;
    const child = fork(workerEntry, [], {
      // The heap limit makes V8 fail fast on object graphs; the RSS watch covers ArrayBuffers.
      // Like the server, the workers run without the __proto__ accessor (hostile input).
      execArgv: ["--disable-proto=delete", `--max-old-space-size=${options.memoryMb}`],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    // The pool never keeps its process alive by itself: the server closes it on shutdown.
    child.unref();
    child.channel?.unref();
    const worker: Worker = { child, ready: false, job: null };
    child.on("message", (message: { type: string; report?: VerificationReport }) => {
      if (message.type === "ready") {
        child.send({ type: "init", trusted: options.trusted, maxBytes: options.maxBytes });
        worker.ready = true;
        dispatch();
      } else if (message.type === "report" && worker.job) {
        finish(worker, { kind: "report", report: message.report! });
        // A worker that kept a large heap after a big document is recycled before the next job.
        if (residentBytes(child.pid) > ceiling) replace(worker);
        else dispatch();
      }
    });
    // Sending to a worker that just died, or failing to start one: its exit handler (below) answers
    // the job and replaces it; a process that never started emits no exit, so it is handled here.
    child.on("error", () => {
      if (child.pid === undefined) child.emit("exit", null, null);
    });
    child.on("exit", (code, signal) => {
      if (!workers.includes(worker)) return;
      const job = worker.job;
      if (job) {
        finish(worker, {
          kind: "report",
          report: unfinishedReport(job.bytes, {
            id: "worker-crash",
            ok: false,
            label: "Le document a pu être analysé jusqu'au bout",
            detail: `le processus de vérification s'est arrêté (${signal ?? `code ${code}`})`,
          }),
        });
      }
      // A worker that dies before being ready (broken install) is not respawned in a tight loop.
      const delay = worker.ready ? 0 : RESTART_DELAY_MS;
      workers.splice(workers.indexOf(worker), 1);
      if (!closed) setTimeout(() => !closed && (workers.push(spawn()), dispatch()), delay).unref();
    });
    return worker;
  }

  function finish(worker: Worker, outcome: VerifyOutcome) {
    const job = worker.job!;
    clearTimeout(worker.timer);
    worker.job = null;
    admitted--;
    job.resolve(outcome);
  }

  /** Kills a worker now and starts its replacement (the exit handler must not answer twice). */
  function replace(worker: Worker) {
    workers.splice(workers.indexOf(worker), 1);
    worker.child.kill("SIGKILL");
    if (!closed) workers.push(spawn());
  }

  function dispatch() {
    for (const worker of workers) {
      if (!worker.ready || worker.job || waiting.length === 0) continue;
      const job = waiting.shift()!;
      clearTimeout(job.queueTimer);
      worker.job = job;
      worker.timer = setTimeout(() => {
        finish(worker, { kind: "timeout", seconds: options.timeoutMs / 1000 });
        replace(worker);
        dispatch();
      }, options.timeoutMs);
      worker.child.send({ type: "verify", bytes: job.bytes });
    }
  }

  // While a job runs, its worker's resident size is read every few milliseconds: above the
  // ceiling the job ends with a bounded verdict and the worker is replaced.
  const watch = setInterval(() => {
    for (const worker of [...workers]) {
      if (!worker.job) continue;
      const rss = residentBytes(worker.child.pid);
      if (rss <= ceiling) continue;
      const job = worker.job;
      finish(worker, {
        kind: "report",
        report: unfinishedReport(job.bytes, {
          id: "memory",
          ok: false,
          label: "La vérification tient dans la mémoire allouée",
          detail: `plus de ${options.memoryMb} Mo nécessaires : document trop coûteux à analyser`,
        }),
      });
      replace(worker);
    }
    dispatch();
  }, WATCH_INTERVAL_MS);
  watch.unref();

  for (let i = 0; i < options.workers; i++) workers.push(spawn());

  function reserve(): Reservation | null {
    if (closed || admitted >= capacity) return null;
    admitted++;
    let used = false;
    return {
      run(bytes) {
        if (used) throw new Error("reservation already used");
        used = true;
        return new Promise<VerifyOutcome>((resolve) => {
          const job: Job = { bytes, resolve };
          job.queueTimer = setTimeout(() => {
            const at = waiting.indexOf(job);
            if (at < 0) return;
            waiting.splice(at, 1);
            admitted--;
            resolve({ kind: "saturated", retryAfterSeconds });
          }, options.timeoutMs);
          waiting.push(job);
          dispatch();
        });
      },
      release() {
        if (used) return;
        used = true;
        admitted--;
      },
    };
  }

  return {
    reserve,
    verify(bytes) {
      const reservation = reserve();
      return reservation ? reservation.run(bytes) : Promise.resolve({ kind: "saturated", retryAfterSeconds });
    },
    workerPids: () => workers.map((w) => w.child.pid).filter((pid): pid is number => pid !== undefined),
    get started() {
      return started;
    },
    async whenReady() {
      while (!closed && (workers.length < options.workers || workers.some((w) => !w.ready))) await new Promise((r) => setTimeout(r, 20));
    },
    async close() {
      closed = true;
      clearInterval(watch);
      for (const job of waiting.splice(0)) {
        clearTimeout(job.queueTimer);
        admitted--;
        job.resolve({ kind: "saturated", retryAfterSeconds });
      }
      // A job cut short by the shutdown is not a verdict on its document: the client may retry.
      for (const w of workers) if (w.job) finish(w, { kind: "saturated", retryAfterSeconds });
      const exits = workers.map((w) => new Promise((r) => (w.child.exitCode !== null || w.child.signalCode !== null ? r(null) : w.child.once("exit", r))));
      for (const w of workers) w.child.kill("SIGKILL");
      await Promise.all(exits);
      workers.length = 0;
    },
  };
}
