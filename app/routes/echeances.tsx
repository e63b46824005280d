import { fr } from "@codegouvfr/react-dsfr";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { formatDateLongue } from "~/domain/convention";
import { compareDates, parisDate } from "~/domain/dates";
import { now } from "~/clock.server";
import { listDeadlines, readDeadlineOrder, type DeadlineOrder } from "~/models/deadlines.server";
import { listDueReports } from "~/models/spending.server";
import { pageHref, readPageRequest } from "~/models/keyset.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Échéances — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "redacteur");
  const url = new URL(request.url);
  const page = readPageRequest(url.searchParams);
  // ?tri=preavis: by the last date a termination notice can be sent; by end date otherwise.
  const order = readDeadlineOrder(url.searchParams.get("tri"));
  const result = user.organisation_id ? await listDeadlines(context.db, user.organisation_id, page, order) : { rows: [], next: null, prev: null };
  // Issue 15: the comptes rendus d'exécution owed by the délégataire and not yet signed.
  const reports = user.organisation_id ? await listDueReports(context.db, user.organisation_id) : [];
  return {
    today: parisDate(now()),
    order,
    reports,
    rows: result.rows,
    next: result.next ? pageHref(url.pathname, url.searchParams, { apres: result.next }) : null,
    prev: result.prev ? pageHref(url.pathname, url.searchParams, { avant: result.prev }) : null,
  };
}

const ORDERS: { value: DeadlineOrder; label: string }[] = [
  { value: "fin", label: "Par date de fin" },
  { value: "preavis", label: "Par date limite de résiliation" },
];

export default function Deadlines() {
  const { today, order, rows, next, prev, reports } = useLoaderData<typeof loader>();
  return (
    <Page title="Échéances">
      <p>
        Les conventions en vigueur de votre organisation, de la plus proche échéance à la plus lointaine : par date de fin, ou par date limite pour notifier
        une résiliation (les deux ordres diffèrent quand les préavis diffèrent). Une résiliation doit être notifiée au plus tard le
        jour indiqué pour prendre effet avant la fin de la convention (préavis compté en mois, au calendrier). Pour prolonger une convention, préparez un avenant
        depuis sa page.
      </p>
      <p className={fr.cx("fr-text--sm")}>Aujourd'hui : {formatDateLongue(today)}.</p>
      {reports.length ? (
        <section aria-labelledby="comptes-rendus" className={fr.cx("fr-mb-4w")}>
          <h2 id="comptes-rendus" className={fr.cx("fr-h4")}>
            Comptes rendus d'exécution dus
          </h2>
          <p>
            Au terme d'une convention, le délégataire rend compte au délégant des dépenses réalisées. Le compte rendu est préparé par le portail à partir des
            dépenses enregistrées ; il reste dû tant que le signataire du délégataire ne l'a pas signé.
          </p>
          <div className={fr.cx("fr-table", "fr-table--no-caption")}>
            <table>
              <caption>Comptes rendus d'exécution à signer et transmettre</caption>
              <thead>
                <tr>
                  <th scope="col">Convention</th>
                  <th scope="col">Fin de la convention</th>
                  <th scope="col">Compte rendu préparé le</th>
                  <th scope="col">Statut</th>
                  <th scope="col">À faire</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/conventions/${r.parent_id}`}>{r.parent_title}</Link>
                      {r.reference ? <span className={fr.cx("fr-text--sm")}> — {r.reference}</span> : null}
                    </td>
                    <td>{r.endedOn ? `${r.terminated ? "Résiliée au " : ""}${formatDateLongue(r.endedOn)}` : "—"}</td>
                    <td>{r.preparedOn ? formatDateLongue(r.preparedOn) : "—"}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>
                      <Link to={`/conventions/${r.id}`}>
                        {r.role === "delegataire" ? (r.status === "brouillon" ? "Faire signer le compte rendu" : "Suivre la signature") : "Consulter le compte rendu"}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <nav aria-label="Ordre de la liste des conventions" className={fr.cx("fr-mb-2w")}>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm")}>
          {ORDERS.map((o) => (
            <li key={o.value}>
              <Link
                className={fr.cx("fr-btn", "fr-btn--sm", ...(o.value === order ? [] : (["fr-btn--tertiary"] as const)))}
                to={o.value === "fin" ? "/echeances" : `/echeances?tri=${o.value}`}
                aria-current={o.value === order ? "page" : undefined}
              >
                {o.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p>Aucune convention en vigueur avec une date de fin.</p>
      ) : (
        <div className={fr.cx("fr-table", "fr-table--no-caption")}>
          <table>
            <caption>{order === "preavis" ? "Conventions en vigueur par date limite de résiliation" : "Conventions en vigueur par date de fin"}</caption>
            <thead>
              <tr>
                <th scope="col">Convention</th>
                <th scope="col">Partenaire</th>
                <th scope="col">Statut</th>
                <th scope="col">En vigueur jusqu'au</th>
                <th scope="col">Notifier une résiliation au plus tard le</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const late = compareDates(r.last_notice_on, today) < 0;
                return (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/conventions/${r.id}`}>{r.title}</Link>
                      {r.reference ? <span className={fr.cx("fr-text--sm")}> — {r.reference}</span> : null}
                    </td>
                    <td>{r.partner}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>{formatDateLongue(r.ends_on)}</td>
                    <td>
                      {formatDateLongue(r.last_notice_on)}
                      {late ? <span className={fr.cx("fr-text--sm")}> (date passée : une résiliation ne prendrait plus effet avant la fin)</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {prev || next ? (
        <nav role="navigation" className={fr.cx("fr-pagination")} aria-label="Pagination">
          <ul className={fr.cx("fr-pagination__list")}>
            <li>
              {prev ? (
                <Link className={fr.cx("fr-pagination__link", "fr-pagination__link--prev", "fr-pagination__link--lg-label")} to={prev}>
                  Page précédente
                </Link>
              ) : (
                <a className={fr.cx("fr-pagination__link", "fr-pagination__link--prev", "fr-pagination__link--lg-label")} aria-disabled="true" role="link">
                  Page précédente
                </a>
              )}
            </li>
            <li>
              {next ? (
                <Link className={fr.cx("fr-pagination__link", "fr-pagination__link--next", "fr-pagination__link--lg-label")} to={next}>
                  Page suivante
                </Link>
              ) : (
                <a className={fr.cx("fr-pagination__link", "fr-pagination__link--next", "fr-pagination__link--lg-label")} aria-disabled="true" role="link">
                  Page suivante
                </a>
              )}
            </li>
          </ul>
        </nav>
      ) : null}
      <p className={fr.cx("fr-text--xs", "fr-mt-2w")}>Dates au calendrier de Paris ; la date de fin est le dernier jour en vigueur.</p>
    </Page>
  );
}
