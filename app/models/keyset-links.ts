/**
 * The browser-safe half of keyset pagination (see keyset.server.ts): reading a page request from the
 * URL and building the links to the neighbouring pages. `prefix` tells two lists of one page apart.
 */
export type PageRequest = { after: string | null; before: string | null; limit: number };

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
export const MAX_CURSOR_LENGTH = 600;

/** Reads `apres`, `avant` and `taille` (with the prefix) from a URL's search parameters (bounded; bad values ignored). */
export function readPageRequest(params: URLSearchParams, defaultLimit = DEFAULT_PAGE_SIZE, prefix = ""): PageRequest {
  const cursor = (name: string) => {
    const value = params.get(prefix + name);
    return value && value.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(value) ? value : null;
  };
  const size = Number(params.get(`${prefix}taille`));
  const limit = Number.isInteger(size) && size >= 1 && size <= MAX_PAGE_SIZE ? size : defaultLimit;
  const after = cursor("apres");
  return { after, before: after ? null : cursor("avant"), limit };
}

/** The href of another page of the same list: the current search parameters with the cursor replaced. */
export function pageHref(pathname: string, params: URLSearchParams, cursor: { apres: string } | { avant: string } | null, prefix = "") {
  const next = new URLSearchParams(params);
  next.delete(`${prefix}apres`);
  next.delete(`${prefix}avant`);
  if (cursor && "apres" in cursor) next.set(`${prefix}apres`, cursor.apres);
  if (cursor && "avant" in cursor) next.set(`${prefix}avant`, cursor.avant);
  const qs = next.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}
