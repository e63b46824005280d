import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { listConventionsOfOrganisation } from "~/models/conventions.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Conventions — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "redacteur");
  const rows = user.organisation_id ? await listConventionsOfOrganisation(context.db, user.organisation_id) : [];
  return { rows: rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() })) };
}

export default function Conventions() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <Page title="Conventions de mon organisation" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <div className="fr-table">
        <table>
          <caption>Conventions dont votre organisation est partie</caption>
          <thead>
            <tr>
              <th scope="col">Intitulé</th>
              <th scope="col">Délégant</th>
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
    </Page>
  );
}
