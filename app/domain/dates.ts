/**
 * Calendar dates of the acts' life (entry into force, end, notice, termination), as
 * « YYYY-MM-DD » strings: a date is a day of the Europe/Paris calendar, never an instant.
 * Pure (no Node import): shared by the server, the scheduler, the templates and the browser.
 *
 * Rules (issue 11):
 * - the end date of a convention is the last day it is in force: it is expired the day after;
 * - a notice period of n months runs on the calendar and clamps to the month's end:
 *   31 March + 3 months = 30 June; 30 November + 3 months = 28 February (29 in a leap year);
 * - the notification date is the notice's signature date in Europe/Paris.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const PARIS = "Europe/Paris";

/** Gregorian leap year: every 4 years, except centuries not divisible by 400 (2000 yes, 2100 no). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days of a month (1–12). */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for an existing calendar date written « YYYY-MM-DD » (no 2023-02-29, no 2023-13-01). */
export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(iso: string): [number, number, number] {
  const m = ISO.exec(iso);
  if (!m || !isIsoDate(iso)) throw new RangeError(`Date invalide : « ${iso} » (attendu AAAA-MM-JJ)`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const iso = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/**
 * Adds (or, negative, subtracts) calendar months; a day past the end of the target month
 * clamps to its last day: 2023-03-31 + 3 = 2023-06-30; 2023-11-30 + 3 = 2024-02-29.
 */
export function addMonths(isoDate: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`Nombre de mois invalide : ${months}`);
  const [y, m, d] = parts(isoDate);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return iso(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

/** Adds (or subtracts) days. */
export function addDays(isoDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Nombre de jours invalide : ${n}`);
  const [y, m, d] = parts(isoDate);
  const t = new Date(Date.UTC(y, m - 1, d) + n * 86_400_000);
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  const [ya, ma, da] = parts(a);
  const [yb, mb, db] = parts(b);
  return Math.round((Date.UTC(yb, mb - 1, db) - Date.UTC(ya, ma - 1, da)) / 86_400_000);
}

/** -1, 0 or 1, for sorting (« YYYY-MM-DD » strings compare as text, once validated). */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  parts(a);
  parts(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

const maxDate = (a: string, b: string) => (compareDates(a, b) >= 0 ? a : b);

const parisFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: PARIS,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parisParts(instant: Date): { date: string; hour: number; minute: number } {
  if (Number.isNaN(instant.getTime())) throw new RangeError("Instant invalide");
  const p: Record<string, string> = {};
  for (const x of parisFormat.formatToParts(instant)) p[x.type] = x.value;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute) };
}

/** The Europe/Paris calendar date of an instant: 2026-03-28T23:30Z is 2026-03-29 (UTC+1). */
export function parisDate(instant: Date): string {
  return parisParts(instant).date;
}

/**
 * The instant Europe/Paris enters a date (00:00 local): what a scheduler compares `now` with.
 * Paris changes its offset at 01:00 UTC, never around midnight, so 00:00 always exists once.
 */
export function parisMidnight(isoDate: string): Date {
  const [y, m, d] = parts(isoDate);
  const utcMidnight = Date.UTC(y, m - 1, d);
  for (const offsetHours of [1, 2]) {
    const t = new Date(utcMidnight - offsetHours * 3_600_000);
    const p = parisParts(t);
    if (p.date === isoDate && p.hour === 0 && p.minute === 0) return t;
  }
  /* c8 ignore next */
  throw new RangeError(`Minuit introuvable à Paris le ${isoDate}`);
}

/**
 * The date a termination takes effect.
 * - d'un commun accord: the requested date, or the notification date itself (no notice period);
 * - otherwise: the notification date plus the notice period on the calendar, or the requested
 *   date when it is later (a party may give more notice than required, never less).
 */
export function terminationEffectiveDate(input: { notifiedOn: string; preavisMois: number; requested?: string; communAccord: boolean }): string {
  const { notifiedOn, preavisMois, requested, communAccord } = input;
  parts(notifiedOn);
  if (requested !== undefined) parts(requested);
  if (communAccord) return requested ?? notifiedOn;
  if (!Number.isInteger(preavisMois) || preavisMois < 0) throw new RangeError(`Préavis invalide : ${preavisMois}`);
  const earliest = addMonths(notifiedOn, preavisMois);
  return requested ? maxDate(earliest, requested) : earliest;
}

/**
 * The latest notification date whose termination takes effect on or before `endsOn` (the last day
 * in force). Because of the month-end clamp several dates may map to the same effect: with a
 * 3-month notice and an end on 29 February 2024, a notice of 30 November still takes effect on
 * 29 February, so 30 November is the answer (not 29 November).
 */
export function lastNoticeDate(endsOn: string, preavisMois: number): string {
  if (!Number.isInteger(preavisMois) || preavisMois < 0) throw new RangeError(`Préavis invalide : ${preavisMois}`);
  // addMonths(addMonths(e, -p), p) <= e always; the clamp lets at most 3 later days qualify.
  let candidate = addMonths(endsOn, -preavisMois);
  for (let k = 0; k < 4; k++) {
    const next = addDays(candidate, 1);
    if (compareDates(addMonths(next, preavisMois), endsOn) > 0) break;
    candidate = next;
  }
  return candidate;
}

/** A convention whose last day in force is `endsOn` is expired from the next day on. */
export function isExpired(endsOn: string, today: string): boolean {
  return compareDates(today, endsOn) > 0;
}
