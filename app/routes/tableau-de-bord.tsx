import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { WaitingTable } from "~/components/circuit-lists";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { ROLE_LABELS } from "~/domain/roles";
import { isStatus, STATUS_LABELS, STATUSES } from "~/domain/workflow";
import { getOrganisation } from "~/models/organisations.server";
import { dashboardConventions, waitingFor } from "~/services/circuit-view.server";
import { requireUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Paraphe" }];

const SIGNED = ["signee", "en_vigueur", "expiree", "resiliation_notifiee", "resiliee"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
  const statut = url.searchParams.get("statut") ?? "";
  const partie = url.searchParams.get("partie") ?? "";
  const annee = url.searchParams.get("annee") ?? "";
  const [organisation, all, waiting] = await Promise.all([
    user.organisation_id ? getOrganisation(context.db, user.organisation_id) : undefined,
    user.organisation_id ? dashboardConventions(context.db, user.organisation_id) : [],
    user.roles.includes("signataire") ? waitingFor(context.db, user.id) : [],
  ]);
  // Filter choices come from what the person may see: parties and years present in their list.
  const partyChoices = new Map<string, string>();
  const yearChoices = new Set<number>();
  for (const c of all) {
    for (const p of c.parties) partyChoices.set(p.id, p.name);
    for (const y of c.years) yearChoices.add(y);
  }
  const needle = q.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const filtered = all.filter(
    (c) =>
      (!needle || c.title.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().includes(needle)) &&
      (!statut || !isStatus(statut) || c.status === statut) &&
      (!partie || c.parties.some((p) => p.id === partie)) &&
      (!annee || c.years.includes(Number(annee))),
  );
  const visible = new Set(filtered.map((c) => c.id));
  const filtering = Boolean(q || statut || partie || annee);
  return {
    user: { firstName: user.first_name, roles: user.roles },
    organisation: organisation?.name ?? null,
    filters: { q, statut, partie, annee },
    filtering,
    total: all.length,
    partyChoices: [...partyChoices].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, "fr")),
    yearChoices: [...yearChoices].sort((a, b) => b - a),
    waiting: waiting.filter((w) => !filtering || visible.has(w.conventionId)),
    signing: filtered.filter((c) => c.status === "en_signature"),
    signed: filtered.filter((c) => SIGNED.includes(c.status)),
    drafts: filtered.filter((c) => c.status === "brouillon"),
    cancelled: filtered.filter((c) => c.status === "annulee"),
  };
}

type Row = Awaited<ReturnType<typeof loader>>["drafts"][number];

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
  const sections = [
    { id: "en-cours", title: "En cours", rows: d.signing, empty: "Aucune convention en cours de signature." },
    { id: "signees", title: "Signées", rows: d.signed, empty: "Aucune convention signée." },
    { id: "brouillons", title: "Brouillons", rows: d.drafts, empty: "Aucun brouillon." },
    ...(d.cancelled.length ? [{ id: "annulees", title: "Annulées", rows: d.cancelled, empty: "" }] : []),
  ];
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
      <style>{`.paraphe-filtres{background:var(--background-alt-grey)}`}</style>

      {signataire ? (
        <section className={fr.cx("fr-mt-4w")} aria-labelledby="a-signer">
          <h2 id="a-signer" className={fr.cx("fr-h4")}>
            À signer ({d.waiting.length})
          </h2>
          {d.waiting.length === 0 ? (
            <p>Aucun document n'attend votre signature.</p>
          ) : (
            <WaitingTable rows={d.waiting} caption="Documents qui attendent votre signature ou votre visa, y compris par délégation" />
          )}
        </section>
      ) : null}
      {sections.map((section) => (
        <section key={section.id} className={fr.cx("fr-mt-4w")} aria-labelledby={section.id}>
          <h2 id={section.id} className={fr.cx("fr-h4")}>
            {section.title} ({section.rows.length})
          </h2>
          <ConventionRows rows={section.rows} caption={section.title} empty={d.filtering ? "Aucune convention ne correspond aux filtres." : section.empty} />
        </section>
      ))}
    </Page>
  );
}
