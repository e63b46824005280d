import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { requestMeta } from "~/session.server";
import { acknowledgeReceipt, findReceipt, UnknownReceiptError } from "~/services/acknowledge-receipt.server";

export const meta: MetaFunction = () => [{ title: "Accusé de réception — Paraphe" }];

// A page with a button, not a GET that records: mail scanners open links on their own.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const receipt = await findReceipt(context.db, params.token ?? "");
  if (!receipt) throw new Response("Ce lien d'accusé de réception n'est pas reconnu. Vérifiez qu'il est complet.", { status: 404 });
  return {
    title: receipt.title,
    reference: receipt.reference,
    recipient: receipt.recipient_name,
    email: receipt.recipient_email,
    acknowledgedAt: receipt.acknowledged_at ? new Date(receipt.acknowledged_at).toISOString() : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  try {
    const result = await acknowledgeReceipt(context.db, params.token ?? "", requestMeta(request, context));
    return { acknowledgedAt: result.acknowledgedAt.toISOString(), already: result.already };
  } catch (error) {
    if (error instanceof UnknownReceiptError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export default function AcknowledgeReceipt() {
  const receipt = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const acknowledgedAt = done?.acknowledgedAt ?? receipt.acknowledgedAt;
  return (
    <Page title="Accusé de réception">
      <p>
        Acte transmis : <strong>{receipt.title}</strong>
        {receipt.reference ? ` (référence ${receipt.reference})` : ""}.
      </p>
      <p>
        Destinataire : {receipt.recipient} ({receipt.email}).
      </p>
      {acknowledgedAt ? (
        <Alert severity="success" title="Réception confirmée" description={`La réception a été enregistrée le ${formatDateTime(acknowledgedAt)}. Merci.`} />
      ) : (
        <Form method="post">
          <p>En confirmant, vous attestez avoir reçu cet acte et ses pièces jointes. Aucun compte n'est nécessaire.</p>
          <Button type="submit">Accuser réception</Button>
        </Form>
      )}
    </Page>
  );
}
