import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { KeysetPager } from "~/components/keyset-pager";
import { formatDate, formatDateTime, Page } from "~/components/page";
import { actDesignation } from "~/domain/act-designation";
import { formatEuros } from "~/domain/convention";
import { readPageRequest } from "~/models/keyset.server";
import { acknowledgeReceivedAct, listReceivedActs, ReceivedActsError } from "~/services/list-received-acts.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Actes reçus — Paraphe" }];

const KIND_LABELS: Record<string, string> = {
  convention: "Convention de délégation de gestion",
  avenant: "Avenant",
  resiliation: "Notification de résiliation",
  compte_rendu: "Compte rendu d'exécution",
};

/** The service decides who may see what: its refusal becomes the HTTP answer. */
function asResponse(error: unknown): never {
  if (error instanceof ReceivedActsError) throw new Response(error.message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  throw error;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const list = await listReceivedActs(context.db, user, readPageRequest(new URL(request.url).searchParams)).catch(asResponse);
  return list;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  // Checked by the service, after whether the person receives acts at all (a malformed id is « not yours »).
  const id = String(form.get("transmissionId") ?? "").slice(0, 100);
  try {
    const meta = requestMeta(request, context);
    const result = await acknowledgeReceivedAct(context.db, { id: user.id, email: user.email, auth_method: user.auth_method, ip: meta.ip, userAgent: meta.userAgent }, id);
    return { ok: result.already ? "La réception de cet acte était déjà accusée." : "Réception accusée : les rédacteurs voient la date dans Paraphe.", id };
  } catch (error) {
    if (error instanceof ReceivedActsError && error.status === 404) return { error: error.message };
    return asResponse(error);
  }
}

export default function ReceivedActs() {
  const { rows, next, prev, directory } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page title="Actes reçus">
      <p>
        Les actes signés transmis à votre adresse au titre de l'annuaire des CBCM ({directory.join(", ")}), du plus récent au plus ancien. Téléchargez l'acte
        signé et son certificat de signature, puis accusez réception.
      </p>
      {result && "ok" in result ? <Alert severity="success" small description={result.ok} className={fr.cx("fr-mb-3w")} /> : null}
      {result && "error" in result ? <Alert severity="error" small description={result.error} className={fr.cx("fr-mb-3w")} /> : null}
      {rows.length === 0 ? (
        <p>Aucun acte ne vous a encore été transmis.</p>
      ) : (
        <ul className="paraphe-received">
          {rows.map((r) => (
            <li key={r.id} className={fr.cx("fr-card", "fr-mb-3w", "fr-p-3w")}>
              <h2 className={fr.cx("fr-h5", "fr-mb-1w")}>
                {actDesignation(KIND_LABELS[r.kind] ?? "Acte", r.title)}
              </h2>
              <p className={fr.cx("fr-mb-1w")}>
                {r.acknowledgedAt ? (
                  <Badge severity="success" small>
                    Réception accusée le {formatDateTime(r.acknowledgedAt)}
                  </Badge>
                ) : (
                  <Badge severity="warning" small>
                    Réception à accuser
                  </Badge>
                )}
              </p>
              <dl className="paraphe-dl">
                <dt className={fr.cx("fr-text--bold")}>Transmis le</dt>
                <dd>{formatDate(r.transmittedAt)}</dd>
                {r.reference ? (
                  <>
                    <dt className={fr.cx("fr-text--bold")}>Référence</dt>
                    <dd>{r.reference}</dd>
                  </>
                ) : null}
                <dt className={fr.cx("fr-text--bold")}>Délégant</dt>
                <dd>{r.delegant || "—"}</dd>
                <dt className={fr.cx("fr-text--bold")}>{r.delegataires.length > 1 ? "Délégataires" : "Délégataire"}</dt>
                <dd>{r.delegataires.join(" ; ") || "—"}</dd>
              </dl>
              {r.schedule.length ? (
                <div className={fr.cx("fr-table", "fr-table--no-caption", "fr-mb-1w")}>
                  <table>
                    <caption>Montants de « {r.title} »</caption>
                    <thead>
                      <tr>
                        <th scope="col">Année</th>
                        <th scope="col">AE</th>
                        <th scope="col">CP</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.schedule.map((e) => (
                        <tr key={e.annee}>
                          <th scope="row">{e.annee}</th>
                          <td>{formatEuros(e.ae)}</td>
                          <td>{formatEuros(e.cp)}</td>
                        </tr>
                      ))}
                      {r.schedule.length > 1 ? (
                        <tr>
                          <th scope="row">Total</th>
                          <td>{formatEuros(r.totals.ae)}</td>
                          <td>{formatEuros(r.totals.cp)}</td>
                        </tr>
                      ) : null}
                    </tbody>
                  </table>
                </div>
              ) : null}
              <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left", "fr-btns-group--sm")}>
                <li>
                  <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--sm", "fr-btn--icon-left", "fr-icon-download-line")} href={`/actes-recus/${r.id}/acte-signe.pdf`} download>
                    Acte signé<span className={fr.cx("fr-sr-only")}> : {r.title}</span>
                  </a>
                </li>
                <li>
                  <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--sm", "fr-btn--icon-left", "fr-icon-file-pdf-line")} href={`/actes-recus/${r.id}/certificat.pdf`} download>
                    Certificat de signature<span className={fr.cx("fr-sr-only")}> : {r.title}</span>
                  </a>
                </li>
                {r.acknowledgedAt ? null : (
                  <li>
                    <Form method="post">
                      <input type="hidden" name="transmissionId" value={r.id} />
                      <Button type="submit" size="small" iconId="fr-icon-check-line" iconPosition="left" disabled={busy}>
                        Accuser réception<span className={fr.cx("fr-sr-only")}> : {r.title}</span>
                      </Button>
                    </Form>
                  </li>
                )}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <KeysetPager next={next} prev={prev} label="Pages des actes reçus" />
    </Page>
  );
}
