/**
 * The verifier the server hands to its routes (context.verifyDocument): the fixed pool of worker
 * processes of verify-pool.ts. The routes see only tagged outcomes, never an error class, so the
 * Remix bundle and the server need not share one.
 */
import { createVerificationPool, type PoolOptions, type VerificationPool } from "./verify-pool";

export type { Reservation, VerifyOutcome } from "./verify-pool";
export type BoundedVerifier = VerificationPool;

/** A pool with one worker and a queue of two unless told otherwise (the server passes its settings). */
export function createBoundedVerifier(options: Omit<PoolOptions, "workers" | "queue"> & Partial<Pick<PoolOptions, "workers" | "queue">>): BoundedVerifier {
  return createVerificationPool({ workers: 1, queue: 2, ...options });
}
