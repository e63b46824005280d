import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { WaitingTable } from "~/components/circuit-lists";
import { KeysetPager } from "~/components/keyset-pager";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { ROLE_LABELS } from "~/domain/roles";
import { isStatus, STATUS_LABELS, STATUSES } from "~/domain/workflow";
import { countWaitingFor, pageWaitingFor, titularsOf, toWaitingRows } from "~/models/circuit.server";
import {
  CONVENTION_TABS,
  countConventionsOfOrganisationByStatus,
  isConventionTab,
  pageConventionsOfOrganisation,
  tabCounts,
  UUID_RE,
  type ConventionTab,
} from "~/models/conventions.server";
import { readPageRequest } from "~/models/keyset.server";
import { getOrganisation, listOrganisations } from "~/models/organisations.server";
import { requireUser } from "~/session.server";
import { InlineStyle } from "~/components/inline-style";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Paraphe" }];

const TAB_TITLES: Record<ConventionTab, { title: string; empty: string }> = {
  "en-cours": { title: "En cours", empty: "Aucune convention en cours de signature." },
  signees: { title: "Signées", empty: "Aucune convention signée." },
  brouillons: { title: "Brouillons", empty: "Aucun brouillon." },
  annulees: { title: "Annulées", empty: "Aucune convention annulée." },
};
const TAB_ORDER: ConventionTab[] = ["en-cours", "signees", "brouillons", "annulees"];
/** Shown on the dashboard; the whole list is on « À signer ». */
const WAITING_ON_DASHBOARD = 5;

/**
 * The dashboard: « À signer » (first rows and the count), then the organisation's conventions by
 * tab, each tab's count and the shown page computed in SQL (issue 14: the page stays small whatever
 * the number of conventions).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
  const statutParam = url.searchParams.get("statut") ?? "";
  const statut = isStatus(statutParam) ? statutParam : "";
  const partieParam = url.searchParams.get("partie") ?? "";
  const partie = UUID_RE.test(partieParam) ? partieParam : "";
  const anneeParam = url.searchParams.get("annee") ?? "";
  const annee = /^\d{4}$/.test(anneeParam) ? anneeParam : "";
  const ongletParam = url.searchParams.get("onglet") ?? "";
  const filter = { q, partie: partie || null, annee: annee ? Number(annee) : null };
  const orgId = user.organisation_id;
  const signataire = user.roles.includes("signataire");
  const titulars = signataire ? (await titularsOf(context.db, user.id)).map((t) => t.titular_id) : [];
  const [organisation, organisations, byStatus, waitingCount, waiting] = await Promise.all([
    orgId ? getOrganisation(context.db, orgId) : undefined,
    listOrganisations(context.db),
    orgId ? countConventionsOfOrganisationByStatus(context.db, orgId, filter) : Promise.resolve({} as Record<string, number>),
    signataire ? countWaitingFor(context.db, user.id, titulars) : Promise.resolve(0),
    signataire ? pageWaitingFor(context.db, user.id, titulars, { after: null, before: null, limit: WAITING_ON_DASHBOARD }) : Promise.resolve(null),
  ]);
  const counts = tabCounts(statut ? { [statut]: byStatus[statut] ?? 0 } : byStatus);
  // The tab asked for; else the one holding the status filtered on; else the first with conventions.
  const tab: ConventionTab = isConventionTab(ongletParam)
    ? ongletParam
    : statut
      ? TAB_ORDER.find((t) => (CONVENTION_TABS[t] as readonly string[]).includes(statut))!
      : (TAB_ORDER.find((t) => counts[t] > 0) ?? "en-cours");
  const statuses = statut ? (CONVENTION_TABS[tab] as readonly string[]).filter((s) => s === statut) : CONVENTION_TABS[tab];
  const page =
    orgId && statuses.length
      ? await pageConventionsOfOrganisation(context.db, orgId, { ...filter, statuses }, readPageRequest(url.searchParams))
      : { rows: [], next: null, prev: null };
  const thisYear = Number(new Intl.DateTimeFormat("fr-FR", { year: "numeric", timeZone: "Europe/Paris" }).format(new Date()));
  return {
    user: { firstName: user.first_name, roles: user.roles },
    organisation: organisation?.name ?? null,
    filters: { q, statut, partie, annee },
    filtering: Boolean(q || statut || partie || annee),
    tab,
    counts,
    partyChoices: organisations.map((o) => ({ id: o.id, name: o.name })),
    yearChoices: Array.from({ length: 21 }, (_, i) => thisYear + 8 - i),
    waitingCount,
    waiting: waiting ? toWaitingRows(waiting.rows, user.id) : [],
    rows: page.rows.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      updatedAt: new Date(c.updated_at).toISOString(),
      declined: Boolean(c.decline_reason),
      parties: c.parties.map((p) => ({ id: p.id, name: p.name, shortName: p.shortName })),
    })),
    next: page.next,
    prev: page.prev,
  };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

function ConventionRows({ rows, caption, empty }: { rows: Row[]; caption: string; empty: string }) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <div className={fr.cx("fr-table")}>
      <table>
        <caption className={fr.cx("fr-sr-only")}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Convention</th>
            <th scope="col">Parties</th>
            <th scope="col">Statut</th>
            <th scope="col">Mise à jour</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/conventions/${c.id}`}>{c.title}</Link>
                {c.declined && c.status === "brouillon" ? (
                  <>
                    <br />
                    <Badge as="span" small severity="warning" noIcon>
                      Signature refusée
                    </Badge>
                  </>
                ) : null}
              </td>
              <td>{c.parties.map((p) => p.shortName || p.name).join(", ")}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>{formatDateTime(c.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const { user, organisation, filters } = d;
  const signataire = user.roles.includes("signataire");
  const location = useLocation();
  const tabHref = (tab: string) => {
    const params = new URLSearchParams(location.search);
    params.delete("apres");
    params.delete("avant");
    params.set("onglet", tab);
    return `${location.pathname}?${params}`;
  };
  const active = TAB_TITLES[d.tab];
  return (
    <Page title="Tableau de bord">
      <p className={fr.cx("fr-text--lead")}>
        Bonjour {user.firstName}. {organisation ? <>Vous agissez pour : {organisation}.</> : null}
      </p>
      <p>Vos rôles : {user.roles.map((r) => ROLE_LABELS[r]).join(", ")}.</p>

      <Form method="get" role="search" aria-label="Rechercher et filtrer les conventions" className={`${fr.cx("fr-mb-4w", "fr-p-3w")} paraphe-filtres`}>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <div className={fr.cx("fr-input-group", "fr-mb-0")}>
              <label className={fr.cx("fr-label")} htmlFor="filtre-q">
                Rechercher un intitulé
                <span className={fr.cx("fr-hint-text")}>Mots de l'intitulé, de la référence ou du nom d'une partie</span>
              </label>
              <input className={fr.cx("fr-input")} type="search" id="filtre-q" name="q" defaultValue={filters.q} />
            </div>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-sm-4", "fr-col-md-2")}>
            <div className={fr.cx("fr-select-group", "fr-mb-0")}>
              <label className={fr.cx("fr-label")} htmlFor="filtre-statut">
                Statut
              </label>
              <select className={fr.cx("fr-select")} id="filtre-statut" name="statut" defaultValue={filters.statut}>
                <option value="">Tous</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-sm-4", "fr-col-md-3")}>
            <div className={fr.cx("fr-select-group", "fr-mb-0")}>
              <label className={fr.cx("fr-label")} htmlFor="filtre-partie">
                Partie
              </label>
              <select className={fr.cx("fr-select")} id="filtre-partie" name="partie" defaultValue={filters.partie}>
                <option value="">Toutes</option>
                {d.partyChoices.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-sm-4", "fr-col-md-2")}>
            <div className={fr.cx("fr-select-group", "fr-mb-0")}>
              <label className={fr.cx("fr-label")} htmlFor="filtre-annee">
                Année
              </label>
              <select className={fr.cx("fr-select")} id="filtre-annee" name="annee" defaultValue={filters.annee}>
                <option value="">Toutes</option>
                {d.yearChoices.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-2")}>
            <button type="submit" className={fr.cx("fr-btn", "fr-btn--icon-left", "fr-icon-search-line")}>
              Filtrer
            </button>
          </div>
        </div>
        {d.filtering ? (
          <p className={fr.cx("fr-text--sm", "fr-mt-2w", "fr-mb-0")}>
            Filtres actifs. <Link to="/tableau-de-bord">Effacer les filtres</Link>
          </p>
        ) : null}
        <p className={fr.cx("fr-hint-text", "fr-mt-1w", "fr-mb-0")}>L'année porte sur la création de la convention ou sur son échéancier financier.</p>
      </Form>
      <InlineStyle css={`.paraphe-filtres{background:var(--background-alt-grey)}`} />

      {signataire ? (
        <section className={fr.cx("fr-mt-4w")} aria-labelledby="a-signer">
          <h2 id="a-signer" className={fr.cx("fr-h4")}>
            À signer ({d.waitingCount})
          </h2>
          {d.waitingCount === 0 ? (
            <p>Aucun document n'attend votre signature.</p>
          ) : (
            <>
              <WaitingTable rows={d.waiting} caption="Documents qui attendent votre signature ou votre visa, y compris par délégation" />
              {d.waitingCount > d.waiting.length ? (
                <p>
                  <Link to="/a-signer">Voir les {d.waitingCount} documents à signer</Link>
                </p>
              ) : null}
            </>
          )}
        </section>
      ) : null}
      <nav className={fr.cx("fr-mt-4w")} aria-label="Conventions par état">
        <ul className="paraphe-onglets">
          {TAB_ORDER.filter((t) => t !== "annulees" || d.counts.annulees > 0 || d.tab === "annulees").map((t) => (
            <li key={t}>
              <Link to={tabHref(t)} aria-current={t === d.tab ? "page" : undefined} className={t === d.tab ? "fr-tag paraphe-onglet-actif" : "fr-tag"}>
                {TAB_TITLES[t].title} ({d.counts[t]})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <InlineStyle css={`.paraphe-onglets{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}.paraphe-onglets li{padding:0}.paraphe-onglet-actif{background:var(--background-action-high-blue-france);color:var(--text-inverted-blue-france)}`} />
      <section className={fr.cx("fr-mt-2w")} aria-labelledby={d.tab}>
        <h2 id={d.tab} className={fr.cx("fr-h4")}>
          {active.title} ({d.counts[d.tab]})
        </h2>
        <ConventionRows rows={d.rows} caption={active.title} empty={d.filtering ? "Aucune convention ne correspond aux filtres." : active.empty} />
        <KeysetPager next={d.next} prev={d.prev} label={`Pages de la liste « ${active.title} »`} />
      </section>
    </Page>
  );
}
