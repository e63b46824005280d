import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { readSaved, savedNotice } from "~/domain/admin-notices";
import { ROLE_LABELS } from "~/domain/roles";
import { KeysetPager } from "~/components/keyset-pager";
import { ListSearch } from "~/components/list-search";
import { readPageRequest } from "~/models/keyset.server";
import { getPerson, pagePeople } from "~/models/people.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Personnes — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const page = await pagePeople(context.db, q, readPageRequest(params, 50));
  const just = readSaved(params);
  const saved = just ? await getPerson(context.db, just.id) : undefined;
  return {
    q,
    notice: saved ? savedNotice({ kind: "personne", name: `${saved.first_name} ${saved.last_name}`, email: saved.email, active: saved.active, created: just!.created }) : null,
    next: page.next,
    prev: page.prev,
    people: page.rows.map((p) => ({
      id: p.id,
      name: `${p.first_name} ${p.last_name}`,
      email: p.email,
      organisation: p.organisation_name,
      roles: p.roles,
      active: p.active,
    })),
  };
}

export default function People() {
  const { q, people, next, prev, notice } = useLoaderData<typeof loader>();
  return (
    <Page title="Personnes" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      {notice ? <Alert severity="success" small description={notice} className="fr-mb-3w" /> : null}
      <p>
        <Link className="fr-btn fr-icon-add-line fr-btn--icon-left" to="/admin/personnes/nouvelle">
          Ajouter une personne
        </Link>
      </p>
      <ListSearch id="personnes-q" label="Rechercher une personne (nom, adresse, organisation)" q={q} />
      {people.length === 0 ? <p>Aucune personne ne correspond à la recherche.</p> : null}
      <div className="fr-table">
        <table>
          {/* The page heading already names this list: the caption is for screen readers only. */}
          <caption className="fr-sr-only">Personnes ayant accès à Paraphe</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Adresse électronique</th>
              <th scope="col">Organisation</th>
              <th scope="col">Rôles</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/admin/personnes/${p.id}`}>{p.name}</Link>
                </td>
                <td>{p.email}</td>
                <td>{p.organisation ?? "—"}</td>
                <td>{p.roles.map((r) => ROLE_LABELS[r]).join(", ")}</td>
                <td>{p.active ? "Actif" : "Désactivé"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <KeysetPager next={next} prev={prev} label="Pages des personnes" />
    </Page>
  );
}
