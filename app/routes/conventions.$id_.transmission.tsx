import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { TransmissionBadge } from "~/components/status-badge";
import { listTransmissions, recipientsFor } from "~/models/transmissions.server";
import { uncoveredMessage, uncoveredMinistry } from "~/models/cbcm-coverage.server";
import { addRecipient, removeRecipient } from "~/services/add-recipient.server";
import { CircuitError } from "~/services/circuit-shared.server";
import { requireConventionAccess, type ConventionNeed } from "~/services/convention-access.server";
import { resendTransmission } from "~/services/resend-transmission.server";
import { requestMeta, requireUser } from "~/session.server";
import { parseId } from "~/domain/ids";
import { avecArticle, de } from "~/domain/elision";

export const meta: MetaFunction = () => [{ title: "Transmission — Paraphe" }];

const KIND_LABELS = { cbcm: "CBCM", destinataire: "Destinataire ajouté", partie: "Exemplaire d'une partie" } as const;

async function load(request: Request, context: LoaderFunctionArgs["context"], id: string, need: ConventionNeed) {
  const user = await requireUser(request, context);
  return { user, convention: await requireConventionAccess(context.db, user, id, need) };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, convention } = await load(request, context, params.id ?? "", "read");
  const [recipients, transmissions, extra, ministry] = await Promise.all([
    recipientsFor(context.db, convention.id),
    listTransmissions(context.db, convention.id),
    context.db.selectFrom("extra_recipients").select(["id", "email", "name", "for_cbcm"]).where("convention_id", "=", convention.id).orderBy("created_at").execute(),
    uncoveredMinistry(context.db, convention.id),
  ]);
  return {
    convention: { id: convention.id, title: convention.title, status: convention.status },
    canEdit: user.roles.includes("redacteur") || user.roles.includes("administrateur"),
    open: ["brouillon", "en_signature"].includes(convention.status),
    recipients,
    extra,
    // The délégant's ministry has no CBCM in the directory (and none added for that role).
    noCbcm: ministry ? uncoveredMessage(ministry) : null,
    ministry,
    transmissions: transmissions.map((t) => ({
      ...t,
      sent_at: t.sent_at ? new Date(t.sent_at).toISOString() : null,
      acknowledged_at: t.acknowledged_at ? new Date(t.acknowledged_at).toISOString() : null,
      created_at: new Date(t.created_at).toISOString(),
    })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, convention } = await load(request, context, params.id ?? "", "transmit");
  const form = await request.formData();
  const actor = { id: user.id, authMethod: user.auth_method, ...requestMeta(request, context) };
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "ajouter") {
      await addRecipient(context.db, actor, convention.id, { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), forCbcm: form.get("forCbcm") === "on" });
      return { ok: "Destinataire ajouté." };
    }
    if (intent === "retirer") {
      const recipientId = parseId(form.get("recipientId"));
      if (!recipientId) return { error: "Ce destinataire n'existe pas ou a déjà été retiré." };
      await removeRecipient(context.db, actor, convention.id, recipientId);
      return { ok: "Destinataire retiré." };
    }
    if (intent === "renvoyer") {
      const transmissionId = parseId(form.get("transmissionId"));
      if (!transmissionId) return { error: "Transmission introuvable." };
      await resendTransmission(context.db, actor, convention.id, transmissionId, context.config);
      return { ok: "Le message est reparti : son statut se met à jour dès la réponse du serveur de messagerie." };
    }
    return { error: "Action inconnue." };
  } catch (error) {
    if (error instanceof CircuitError) return { error: error.message };
    throw error;
  }
}

export default function Transmission() {
  const { convention, canEdit, open, recipients, extra, transmissions, noCbcm, ministry } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page
      title="Transmission de l'acte signé"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: convention.title, href: `/conventions/${convention.id}` },
      ]}
    >
      {noCbcm && open ? (
        <Alert
          severity="warning"
          title={noCbcm}
          description={
            canEdit
              ? "Le circuit ne pourra pas être lancé tant qu'un administrateur n'aura pas ajouté ce CBCM à l'annuaire, ou que vous n'aurez pas ajouté ci-dessous un destinataire pour ce rôle."
              : "Le circuit ne pourra pas être lancé tant que ce CBCM n'est pas enregistré ou qu'un destinataire n'est pas ajouté pour ce rôle."
          }
          className="fr-mb-3w"
        />
      ) : null}
      {result && "ok" in result ? <Alert severity="success" small description={result.ok} className="fr-mb-3w" /> : null}
      {result && "error" in result ? <Alert severity="error" small description={result.error} className="fr-mb-3w" /> : null}
      {transmissions.length ? (
        <div className="fr-table">
          <table>
            {/* The page heading already names this list: the caption is for screen readers only. */}
            <caption className="fr-sr-only">Envois de l'acte signé, par destinataire</caption>
            <thead>
              <tr>
                <th scope="col">Destinataire</th>
                <th scope="col">Qualité</th>
                <th scope="col">Statut</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {transmissions.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.recipient_name}
                    <br />
                    <span className="fr-text--xs">{t.recipient_email}</span>
                  </td>
                  <td>{KIND_LABELS[t.recipient_kind]}</td>
                  <td>
                    <TransmissionBadge t={t} />
                  </td>
                  <td>
                    {canEdit && t.status !== "pending" ? (
                      <Form method="post">
                        <input type="hidden" name="transmissionId" value={t.id} />
                        <Button type="submit" value="renvoyer" nativeButtonProps={{ name: "intent" }} priority={t.status === "failed" ? "primary" : "tertiary"} size="small">
                          Renvoyer
                        </Button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <>
          <p>
            Dès la dernière signature, Paraphe envoie l'acte signé et son certificat de signature à ces destinataires, chacun une seule
            fois, et suit la délivrance de chaque message.
          </p>
          <ul>
            {recipients.map((r) => (
              <li key={r.email}>
                {r.name} — {r.email} ({KIND_LABELS[r.kind]})
              </li>
            ))}
          </ul>
        </>
      )}
      {canEdit && open ? (
        <section className="fr-mt-4w">
          <h2 className="fr-h4">Destinataires ajoutés</h2>
          {extra.length ? (
            <ul>
              {extra.map((r) => (
                <li key={r.id}>
                  <Form method="post" className="fr-grid-row fr-grid-row--middle">
                    {r.name} — {r.email}
                    {r.for_cbcm ? <Badge small severity="info" className="fr-ml-1w">CBCM du ministère</Badge> : null}
                    <input type="hidden" name="recipientId" value={r.id} />
                    <Button type="submit" value="retirer" nativeButtonProps={{ name: "intent" }} priority="tertiary no outline" size="small" className="fr-ml-2w">
                      Retirer {r.email}
                    </Button>
                  </Form>
                </li>
              ))}
            </ul>
          ) : (
            <p>Aucun destinataire ajouté.</p>
          )}
          <Form method="post" noValidate className="fr-col-md-8">
            <Input label="Nom ou service" nativeInputProps={{ name: "name", required: true }} />
            <Input label="Adresse électronique du destinataire" nativeInputProps={{ name: "email", type: "email", required: true }} />
            {ministry ? (
              <Checkbox
                options={[
                  {
                    label: `Ce destinataire reçoit l'acte en tant que CBCM ${de(avecArticle(ministry))}`,
                    hintText: "Cochez si aucun CBCM n'est enregistré pour ce ministère : l'acte lui sera transmis à ce titre.",
                    nativeInputProps: { name: "forCbcm" },
                  },
                ]}
              />
            ) : null}
            <Button type="submit" value="ajouter" nativeButtonProps={{ name: "intent" }}>
              Ajouter ce destinataire
            </Button>
          </Form>
        </section>
      ) : null}
    </Page>
  );
}
