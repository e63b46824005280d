import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { deliverCapturedMailNow } from "~/email/dispatcher.server";
import { listCapturedMessages } from "~/email/outbox.server";
import { requireDevMailbox } from "~/http/dev-mailbox.server";

export const meta: MetaFunction = () => [{ title: "Boîte mail de développement — Paraphe" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireDevMailbox(context);
  await deliverCapturedMailNow(context.db, context.config);
  const messages = await listCapturedMessages(context.db);
  return { messages: messages.map((m) => ({ ...m, created_at: m.created_at.toISOString() })) };
}

export default function DevMailbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <Page title="Boîte mail de développement">
      <p>
        Aucun serveur SMTP n'est configuré : les e-mails du portail sont conservés ici au lieu d'être envoyés. Cette page n'existe
        pas lorsque <code>SMTP_URL</code> est défini.
      </p>
      {messages.length === 0 ? (
        <p>Aucun e-mail pour l'instant.</p>
      ) : (
        <div className="fr-table">
          <table>
            <caption>E-mails capturés, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Destinataire</th>
                <th scope="col">Objet</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.created_at)}</td>
                  <td>{m.to_address}</td>
                  <td>
                    <Link to={`/dev/boite-mail/${m.id}`}>{m.subject}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
