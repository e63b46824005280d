import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { readSaved, savedNotice } from "~/domain/admin-notices";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Annuaire des CBCM — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  const cbcms = await context.db.selectFrom("cbcm").selectAll().orderBy("serves_premier_ministre", "desc").orderBy("name").execute();
  const just = readSaved(new URL(request.url).searchParams);
  const saved = just ? cbcms.find((c) => c.id === just.id) : undefined;
  return { cbcms, notice: saved ? savedNotice({ kind: "cbcm", name: saved.name, created: just!.created }) : null };
}

export default function CbcmDirectory() {
  const { cbcms, notice } = useLoaderData<typeof loader>();
  return (
    <Page title="Annuaire des CBCM" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      {notice ? <Alert severity="success" small description={notice} className="fr-mb-3w" /> : null}
      <p>
        Chaque acte signé est transmis au CBCM des services du Premier ministre et au CBCM du ministère du délégant (celui dont le
        « ministère couvert » est le ministère de rattachement de l'organisation déléguante).
      </p>
      <p>
        <Link className="fr-btn fr-icon-add-line fr-btn--icon-left" to="/admin/cbcm/nouveau">
          Ajouter un CBCM
        </Link>
      </p>
      <div className="fr-table">
        <table>
          {/* The page heading already names this list: the caption is for screen readers only. */}
          <caption className="fr-sr-only">Contrôleurs budgétaires et comptables ministériels</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Ministère couvert</th>
              <th scope="col">Adresses</th>
            </tr>
          </thead>
          <tbody>
            {cbcms.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/admin/cbcm/${c.id}`}>{c.name}</Link>
                </td>
                <td>{c.serves_premier_ministre ? "Services du Premier ministre" : c.ministry}</td>
                <td>{c.emails.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
