import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { KeysetPager } from "~/components/keyset-pager";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { STATUSES } from "~/domain/workflow";
import { countConventionsOfOrganisationByStatus, pageConventionsOfOrganisation } from "~/models/conventions.server";
import { readPageRequest } from "~/models/keyset.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Conventions — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "redacteur");
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const orgId = user.organisation_id;
  const empty = { rows: [], next: null, prev: null };
  // Two lists, each paginated on its own (cursors « b… » for drafts, « a… » for the others).
  const [drafts, others, byStatus] = orgId
    ? await Promise.all([
        pageConventionsOfOrganisation(context.db, orgId, { q, statuses: ["brouillon"] }, readPageRequest(params, 10, "b")),
        pageConventionsOfOrganisation(context.db, orgId, { q, statuses: OTHER_STATUSES }, readPageRequest(params, 25, "a")),
        countConventionsOfOrganisationByStatus(context.db, orgId, { q }),
      ])
    : [empty, empty, {} as Record<string, number>];
  const view = (rows: (typeof drafts)["rows"]) => rows.map((r) => ({ ...r, updated_at: new Date(r.updated_at).toISOString() }));
  const draftCount = byStatus.brouillon ?? 0;
  const otherCount = Object.entries(byStatus).reduce((n, [s, c]) => (s === "brouillon" ? n : n + c), 0);
  return {
    q,
    drafts: { rows: view(drafts.rows), next: drafts.next, prev: drafts.prev, count: draftCount },
    others: { rows: view(others.rows), next: others.next, prev: others.prev, count: otherCount },
  };
}

const OTHER_STATUSES = STATUSES.filter((s) => s !== "brouillon");

type Row = Awaited<ReturnType<typeof loader>>["drafts"]["rows"][number];

function ConventionTable({ caption, rows, empty }: { caption: string; rows: Row[]; empty: string }) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <div className={fr.cx("fr-table")}>
      <table>
        <caption className={fr.cx("fr-sr-only")}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Intitulé</th>
            <th scope="col">Délégant</th>
            <th scope="col">Rôle de mon organisation</th>
            <th scope="col">Statut</th>
            <th scope="col">Version</th>
            <th scope="col">Mise à jour</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/conventions/${r.id}`}>{r.title}</Link>
              </td>
              <td>{r.delegant_name}</td>
              <td>{r.my_role === "delegant" ? "Délégant" : "Délégataire"}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{r.version}</td>
              <td>{formatDateTime(r.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Conventions() {
  const { q, drafts, others } = useLoaderData<typeof loader>();
  return (
    <Page title="Conventions de mon organisation" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <Button iconId="fr-icon-add-line" iconPosition="left" linkProps={{ to: "/conventions/nouvelle" }} className={fr.cx("fr-mb-4w")}>
        Nouvelle convention
      </Button>{" "}
      <Button priority="secondary" iconId="fr-icon-upload-line" iconPosition="left" linkProps={{ to: "/conventions/importer" }} className={fr.cx("fr-mb-4w")}>
        Enregistrer une convention signée hors du portail
      </Button>
      <Form method="get" role="search" aria-label="Rechercher une convention" className={fr.cx("fr-mb-4w")}>
        <div className={fr.cx("fr-search-bar")}>
          <label className={fr.cx("fr-label")} htmlFor="conventions-q">
            Rechercher (intitulé, référence, partie)
          </label>
          <input className={fr.cx("fr-input")} type="search" id="conventions-q" name="q" defaultValue={q} placeholder="Rechercher (intitulé, référence, partie)" />
          <button type="submit" className={fr.cx("fr-btn")} title="Rechercher">
            Rechercher
          </button>
        </div>
      </Form>
      <h2 className={fr.cx("fr-h4")}>Brouillons ({drafts.count})</h2>
      <ConventionTable caption="Brouillons dont votre organisation est partie" rows={drafts.rows} empty={q ? "Aucun brouillon ne correspond à la recherche." : "Aucun brouillon pour l'instant."} />
      <KeysetPager next={drafts.next} prev={drafts.prev} prefix="b" label="Pages des brouillons" />
      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Autres conventions ({others.count})</h2>
      <ConventionTable
        caption="Conventions en signature, signées ou closes dont votre organisation est partie"
        rows={others.rows}
        empty={q ? "Aucune autre convention ne correspond à la recherche." : "Aucune autre convention."}
      />
      <KeysetPager next={others.next} prev={others.prev} prefix="a" label="Pages des autres conventions" />
    </Page>
  );
}
