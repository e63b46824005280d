import { fr } from "@codegouvfr/react-dsfr";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { listConventionVersions } from "~/models/convention-versions.server";
import { getConventionVisibleTo, UUID_RE } from "~/models/conventions.server";
import { requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Versions — ${data?.title ?? "Convention"} — Paraphe` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = params.id ?? "";
  const convention = UUID_RE.test(id) ? await getConventionVisibleTo(context.db, id, user.organisation_id) : undefined;
  if (!convention) throw new Response("Cette convention n'existe pas ou ne concerne pas votre organisation.", { status: 404 });
  const versions = await listConventionVersions(context.db, id);
  return {
    id,
    title: convention.title,
    current: convention.version,
    versions: versions.map((v) => ({ version: v.version, summary: v.summary, at: new Date(v.created_at).toISOString(), author: `${v.first_name} ${v.last_name}` })),
  };
}

export default function Versions() {
  const { id, title, current, versions } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Versions enregistrées"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: title, href: `/conventions/${id}` },
      ]}
    >
      <p className={fr.cx("fr-text--lead")}>{title}</p>
      <p>Chaque enregistrement du brouillon est conservé : qui, quand et ce qui a changé.</p>
      <div className={fr.cx("fr-table")}>
        <table>
          <caption>Versions de « {title} », de la plus récente à la plus ancienne</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Enregistrée le</th>
              <th scope="col">Par</th>
              <th scope="col">Modifications</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>
                  {v.version}
                  {v.version === current ? " (actuelle)" : ""}
                </td>
                <td>{formatDateTime(v.at)}</td>
                <td>{v.author}</td>
                <td>{v.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
