import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
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
  const all = rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() }));
  return { drafts: all.filter((r) => r.status === "brouillon"), others: all.filter((r) => r.status !== "brouillon") };
}

type Row = Awaited<ReturnType<typeof loader>>["drafts"][number];

function ConventionTable({ caption, rows, empty }: { caption: string; rows: Row[]; empty: string }) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <div className={fr.cx("fr-table")}>
      <table>
        <caption>{caption}</caption>
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
  const { drafts, others } = useLoaderData<typeof loader>();
  return (
    <Page title="Conventions de mon organisation" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <Button iconId="fr-icon-add-line" iconPosition="left" linkProps={{ to: "/conventions/nouvelle" }} className={fr.cx("fr-mb-4w")}>
        Nouvelle convention
      </Button>
      <h2 className={fr.cx("fr-h4")}>Brouillons</h2>
      <ConventionTable caption="Brouillons dont votre organisation est partie" rows={drafts} empty="Aucun brouillon pour l'instant." />
      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Autres conventions</h2>
      <ConventionTable caption="Conventions en signature, signées ou closes dont votre organisation est partie" rows={others} empty="Aucune autre convention." />
    </Page>
  );
}
