import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import type { ActionFunctionArgs, HeadersFunction, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { de } from "~/domain/elision";
import { STATUS_LABELS, isStatus } from "~/domain/workflow";
import type { VerificationReport } from "~/pdf/verification/verify";
import { MAX_UPLOAD_MB } from "~/pdf/verification/verify-limits";
import { verifyUploadRequest, type VerdictSummary } from "~/services/verify-upload.server";

export const meta: MetaFunction = () => [{ title: "Vérifier un document — Paraphe" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const result = await verifyUploadRequest(request, context);
  const headers: Record<string, string> = {};
  if ("retryAfterSeconds" in result && result.retryAfterSeconds) headers["Retry-After"] = String(result.retryAfterSeconds);
  return json(result, { status: result.status, headers });
}

// A document request takes its headers from here, not from the action's response.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

const ACT_KIND: Record<string, string> = { convention: "Convention", avenant: "Avenant", resiliation: "Notification de résiliation" };

const names = (list: string[]) => (list.length <= 1 ? list.join("") : `${list.slice(0, -1).join(", ")} et ${list[list.length - 1]}`);

/** The plain-French verdict, first on the page; the checks follow under « Détails techniques ». */
function Verdict({ summary }: { summary: VerdictSummary }) {
  switch (summary.kind) {
    case "intact":
      return (
        <Alert
          severity="success"
          title="Document valide"
          description={`Document intact, signé par ${names(summary.signers.map((s) => (s.at ? `${s.name} le ${formatDateTime(s.at)}` : s.name)))}.`}
        />
      );
    case "modified":
      return <Alert severity="error" title="Document NON VALIDE" description={`Document modifié après la signature ${de(names(summary.after))}.`} />;
    case "appended":
      return <Alert severity="error" title="Document NON VALIDE" description="Des données ont été ajoutées après la dernière signature." />;
    case "foreign":
      return (
        <Alert
          severity="error"
          title="Document NON VALIDE"
          description="Ce document n'a pas été produit par Paraphe : aucune de ses signatures ne provient de l'autorité de certification du portail."
        />
      );
    case "unsigned":
      return <Alert severity="warning" title="Aucune signature" description="Ce PDF ne contient aucune signature électronique. Ce document n'a pas été produit par Paraphe." />;
    case "unreadable":
      return <Alert severity="error" title="Document NON VALIDE" description={`Le document n'a pas pu être analysé : ${summary.reason}.`} />;
    case "invalid":
      return (
        <Alert
          severity="error"
          title="Document NON VALIDE"
          description="Au moins une vérification a échoué (voir les détails techniques) : ce document ne doit pas être considéré comme signé."
        />
      );
  }
}

function Checks({ checks }: { checks: VerificationReport["documentChecks"] }) {
  return (
    <ul>
      {checks.map((c) => (
        <li key={c.id}>
          {c.ok ? "✓" : "✗"} {c.label}
          {c.detail && !c.ok ? ` : ${c.detail}` : ""}
        </li>
      ))}
    </ul>
  );
}

export default function Verify() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  // Refusals about the file go with the field; the service's answers (busy, too long) stand alone.
  const fieldError = result && "error" in result && [400, 413, 415].includes(result.status) ? result.error : undefined;
  const serviceError = result && "error" in result && !fieldError ? result : undefined;
  return (
    <Page title="Vérifier un document">
      <p>
        Déposez un PDF signé pour contrôler ses signatures électroniques : intégrité, identité des signataires, horodatage et chaîne de
        confiance. Le fichier n'est pas conservé.
      </p>
      <Form method="post" encType="multipart/form-data" className="fr-mb-4w">
        <Upload
          label="Document PDF"
          hint={`Format PDF, ${MAX_UPLOAD_MB} Mo au maximum.`}
          state={fieldError ? "error" : "default"}
          stateRelatedMessage={fieldError}
          nativeInputProps={{ name: "document", accept: "application/pdf,.pdf", required: true }}
        />
        <Button type="submit" className="fr-mt-2w" disabled={busy}>
          Vérifier
        </Button>
      </Form>
      {serviceError ? (
        <Alert
          severity={serviceError.status === 422 ? "error" : "warning"}
          title={serviceError.status === 422 ? "Vérification interrompue" : "Vérification impossible pour le moment"}
          description={serviceError.error}
          className="fr-mb-4w"
        />
      ) : null}
      {result && "report" in result ? (
        <section aria-labelledby="resultat">
          <h2 id="resultat">Résultat pour « {result.fileName} »</h2>
          <Verdict summary={result.summary} />
          {result.act ? (
            <p className="fr-mt-2w">
              {result.act.exact ? "Ce document est" : result.act.bySignature ? "Ce document porte les signatures de" : "Ce document contient une version de"} :{" "}
              {ACT_KIND[result.act.kind] ?? "Acte"} « {result.act.title} »
              {result.act.reference ? ` (référence ${result.act.reference})` : ""}, statut actuel dans Paraphe :{" "}
              <strong>{isStatus(result.act.status) ? STATUS_LABELS[result.act.status] : result.act.status}</strong>.
            </p>
          ) : (
            <p className="fr-mt-2w">Ce document ne correspond à aucun acte enregistré dans ce portail Paraphe.</p>
          )}
          {result.report.signatures.map((s) => (
            <div key={s.index} className="fr-card fr-card--no-arrow fr-mb-2w">
              <div className="fr-card__body">
                <div className="fr-card__content">
                  <h3 className="fr-card__title">
                    {s.kind === "document-timestamp" ? "Horodatage du document" : `Signature ${s.index} : ${s.signer?.commonName ?? "signataire inconnu"}`}
                    {" — "}
                    {s.valid ? "valide" : "NON VALIDE"}
                  </h3>
                  <div className="fr-card__desc">
                    <ul>
                      {s.signer?.organisation ? <li>Organisation : {s.signer.organisation}</li> : null}
                      {s.signer?.email ? <li>Adresse : {s.signer.email}</li> : null}
                      {s.claimedTime ? <li>Heure déclarée : {formatDateTime(s.claimedTime)}</li> : null}
                      {s.timestampTime ? <li>Horodatage : {formatDateTime(s.timestampTime)}{s.timestampAuthority ? ` (${s.timestampAuthority})` : ""}</li> : null}
                      {s.level ? <li>Niveau : PAdES {s.level}</li> : null}
                      <li>{s.coversWholeDocument ? "Couvre l'ensemble du document" : "Couvre une version antérieure du document"}</li>
                    </ul>
                  </div>
                </div>
              </div>
            </div>
          ))}
          <Accordion label="Détails techniques" className="fr-mt-2w">
            <p className="fr-text--sm">
              Taille : {result.report.size.toLocaleString("fr-FR")} octets — empreinte SHA-256 : <code>{result.report.sha256}</code>
            </p>
            <h3 className="fr-h6">Document</h3>
            <Checks checks={result.report.documentChecks} />
            {result.report.signatures.map((s) => (
              <div key={s.index}>
                <h3 className="fr-h6">
                  {s.kind === "document-timestamp" ? `Horodatage du document (${s.fieldName})` : `Signature ${s.index} (${s.fieldName})`}
                </h3>
                <Checks checks={s.checks} />
              </div>
            ))}
          </Accordion>
        </section>
      ) : null}
    </Page>
  );
}
