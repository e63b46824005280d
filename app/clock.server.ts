/**
 * The portal's clock for time-driven changes (entry into force, expiry, termination, end-date
 * reminders) and the dates of signed acts. Real time, plus an offset that only tests move:
 * `advanceClock` refuses unless PARAPHE_CLOCK_CONTROL=1 (see config.server.ts; /dev/horloge).
 *
 * The offset lives on globalThis: the server process (scheduler) and the Remix build (routes) are
 * two module graphs, and both must read the same clock.
 */
const KEY = Symbol.for("paraphe.clock.offsetMs");
type ClockHolder = { [KEY]?: number };

const holder = globalThis as unknown as ClockHolder;

export function now(): Date {
  return new Date(Date.now() + (holder[KEY] ?? 0));
}

export function clockOffsetMs(): number {
  return holder[KEY] ?? 0;
}

export class ClockControlError extends Error {}

/** Moves the clock forward by `ms` (tests only). The clock never goes back: what was done stays done. */
export function advanceClock(config: { clockControl: boolean }, ms: number): Date {
  if (!config.clockControl) throw new ClockControlError("Le contrôle de l'horloge n'est pas activé (PARAPHE_CLOCK_CONTROL=1, tests uniquement).");
  if (!Number.isFinite(ms) || ms < 0) throw new ClockControlError("L'horloge ne peut qu'avancer.");
  holder[KEY] = (holder[KEY] ?? 0) + ms;
  return now();
}
