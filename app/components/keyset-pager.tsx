import { Link, useLocation } from "@remix-run/react";
import { pageHref } from "~/models/keyset-links";

/**
 * « Première page / Page précédente / Page suivante » for a keyset-paginated list (DSFR pagination
 * markup, without page numbers: a keyset page knows its neighbours, not its rank). `next` and `prev`
 * are the cursors the list's loader got from `keysetPage`; the other search parameters are kept.
 * `prefix` tells two lists of one page apart (their cursors are `${prefix}apres` / `${prefix}avant`).
 */
export function KeysetPager({ next, prev, label = "Pagination", prefix = "" }: { next: string | null; prev: string | null; label?: string; prefix?: string }) {
  const location = useLocation();
  if (!next && !prev) return null;
  const params = new URLSearchParams(location.search);
  const href = (cursor: Parameters<typeof pageHref>[2]) => pageHref(location.pathname, params, cursor, prefix);
  const off = (text: string, cls: string) => (
    <a className={`fr-pagination__link ${cls}`} aria-disabled="true" role="link">
      {text}
    </a>
  );
  return (
    <nav role="navigation" className="fr-pagination fr-mt-2w" aria-label={label}>
      <ul className="fr-pagination__list">
        <li>
          {prev ? (
            <Link className="fr-pagination__link fr-pagination__link--first" to={href(null)}>
              Première page
            </Link>
          ) : (
            off("Première page", "fr-pagination__link--first")
          )}
        </li>
        <li>
          {prev ? (
            <Link className="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" to={href({ avant: prev })} rel="prev">
              Page précédente
            </Link>
          ) : (
            off("Page précédente", "fr-pagination__link--prev fr-pagination__link--lg-label")
          )}
        </li>
        <li>
          {next ? (
            <Link className="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" to={href({ apres: next })} rel="next">
              Page suivante
            </Link>
          ) : (
            off("Page suivante", "fr-pagination__link--next fr-pagination__link--lg-label")
          )}
        </li>
      </ul>
    </nav>
  );
}
