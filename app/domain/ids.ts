import { z } from "zod";

const rowId = z.guid();

/**
 * A row id read from a form field or a route parameter, or null when it is not one. PostgreSQL
 * refuses to compare a uuid column with a malformed value (an error, hence a 500): anything that is
 * not a well-formed id is answered as « not found » before the query.
 */
export function parseId(value: unknown): string | null {
  const parsed = rowId.safeParse(value);
  return parsed.success ? parsed.data.toLowerCase() : null;
}

const versionNumber = z.string().regex(/^\d{1,10}$/).transform(Number).pipe(z.number().int().min(1).max(2_147_483_647));

/** A version number read from a form (PostgreSQL integer range), or null. */
export function parseVersion(value: unknown): number | null {
  const parsed = versionNumber.safeParse(value);
  return parsed.success ? parsed.data : null;
}
