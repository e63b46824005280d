import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { readSaved, savedNotice } from "~/domain/admin-notices";
import { getOrganisation } from "~/models/organisations.server";
import { KeysetPager } from "~/components/keyset-pager";
import { ListSearch } from "~/components/list-search";
import { readPageRequest } from "~/models/keyset.server";
import { pageOrganisations } from "~/models/organisations.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Organisations — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const page = await pageOrganisations(context.db, q, readPageRequest(params, 50));
  const just = readSaved(params);
  const saved = just ? await getOrganisation(context.db, just.id) : undefined;
  return { q, organisations: page.rows, next: page.next, prev: page.prev, notice: saved ? savedNotice({ kind: "organisation", name: saved.name, created: just!.created }) : null };
}

export default function Organisations() {
  const { q, organisations, next, prev, notice } = useLoaderData<typeof loader>();
  return (
    <Page title="Organisations" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      {notice ? <Alert severity="success" small description={notice} className="fr-mb-3w" /> : null}
      <p>
        <Link className="fr-btn fr-icon-add-line fr-btn--icon-left" to="/admin/organisations/nouvelle">
          Ajouter une organisation
        </Link>
      </p>
      <ListSearch id="organisations-q" label="Rechercher une organisation (nom, sigle, ministère)" q={q} />
      {organisations.length === 0 ? <p>Aucune organisation ne correspond à la recherche.</p> : null}
      <div className="fr-table">
        <table>
          {/* The page heading already names this list: the caption is for screen readers only. */}
          <caption className="fr-sr-only">Organisations inscrites</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Sigle</th>
              <th scope="col">Ministère</th>
            </tr>
          </thead>
          <tbody>
            {organisations.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/admin/organisations/${o.id}`}>{o.name}</Link>
                </td>
                <td>{o.short_name}</td>
                <td>{o.ministry}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <KeysetPager next={next} prev={prev} label="Pages des organisations" />
    </Page>
  );
}
