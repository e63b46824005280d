/**
 * Keyset ("seek") pagination and French full-text search, shared by every list of the portal.
 *
 * Why keyset and not OFFSET: `OFFSET 5000` still reads and throws away 5,000 rows; a keyset page
 * starts right after the last row shown (`WHERE (updated_at, id) < ($1, $2) ORDER BY updated_at DESC,
 * id DESC LIMIT 26`), which an index on `(updated_at, id)` answers by reading 26 entries, page 1 or
 * page 400. The price: no « page 37 » jump, only « page suivante » / « page précédente ».
 *
 * How to use it (a list query function in app/models):
 *
 *   import { keysetPage, readPageRequest, searchMatches } from "./keyset.server";
 *
 *   export function listThings(db: Executor, orgId: string, q: string, page: PageRequest) {
 *     let query = db.selectFrom("things").select(["things.id", "things.title"]).where("things.org_id", "=", orgId);
 *     const search = searchMatches(sql.ref("things.search_document"), q);   // null when q has no word
 *     if (search) query = query.where(search);
 *     return keysetPage(query, {
 *       keys: [{ expr: sql.ref("things.updated_at"), type: "timestamptz" }, { expr: sql.ref("things.id"), type: "uuid" }],
 *       direction: "desc",
 *       ...page,                                           // { after, before, limit } from readPageRequest
 *     });
 *   }
 *
 *   // in the route's loader: const page = readPageRequest(new URL(request.url).searchParams);
 *   // return { rows: result.rows, next: result.next, prev: result.prev } and in the component
 *   // <KeysetPager next={next} prev={prev} /> (app/components/keyset-pager.tsx): « Première page »,
 *   // « Page précédente », « Page suivante », keeping the other search parameters (see `pageHref`).
 *
 * Rules for the caller:
 * - the query has no ORDER BY and no LIMIT of its own (the helper adds both);
 * - the keys end with a unique column (the id), so the order is total and no row is skipped or repeated;
 * - every key is NOT NULL and all keys sort the same direction (one row comparison, one index);
 * - make an index on exactly the keys, in that order (with the equality filters first, e.g.
 *   `(organisation_id, updated_at, id)`), and check it in app/models/list-queries.explain.test.ts.
 *
 * The cursor is opaque to the user (base64url of the keys' text values, e.g. a timestamp with its
 * microseconds, which a JS Date would lose). A malformed or forged cursor is not an error: it is
 * treated as « first page » (the values are bound parameters cast to the key's type; a value that does
 * not cast is refused before the query).
 *
 * Search: `searchMatches(column, q)` turns what the person typed into a prefix query on a tsvector column
 * built with the 'french' configuration over `foldForSearch`-ed text (lower case, no accents, « - _ / . »
 * as spaces: « DG-2024 » is the words « dg » and « 2024 »). Every word must match (AND), each as a prefix
 * (« délég » finds « délégation »). French stop words alone (« de », « la ») match nothing. PGlite 0.5
 * has the same 'french' configuration, so the same SQL runs on both engines.
 */
import { sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from "kysely";
import { DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE, type PageRequest } from "./keyset-links";

// The URL side (no server code, usable by components): reading ?apres/?avant/?taille and page links.
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageHref, readPageRequest, type PageRequest } from "./keyset-links";

export type KeyType = "timestamptz" | "uuid" | "text" | "bigint" | "integer" | "date";
export type KeysetKey = { expr: Expression<unknown>; type: KeyType };

export type KeysetPage<T> = {
  rows: T[];
  /** Cursor of the last row when there are rows after this page, else null. */
  next: string | null;
  /** Cursor of the first row when there are rows before this page, else null. */
  prev: string | null;
};

export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

const VALID: Record<KeyType, RegExp> = {
  timestamptz: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  text: /^[\s\S]{0,200}$/,
  bigint: /^-?\d{1,18}$/,
  integer: /^-?\d{1,9}$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
};

/** The key values of a cursor, or null when it is not one for these keys. */
export function decodeCursor(cursor: string | null, keys: readonly { type: KeyType }[]): string[] | null {
  if (!cursor || cursor.length > MAX_CURSOR_LENGTH) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(values) || values.length !== keys.length) return null;
  if (!values.every((v, i) => typeof v === "string" && VALID[keys[i].type].test(v))) return null;
  return values as string[];
}

/**
 * One page of `query` in key order. Adds the seek condition, ORDER BY and LIMIT (limit + 1 to know
 * whether another page follows), and strips its helper columns from the rows.
 */
export async function keysetPage<O>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query: SelectQueryBuilder<any, any, O>,
  spec: { keys: KeysetKey[]; direction: "asc" | "desc" } & PageRequest,
): Promise<KeysetPage<O>> {
  const { keys, direction } = spec;
  const limit = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.trunc(spec.limit) || DEFAULT_PAGE_SIZE));
  const after = decodeCursor(spec.after, keys);
  const before = after ? null : decodeCursor(spec.before, keys);
  const backward = before !== null;
  // Reading backwards: the opposite order from the cursor, rows reversed afterwards.
  const order = (direction === "desc") !== backward ? "desc" : "asc";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let q = query as SelectQueryBuilder<any, any, any>;
  const cursorValues = after ?? before;
  if (cursorValues) {
    const left = sql.join(keys.map((k) => k.expr));
    const right = sql.join(keys.map((k, i) => sql`cast(${cursorValues[i]} as ${sql.raw(k.type)})`));
    q = q.where(order === "desc" ? sql<SqlBool>`(${left}) < (${right})` : sql<SqlBool>`(${left}) > (${right})`);
  }
  keys.forEach((k, i) => {
    q = q.select(sql<string>`cast(${k.expr} as text)`.as(`__k${i}`));
    q = q.orderBy(sql`${k.expr} ${sql.raw(order)}`);
  });
  const fetched = (await q.limit(limit + 1).execute()) as Record<string, unknown>[];
  const more = fetched.length > limit;
  if (more) fetched.pop();
  if (backward) fetched.reverse();
  const cursors = fetched.map((row) => encodeCursor(keys.map((_, i) => String(row[`__k${i}`]))));
  const rows = fetched.map((row) => {
    const copy = { ...row };
    keys.forEach((_, i) => delete copy[`__k${i}`]);
    return copy as O;
  });
  const first = cursors[0] ?? null;
  const last = cursors[cursors.length - 1] ?? null;
  return backward
    ? { rows, next: last ?? spec.before, prev: more ? first : null }
    : { rows, next: more ? last : null, prev: after ? (first ?? spec.after) : null };
}

// ---------------------------------------------------------------------------------------------
// Search

/**
 * Characters folded before indexing and before querying. The SQL side (migration 0009's
 * `paraphe_search_fold`) uses `translate(lower(text), SEARCH_FOLD_FROM, SEARCH_FOLD_TO)` with the same
 * two strings; app/models/keyset.server.test.ts checks that both give the same words.
 */
export const SEARCH_FOLD_FROM = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿœæ-_/.'’";
export const SEARCH_FOLD_TO = "aaaaaaceeeeiiiinooooouuuuyyoa      ";

/** Lower case, accents off, separators as spaces (the same folding as the indexed column). */
export function foldForSearch(text: string): string {
  let out = "";
  for (const ch of text.toLowerCase()) {
    const i = SEARCH_FOLD_FROM.indexOf(ch);
    out += i >= 0 ? SEARCH_FOLD_TO[i] : ch;
  }
  return out;
}

const MAX_SEARCH_WORDS = 8;
const MAX_WORD_LENGTH = 40;

/**
 * The tsquery text for what the person typed: each word (letters and digits only, so no tsquery
 * operator can be injected) as a prefix, all required. Null when nothing searchable is left.
 */
export function searchQueryText(q: string): string | null {
  const words = foldForSearch(q.slice(0, 200))
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_SEARCH_WORDS)
    .map((w) => `${w.slice(0, MAX_WORD_LENGTH)}:*`);
  return words.length ? words.join(" & ") : null;
}

/** `column @@ to_tsquery('french', …)` for what the person typed, or null when there is no word to search. */
export function searchMatches(column: Expression<unknown>, q: string): RawBuilder<SqlBool> | null {
  const text = searchQueryText(q);
  return text ? sql<SqlBool>`${column} @@ to_tsquery('french', ${text})` : null;
}
