import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { listConventionsOfOrganisation } from "~/models/conventions.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "À signer — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "signataire");
  const rows = user.organisation_id
    ? await listConventionsOfOrganisation(context.db, user.organisation_id, { statuses: ["en_signature"] })
    : [];
  return { rows: rows.map((r) => ({ id: r.id, title: r.title, status: r.status, delegant: r.delegant_name })) };
}

export default function ToSign() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <Page title="À signer" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      {rows.length === 0 ? (
        <p>Aucun document en cours de signature pour votre organisation.</p>
      ) : (
        <ul>
          {rows.map((r) => (
            <li key={r.id}>
              <Link to={`/conventions/${r.id}`}>{r.title}</Link> — {r.delegant} <StatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
