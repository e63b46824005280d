import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { unacknowledged } from "~/models/transmissions.server";
import { requireUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Alertes — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const alerts = await context.db
    .selectFrom("alerts")
    .leftJoin("conventions", "conventions.id", "alerts.convention_id")
    .select(["alerts.id", "alerts.message", "alerts.created_at", "alerts.read_at", "alerts.convention_id", "conventions.title"])
    .where("alerts.person_id", "=", user.id)
    .orderBy("alerts.created_at", "desc")
    .limit(100)
    .execute();
  const waiting = user.organisation_id && user.roles.includes("redacteur") ? await unacknowledged(context.db, user.organisation_id, context.config.transmission.ackReminderDays) : [];
  return {
    days: context.config.transmission.ackReminderDays,
    alerts: alerts.map((a) => ({ ...a, created_at: new Date(a.created_at).toISOString() })),
    waiting: waiting.map((w) => ({ ...w, sent_at: w.sent_at ? new Date(w.sent_at).toISOString() : null })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await context.db.updateTable("alerts").set({ read_at: new Date() }).where("person_id", "=", user.id).where("read_at", "is", null).execute();
  return { ok: true };
}

export default function Alerts() {
  const { alerts, waiting, days } = useLoaderData<typeof loader>();
  const unread = alerts.filter((a) => !a.read_at).length;
  return (
    <Page title="Alertes" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      {alerts.length === 0 ? <p>Aucune alerte.</p> : null}
      {unread ? (
        <Form method="post" className="fr-mb-2w">
          <Button type="submit" priority="secondary" size="small">
            Marquer les {unread} alerte(s) comme lues
          </Button>
        </Form>
      ) : null}
      <ul>
        {alerts.map((a) => (
          <li key={a.id}>
            {a.read_at ? "" : <strong>Nouveau — </strong>}
            {formatDateTime(a.created_at)} : {a.message}
            {a.convention_id ? (
              <>
                {" "}
                <Link to={`/conventions/${a.convention_id}/transmission`}>Voir la transmission</Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <h2 className="fr-h4 fr-mt-4w">Transmissions sans accusé de réception depuis plus de {days} jours</h2>
      {waiting.length === 0 ? (
        <p>Aucune.</p>
      ) : (
        <ul>
          {waiting.map((w) => (
            <li key={w.id}>
              <Link to={`/conventions/${w.convention_id}/transmission`}>{w.title}</Link> — {w.recipient_name} ({w.recipient_email}), envoyé le{" "}
              {w.sent_at ? formatDateTime(w.sent_at) : "—"}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
