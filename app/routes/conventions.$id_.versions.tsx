import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { listConventionVersions } from "~/models/convention-versions.server";
import { CONVENTION_NOT_FOUND, requireConventionAccess } from "~/services/convention-access.server";
import { restoreVersion } from "~/services/restore-version.server";
import { requestMeta, requireUser } from "~/session.server";
import { parseVersion } from "~/domain/ids";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Versions — ${data?.title ?? "Convention"} — Paraphe` }];

const notFound = () => new Response(CONVENTION_NOT_FOUND, { status: 404 });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "read");
  const id = convention.id;
  const versions = await listConventionVersions(context.db, id);
  return {
    id,
    title: convention.title,
    current: convention.version,
    restorable: convention.status === "brouillon" && user.roles.includes("redacteur"),
    versions: versions.map((v) => ({ version: v.version, summary: v.summary, at: new Date(v.created_at).toISOString(), author: `${v.first_name} ${v.last_name}` })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { id } = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  const form = await request.formData();
  // Checked before any query: a number outside PostgreSQL's integer range would fail there (a 500).
  const version = parseVersion(form.get("version"));
  const expectedVersion = parseVersion(form.get("actuelle"));
  if (version === null || expectedVersion === null) return { message: "Formulaire incomplet : rechargez la page." };
  const result = await restoreVersion(context.db, {
    actorId: user.id,
    organisationId: user.organisation_id,
    conventionId: id,
    version,
    expectedVersion,
    meta: requestMeta(request, context),
  });
  switch (result.status) {
    case "saved":
      return redirect(`/conventions/${id}?enregistre=${result.version}`);
    case "unchanged":
      return redirect(`/conventions/${id}?inchange=1`);
    case "stale":
    case "refused":
      return { message: result.message };
    case "invalid":
      return { message: `Cette version ne peut plus être enregistrée telle quelle : ${result.errors.map((e) => e.message).join(" ; ")}.` };
    case "not_found":
      throw notFound();
  }
}

export default function Versions() {
  const { id, title, current, versions, restorable } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page
      title="Versions enregistrées"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: title, href: `/conventions/${id}` },
      ]}
    >
      <p className={fr.cx("fr-text--lead")}>{title}</p>
      <p>
        Chaque enregistrement du brouillon est conservé : qui, quand et ce qui a changé.
        {restorable ? " Restaurer une version en fait une nouvelle version ; aucune n'est effacée." : ""}
      </p>
      {answer?.message ? <Alert severity="error" small description={answer.message} className={fr.cx("fr-mb-3w")} /> : null}
      <div className={fr.cx("fr-table")}>
        <table>
          <caption>Versions de « {title} », de la plus récente à la plus ancienne</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Enregistrée le</th>
              <th scope="col">Par</th>
              <th scope="col">Modifications</th>
              {restorable ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>
                  {v.version}
                  {v.version === current ? " (actuelle)" : ""}
                </td>
                <td>{formatDateTime(v.at)}</td>
                <td>{v.author}</td>
                <td>{v.summary}</td>
                {restorable ? (
                  <td>
                    {v.version === current ? null : (
                      <Form method="post">
                        <input type="hidden" name="version" value={v.version} />
                        <input type="hidden" name="actuelle" value={current} />
                        <button type="submit" className={fr.cx("fr-btn", "fr-btn--sm", "fr-btn--secondary")} disabled={busy}>
                          Restaurer<span className={fr.cx("fr-sr-only")}> la version {v.version}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
