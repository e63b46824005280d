import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { KeysetPager } from "~/components/keyset-pager";
import { countUnreadAlerts, pageAlerts } from "~/models/alerts.server";
import { readPageRequest } from "~/models/keyset.server";
import { pageUnacknowledged } from "~/models/transmissions.server";
import { requireUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Alertes — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const params = new URL(request.url).searchParams;
  const days = context.config.transmission.ackReminderDays;
  const redacteur = Boolean(user.organisation_id && user.roles.includes("redacteur"));
  // Two lists, each paginated on its own (cursors « apres/avant » and « t-apres/t-avant »).
  const [alerts, unread, waiting] = await Promise.all([
    pageAlerts(context.db, user.id, readPageRequest(params, 50)),
    countUnreadAlerts(context.db, user.id),
    redacteur ? pageUnacknowledged(context.db, user.organisation_id!, days, readPageRequest(params, 50, "t-")) : Promise.resolve({ rows: [], next: null, prev: null }),
  ]);
  return {
    days,
    unread,
    alerts: { rows: alerts.rows.map((a) => ({ ...a, created_at: new Date(a.created_at).toISOString() })), next: alerts.next, prev: alerts.prev },
    waiting: { rows: waiting.rows.map((w) => ({ ...w, sent_at: w.sent_at ? new Date(w.sent_at).toISOString() : null })), next: waiting.next, prev: waiting.prev },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await context.db.updateTable("alerts").set({ read_at: new Date() }).where("person_id", "=", user.id).where("read_at", "is", null).execute();
  return { ok: true };
}

export default function Alerts() {
  const { alerts, waiting, days, unread } = useLoaderData<typeof loader>();
  return (
    <Page title="Alertes" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      {alerts.rows.length === 0 ? <p>Aucune alerte.</p> : null}
      {unread ? (
        <Form method="post" className="fr-mb-2w">
          <Button type="submit" priority="secondary" size="small">
            Marquer les {unread} alerte(s) comme lues
          </Button>
        </Form>
      ) : null}
      <ul>
        {alerts.rows.map((a) => (
          <li key={a.id}>
            {a.read_at ? "" : <strong>Nouveau — </strong>}
            {formatDateTime(a.created_at)} : {a.message}
            {a.convention_id ? (
              <>
                {" "}
                {/* An alert about a transmission opens the transmission page; any other (a refusal, a change of status) the act itself. */}
                {/transmission/i.test(a.message) ? (
                  <Link to={`/conventions/${a.convention_id}/transmission`}>Voir la transmission</Link>
                ) : (
                  <Link to={`/conventions/${a.convention_id}`}>Ouvrir la convention</Link>
                )}
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <KeysetPager next={alerts.next} prev={alerts.prev} label="Pages des alertes" />
      <h2 className="fr-h4 fr-mt-4w">Transmissions sans accusé de réception depuis plus de {days} jours</h2>
      {waiting.rows.length === 0 ? (
        <p>Aucune.</p>
      ) : (
        <ul>
          {waiting.rows.map((w) => (
            <li key={w.id}>
              <Link to={`/conventions/${w.convention_id}/transmission`}>{w.title}</Link> — {w.recipient_name} ({w.recipient_email}), envoyé le{" "}
              {w.sent_at ? formatDateTime(w.sent_at) : "—"}
            </li>
          ))}
        </ul>
      )}
      <KeysetPager next={waiting.next} prev={waiting.prev} prefix="t-" label="Pages des transmissions sans accusé de réception" />
    </Page>
  );
}
