import { fr } from "@codegouvfr/react-dsfr";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { ROLE_LABELS } from "~/domain/roles";
import { listConventionsOfOrganisation } from "~/models/conventions.server";
import { getOrganisation } from "~/models/organisations.server";
import { requireUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const organisation = user.organisation_id ? await getOrganisation(context.db, user.organisation_id) : undefined;
  const conventions = user.organisation_id ? await listConventionsOfOrganisation(context.db, user.organisation_id) : [];
  return {
    user: { firstName: user.first_name, roles: user.roles },
    organisation: organisation?.name ?? null,
    conventions: conventions.map((c) => ({ ...c, updated_at: c.updated_at.toISOString() })),
  };
}

export default function Dashboard() {
  const { user, organisation, conventions } = useLoaderData<typeof loader>();
  const drafts = conventions.filter((c) => c.status === "brouillon");
  const signing = conventions.filter((c) => c.status === "en_signature");
  const done = conventions.filter((c) => !["brouillon", "en_signature"].includes(c.status));
  return (
    <Page title="Tableau de bord">
      <p className={fr.cx("fr-text--lead")}>
        Bonjour {user.firstName}. {organisation ? <>Vous agissez pour : {organisation}.</> : null}
      </p>
      <p>Vos rôles : {user.roles.map((r) => ROLE_LABELS[r]).join(", ")}.</p>
      {[
        { title: "Brouillons", rows: drafts },
        { title: "En cours de signature", rows: signing },
        { title: "Signées", rows: done },
      ].map((section) => (
        <section key={section.title} className={fr.cx("fr-mt-4w")}>
          <h2 className={fr.cx("fr-h4")}>
            {section.title} ({section.rows.length})
          </h2>
          {section.rows.length === 0 ? (
            <p>Aucune convention.</p>
          ) : (
            <div className={fr.cx("fr-table")}>
              <table>
                <caption className={fr.cx("fr-sr-only")}>{section.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">Convention</th>
                    <th scope="col">Délégant</th>
                    <th scope="col">Statut</th>
                    <th scope="col">Mise à jour</th>
                  </tr>
                </thead>
                <tbody>
                  {section.rows.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/conventions/${c.id}`}>{c.title}</Link>
                      </td>
                      <td>{c.delegant_name}</td>
                      <td>
                        <StatusBadge status={c.status} />
                      </td>
                      <td>{formatDateTime(c.updated_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </Page>
  );
}
