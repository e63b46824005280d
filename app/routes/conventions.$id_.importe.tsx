import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ImportVerdict, importVerdictView } from "~/components/import-verdict";
import { Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { requireConventionPage } from "~/services/convention-access.server";
import { registerImport } from "~/services/register-import.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Acte importé — ${data?.title ?? "Convention"} — Paraphe` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { convention, heading } = await requireConventionPage(context.db, user, params.id ?? "", "read", { origin: "importe" });
  return {
    ...heading,
    verdict: importVerdictView(convention.import_verification),
    canRegister: convention.status === "brouillon" && user.roles.includes("redacteur"),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { convention } = await requireConventionPage(context.db, user, params.id ?? "", "edit", { origin: "importe" });
  const result = await registerImport(context.db, user, convention.id, requestMeta(request, context), undefined, context.config);
  if (result.ok) return redirect(`/conventions/${convention.id}?importe=1`);
  return { errors: "errors" in result ? result.errors : [{ path: "", message: result.message }] };
}

export default function ImportedAct() {
  const { id, title, status, verdict, canRegister } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page
      title="Acte importé"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: title, href: `/conventions/${id}` },
      ]}
    >
      {answer?.errors.length ? (
        <Alert
          severity="error"
          title="L'acte n'a pas été enregistré"
          description={
            <>
              <ul>
                {answer.errors.map((e, i) => (
                  <li key={i}>{e.message}</li>
                ))}
              </ul>
              <Link to={`/conventions/${id}/modifier`}>Compléter les données de la convention</Link>
            </>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <p className={fr.cx("fr-text--lead")}>{title}</p>
      <p>
        <StatusBadge status={status} />
      </p>
      {verdict ? <ImportVerdict verdict={verdict} fileHref={`/conventions/${id}/signe.pdf`} /> : <p>Le rapport de vérification du fichier importé est indisponible.</p>}
      {canRegister ? (
        <section aria-labelledby="enregistrer" className={fr.cx("fr-mt-4w")}>
          <h2 id="enregistrer" className={fr.cx("fr-h4")}>
            Enregistrer l'acte
          </h2>
          <p>
            Une fois ses données saisies (<Link to={`/conventions/${id}/modifier`}>formulaire de rédaction</Link>), dont la date de signature, enregistrez
            l'acte : il est alors en vigueur, à venir ou expiré selon ses dates, et n'est plus modifiable. Les avenants et la résiliation s'y appliquent
            ensuite.
          </p>
          <Form method="post">
            <Button type="submit" iconId="fr-icon-check-line" iconPosition="left" disabled={busy}>
              Enregistrer l'acte
            </Button>
          </Form>
        </section>
      ) : null}
    </Page>
  );
}
