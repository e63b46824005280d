import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { listUploadJobs, SUPERSEDED, uploadUrl } from "~/services/upload-datagouv.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Données ouvertes et data.gouv.fr — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  const target = context.config.datagouv;
  const jobs = await listUploadJobs(context.db, 30);
  return {
    // The key is never shown: where the file goes and nothing more.
    target: target ? { url: uploadUrl(target), timeoutMs: target.timeoutMs } : null,
    jobs: jobs.map((j) => ({
      id: j.id,
      status: j.status === "sent" && j.last_error === SUPERSEDED ? "remplace" : j.status === "pending" && j.locked_until && new Date(j.locked_until) > new Date() ? "en_cours" : j.status,
      attempts: j.attempts,
      lastError: j.last_error === SUPERSEDED ? null : j.last_error,
      nextAttemptAt: new Date(j.next_attempt_at).toISOString(),
      sentAt: j.sent_at ? new Date(j.sent_at).toISOString() : null,
      createdAt: new Date(j.created_at).toISOString(),
      cause: j.body_text,
      result: j.status === "sent" && j.body_sha256 ? j.subject : null,
      sha256: j.body_sha256,
    })),
  };
}

const STATUS: Record<string, string> = {
  pending: "En attente (nouvel essai prévu)",
  en_cours: "Envoi en cours",
  sent: "Fichier remplacé",
  remplace: "Couvert par un envoi plus récent",
  failed: "Échec définitif",
};

export default function OpenDataAdmin() {
  const { target, jobs } = useLoaderData<typeof loader>();
  return (
    <Page title="Données ouvertes et data.gouv.fr" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <p>
        Les actes signés et publiables forment les données ouvertes : <a href="/donnees/conventions.csv">CSV</a>,{" "}
        <a href="/donnees/conventions.json">JSON</a>, <a href="/donnees/schema.json">schéma</a>. Après chaque acte signé, le fichier
        CSV de la ressource data.gouv.fr est remplacé par l'export du moment (file d'envoi du portail : nouveaux essais espacés, une
        alerte aux administrateurs après l'échec définitif).
      </p>
      {target ? (
        <p>
          Ressource : <code>{target.url}</code> (délai maximal d'une réponse : {target.timeoutMs / 1000} s)
        </p>
      ) : (
        <Alert
          severity="info"
          small
          className={fr.cx("fr-mb-3w")}
          description="data.gouv.fr n'est pas configuré (DATAGOUV_API_URL, DATAGOUV_API_KEY, DATAGOUV_DATASET_ID, DATAGOUV_RESOURCE_ID) : aucun envoi n'a lieu."
        />
      )}
      <div className={fr.cx("fr-table")}>
        <table>
          <caption>Derniers envois vers data.gouv.fr</caption>
          <thead>
            <tr>
              <th scope="col">Demandé le</th>
              <th scope="col">Cause</th>
              <th scope="col">État</th>
              <th scope="col">Tentatives</th>
              <th scope="col">Dernière erreur</th>
              <th scope="col">Résultat</th>
            </tr>
          </thead>
          <tbody>
            {jobs.length === 0 ? (
              <tr>
                <td colSpan={6}>Aucun envoi.</td>
              </tr>
            ) : (
              jobs.map((j) => (
                <tr key={j.id} data-status={j.status}>
                  <td>{formatDateTime(j.createdAt)}</td>
                  <td>{j.cause}</td>
                  <td>
                    {STATUS[j.status] ?? j.status}
                    {j.status === "pending" ? <div className={fr.cx("fr-text--xs")}>prochain essai : {formatDateTime(j.nextAttemptAt)}</div> : null}
                  </td>
                  <td>{j.attempts}</td>
                  <td>{j.lastError ?? "—"}</td>
                  <td>
                    {j.result ? (
                      <>
                        {j.result} le {formatDateTime(j.sentAt!)}
                        <div className={fr.cx("fr-text--xs")}>SHA-256 {j.sha256}</div>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
