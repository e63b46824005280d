import type { Database } from "../db/connect";
import { now } from "./clock.server";
import { runScheduler, type SchedulerDeps, type SchedulerReport } from "./services/run-scheduler.server";

/**
 * The server's scheduler (server.ts): one run at start, which catches up after downtime (a server
 * stopped over an expiry date expires the convention as it starts again, once), then one run every
 * `intervalMs` (a minute). SKIP LOCKED in runScheduler makes it safe on several instances. A failed
 * run is logged and the next one tries again.
 *
 * `started` is the start-up run (its report, or null when it failed); `stop` clears the timer and
 * waits for the run in progress.
 */
export function startScheduler(
  db: Database,
  deps: SchedulerDeps,
  options: { clock?: () => Date; intervalMs?: number; log?: (message: string) => void } = {},
): { started: Promise<SchedulerReport | null>; stop: () => Promise<void> } {
  const clock = options.clock ?? now;
  const log = options.log ?? ((message: string) => console.error(message));
  let scheduling: Promise<SchedulerReport | null> = Promise.resolve(null);
  const tick = () => {
    scheduling = runScheduler(db, deps, clock()).catch((error: unknown) => {
      log(`[planificateur] erreur : ${(error as Error).message}`);
      return null;
    });
    return scheduling;
  };
  const started = tick();
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  return {
    started,
    async stop() {
      clearInterval(timer);
      await scheduling;
    },
  };
}
