import { fr } from "@codegouvfr/react-dsfr";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { getConventionVisibleTo, listAuditEvents, listConventionParties, UUID_RE } from "~/models/conventions.server";
import { requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.convention.title ?? "Convention"} — Paraphe` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = params.id ?? "";
  // Same answer for "does not exist" and "not yours": existence is not disclosed.
  const convention = UUID_RE.test(id) ? await getConventionVisibleTo(context.db, id, user.organisation_id) : undefined;
  if (!convention) {
    console.warn(`[accès] ${user.email} a demandé la convention ${id}, refusée ou inexistante`);
    throw new Response("Cette convention n'existe pas ou ne concerne pas votre organisation.", { status: 404 });
  }
  const [parties, events] = await Promise.all([listConventionParties(context.db, id), listAuditEvents(context.db, id)]);
  return {
    convention: {
      id: convention.id,
      title: convention.title,
      reference: convention.reference,
      status: convention.status,
      version: convention.version,
      updatedAt: convention.updated_at.toISOString(),
    },
    parties,
    events: events.map((e) => ({ ...e, created_at: new Date(e.created_at).toISOString() })),
  };
}

export default function ConventionPage() {
  const { convention, parties, events } = useLoaderData<typeof loader>();
  return (
    <Page title={convention.title} trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <p>
        <StatusBadge status={convention.status} /> Version {convention.version}, mise à jour le {formatDateTime(convention.updatedAt)}
        {convention.reference ? <> — référence {convention.reference}</> : null}
      </p>
      <h2 className={fr.cx("fr-h4")}>Parties</h2>
      <ul>
        {parties.map((p) => (
          <li key={p.id}>
            {p.name} ({p.role === "delegant" ? "délégant" : "délégataire"})
          </li>
        ))}
      </ul>
      <h2 className={fr.cx("fr-h4")}>Historique</h2>
      {events.length === 0 ? (
        <p>Aucun évènement pour l'instant.</p>
      ) : (
        <ol>
          {events.map((e) => (
            <li key={e.id}>
              {formatDateTime(e.created_at)} — {e.type}
              {e.first_name ? ` par ${e.first_name} ${e.last_name}` : ""}
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
