/**
 * Runs the verifier in a worker thread so that a hostile upload is bounded in time (the parent
 * terminates the worker) and in memory (resourceLimits), and cannot stall the server.
 */
import { parentPort, workerData } from "node:worker_threads";
import { verifyPdf } from "./verify";

const { trusted, maxBytes } = workerData as { trusted: Uint8Array[]; maxBytes: number };

parentPort!.on("message", async (bytes: Uint8Array) => {
  const report = await verifyPdf(bytes, { trusted, maxBytes });
  parentPort!.postMessage(report);
});
