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
