import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, MaxPartSizeExceededError } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { STATUS_LABELS, isStatus } from "~/domain/workflow";
import type { VerificationReport } from "~/pdf/verify";
import { verifyUpload } from "~/services/verify-upload.server";

export const meta: MetaFunction = () => [{ title: "Vérifier un document — Paraphe" }];

const MAX_MB = 20;

export async function action({ request, context }: ActionFunctionArgs) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > (MAX_MB + 1) * 1024 * 1024) return { error: `Le fichier dépasse ${MAX_MB} Mo.` };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_MB * 1024 * 1024 }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { error: `Le fichier dépasse ${MAX_MB} Mo.` };
    return { error: "Le fichier n'a pas pu être reçu. Réessayez." };
  }
  const file = form.get("document");
  if (!(file instanceof File) || file.size === 0) return { error: "Choisissez un fichier PDF à vérifier." };
  return verifyUpload(context, file.name, new Uint8Array(await file.arrayBuffer()));
}

const ACT_KIND: Record<string, string> = { convention: "Convention", avenant: "Avenant", resiliation: "Notification de résiliation" };

function Verdict({ report }: { report: VerificationReport }) {
  const signatures = report.signatures.filter((s) => s.kind === "signature");
  if (report.ok) {
    return (
      <Alert
        severity="success"
        title="Document valide"
        description={`${signatures.length} signature(s) valide(s), émise(s) par des certificats de confiance ; la dernière couvre tout le document.`}
      />
    );
  }
  if (report.signatures.length === 0 && report.documentChecks.every((c) => c.ok)) {
    return <Alert severity="warning" title="Aucune signature" description="Ce PDF ne contient aucune signature électronique." />;
  }
  return <Alert severity="error" title="Document NON VALIDE" description="Au moins une vérification a échoué : ce document ne doit pas être considéré comme signé." />;
}

export default function Verify() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title="Vérifier un document">
      <p>
        Déposez un PDF signé pour contrôler ses signatures électroniques : intégrité, identité des signataires, horodatage et chaîne de
        confiance. Le fichier n'est pas conservé.
      </p>
      <Form method="post" encType="multipart/form-data" className="fr-mb-4w">
        <Upload
          label="Document PDF"
          hint={`Format PDF, ${MAX_MB} Mo au maximum.`}
          state={result && "error" in result ? "error" : "default"}
          stateRelatedMessage={result && "error" in result ? result.error : undefined}
          nativeInputProps={{ name: "document", accept: "application/pdf,.pdf", required: true }}
        />
        <Button type="submit" className="fr-mt-2w" disabled={busy}>
          Vérifier
        </Button>
      </Form>
      {result && "report" in result ? (
        <section aria-labelledby="resultat">
          <h2 id="resultat">Résultat pour « {result.fileName} »</h2>
          <Verdict report={result.report} />
          {result.act ? (
            <p className="fr-mt-2w">
              {result.act.exact ? "Ce document est" : "Ce document contient une version de"} : {ACT_KIND[result.act.kind] ?? "Acte"} « {result.act.title} »
              {result.act.reference ? ` (référence ${result.act.reference})` : ""}, statut actuel dans Paraphe :{" "}
              <strong>{isStatus(result.act.status) ? STATUS_LABELS[result.act.status] : result.act.status}</strong>.
            </p>
          ) : (
            <p className="fr-mt-2w">Ce document n'a pas été produit par ce portail Paraphe.</p>
          )}
          <p className="fr-text--sm">
            Taille : {result.report.size.toLocaleString("fr-FR")} octets — empreinte SHA-256 : <code>{result.report.sha256}</code>
          </p>
          {result.report.documentChecks.some((c) => !c.ok) ? (
            <ul>
              {result.report.documentChecks.filter((c) => !c.ok).map((c) => (
                <li key={c.id}>
                  ✗ {c.label}
                  {c.detail ? ` : ${c.detail}` : ""}
                </li>
              ))}
            </ul>
          ) : null}
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
                      {s.checks.map((c) => (
                        <li key={c.id}>
                          {c.ok ? "✓" : "✗"} {c.label}
                          {c.detail && !c.ok ? ` : ${c.detail}` : ""}
                        </li>
                      ))}
                    </ul>
                  </div>
                </div>
              </div>
            </div>
          ))}
        </section>
      ) : null}
    </Page>
  );
}
