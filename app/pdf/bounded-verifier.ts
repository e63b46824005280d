import { Worker } from "node:worker_threads";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex, type VerificationReport } from "./verify";

export type BoundedVerifier = (bytes: Uint8Array) => Promise<VerificationReport>;

export class VerificationTimeoutError extends Error {}

const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "verify-worker.mjs");

/**
 * One worker per request: a fresh heap with a memory ceiling, killed after `timeoutMs`.
 * The worker entry registers tsx itself, so this works from the server and from tests.
 */
export function createBoundedVerifier(options: { trusted: Uint8Array[]; maxBytes: number; timeoutMs: number; memoryMb: number }): BoundedVerifier {
  return (bytes) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerFile, {
        workerData: { trusted: options.trusted, maxBytes: options.maxBytes },
        resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
      });
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new VerificationTimeoutError(`La vérification a dépassé ${options.timeoutMs / 1000} s.`));
      }, options.timeoutMs);
      worker.once("message", (report: VerificationReport) => {
        clearTimeout(timer);
        void worker.terminate();
        resolve(report);
      });
      worker.once("error", (error) => {
        clearTimeout(timer);
        // Out of memory or a crash in the parser: the document is INVALID, never "unknown".
        resolve({
          ok: false,
          size: bytes.length,
          sha256: sha256Hex(bytes),
          signatures: [],
          documentChecks: [{ id: "parse", ok: false, label: "Le PDF est lisible", detail: error.message }],
          lastCoversDocument: false,
        });
      });
      worker.postMessage(bytes);
    });
}
