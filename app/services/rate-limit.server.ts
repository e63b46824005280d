import { sql } from "kysely";
import type { Database } from "../../db/connect";

export const RATE_WINDOW_MINUTES = 15;

export class RateLimitedError extends Error {
  constructor(message = "Trop de demandes de connexion. Patientez quelques minutes avant de réessayer.") {
    super(message);
  }
}

/**
 * Records one attempt in `bucket` and tells whether the bucket is over `limit` in the window.
 * Written on its own, outside the caller's transaction: a refused attempt still counts, so
 * hammering keeps the door shut instead of reopening it as the first attempts age out.
 */
export async function hitRateLimit(db: Database, bucket: string, limit: number, windowMinutes = RATE_WINDOW_MINUTES): Promise<boolean> {
  await db.insertInto("rate_limit_hits").values({ bucket }).execute();
  return (await countHits(db, bucket, windowMinutes)) > limit;
}

/** Counts without recording (to refuse before trying, when only failures are recorded). */
export async function isRateLimited(db: Database, bucket: string, limit: number, windowMinutes = RATE_WINDOW_MINUTES): Promise<boolean> {
  return (await countHits(db, bucket, windowMinutes)) >= limit;
}

/** Records an attempt without checking (a failure, counted after the fact). */
export async function recordHit(db: Database, bucket: string) {
  await db.insertInto("rate_limit_hits").values({ bucket }).execute();
}

async function countHits(db: Database, bucket: string, windowMinutes: number) {
  // Old hits of this bucket are of no use any more: the table stays small.
  await db.deleteFrom("rate_limit_hits").where("bucket", "=", bucket).where("created_at", "<", sql<Date>`now() - make_interval(mins => ${windowMinutes})`).execute();
  const { count } = await db
    .selectFrom("rate_limit_hits")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("bucket", "=", bucket)
    .where("created_at", ">", sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
    .executeTakeFirstOrThrow();
  return Number(count);
}
