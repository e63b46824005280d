import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { listOrganisations } from "~/models/organisations.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Organisations — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  return { organisations: await listOrganisations(context.db) };
}

export default function Organisations() {
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <Page title="Organisations" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <p>
        <Link className="fr-btn fr-icon-add-line fr-btn--icon-left" to="/admin/organisations/nouvelle">
          Ajouter une organisation
        </Link>
      </p>
      <div className="fr-table">
        <table>
          <caption>Organisations inscrites</caption>
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
    </Page>
  );
}
