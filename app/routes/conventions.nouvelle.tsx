import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { STATUS_LABELS, type Status } from "~/domain/workflow";
import { findDuplicateDrafts } from "~/models/duplicate-drafts.server";
import { listOrganisations } from "~/models/organisations.server";
import { conventionTemplates, createDraft, CreateDraftError } from "~/services/create-draft.server";
import { requestMeta, requireRole } from "~/session.server";
import { parseId } from "~/domain/ids";

export const meta: MetaFunction = () => [{ title: "Nouvelle convention — Paraphe" }];

async function choices(context: LoaderFunctionArgs["context"], organisationId: string | null) {
  const organisations = await listOrganisations(context.db);
  const mine = organisations.find((o) => o.id === organisationId);
  return {
    mine: mine ? { id: mine.id, name: mine.name } : null,
    others: organisations.filter((o) => o.id !== organisationId).map((o) => ({ id: o.id, name: o.name, shortName: o.short_name })),
    templates: conventionTemplates(),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "redacteur");
  return choices(context, user.organisation_id);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, "redacteur");
  const form = await request.formData();
  const intitule = String(form.get("intitule") ?? "").slice(0, 1000);
  const delegataires = form.getAll("delegataires").map(String);
  const modele = String(form.get("modele") ?? "convention");
  // A forged choice is not an id: refused like an organisation that does not exist (not a database error).
  if (delegataires.some((id) => !parseId(id))) return { errors: { delegataires: "Un des délégataires choisis n'existe pas." } as Record<string, string>, values: { intitule, delegataires: [] as string[], modele } };
  if (!conventionTemplates().some((t) => t.name === modele)) return { errors: { modele: "Ce modèle n'existe pas : choisissez un des modèles proposés." } as Record<string, string>, values: { intitule, delegataires, modele: "convention" } };
  // A second draft with the same title and parties: warn once, create only when confirmed.
  if (form.get("confirmerDoublon") !== "oui" && user.organisation_id) {
    const duplicates = await findDuplicateDrafts(context.db, { delegantOrganisationId: user.organisation_id, intitule, delegataireIds: delegataires });
    if (duplicates.length)
      return {
        errors: {} as Record<string, string>,
        values: { intitule, delegataires, modele },
        duplicates: duplicates.map((d) => ({ id: d.id, title: d.title, status: d.status, createdAt: new Date(d.created_at).toISOString() })),
      };
  }
  try {
    const { id } = await createDraft(context.db, { actorId: user.id, intitule, delegataireIds: delegataires, modele, meta: requestMeta(request, context) });
    return redirect(`/conventions/${id}/modifier`);
  } catch (error) {
    if (error instanceof CreateDraftError) return { errors: { [error.field]: error.message } as Record<string, string>, values: { intitule, delegataires, modele } };
    throw error;
  }
}

export default function NewConvention() {
  const { mine, others, templates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const busy = useNavigation().state === "submitting";
  const chosen = result?.values.delegataires ?? others.filter((o) => o.shortName === "DINUM").map((o) => o.id);
  return (
    <Page title="Nouvelle convention" trail={[{ label: "Conventions", href: "/conventions" }]}>
      <p className={fr.cx("fr-text--lead")}>Créez un brouillon de convention de délégation de gestion à partir d'un modèle.</p>
      {errors.organisation ? <Alert severity="error" title="Création impossible" description={errors.organisation} className={fr.cx("fr-mb-3w")} /> : null}
      {result && "duplicates" in result && result.duplicates?.length ? (
        <Alert
          severity="warning"
          title="Un brouillon porte déjà cet intitulé, avec les mêmes parties"
          description={
            <>
              <ul>
                {result.duplicates.map((d) => (
                  <li key={d.id}>
                    <Link to={`/conventions/${d.id}`}>{d.title}</Link> ({STATUS_LABELS[d.status as Status] ?? d.status}, créé le {formatDateTime(d.createdAt)})
                  </li>
                ))}
              </ul>
              <p>Reprenez-le plutôt que d'en créer un second. S'il s'agit bien d'une autre convention, confirmez la création ci-dessous.</p>
            </>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <Form method="post" noValidate className={fr.cx("fr-col-md-8")}>
        {result && "duplicates" in result && result.duplicates?.length ? <input type="hidden" name="confirmerDoublon" value="oui" /> : null}
        <Input
          label="Intitulé"
          hintText="Pour retrouver ce dossier dans Paraphe, par exemple « Incubateur de la Justice 2025 »"
          state={errors.intitule ? "error" : "default"}
          stateRelatedMessage={errors.intitule}
          nativeInputProps={{ name: "intitule", defaultValue: result?.values.intitule ?? "", maxLength: 300, autoComplete: "off" }}
        />
        <p>
          <strong>Délégant :</strong> {mine ? mine.name : "votre compte n'est rattaché à aucune organisation"} (votre organisation)
        </p>
        <Checkbox
          legend="Délégataire(s)"
          hintText="Le plus souvent la DINUM. Cochez deux organisations pour une co-délégation."
          state={errors.delegataires ? "error" : "default"}
          stateRelatedMessage={errors.delegataires}
          options={others.map((o) => ({
            label: o.name,
            nativeInputProps: { name: "delegataires", value: o.id, defaultChecked: chosen.includes(o.id) },
          }))}
        />
        <RadioButtons
          legend="Modèle"
          hintText="Le brouillon reprend les visas, le préambule et les articles du modèle choisi : vous pourrez les adapter à cette convention sans modifier le modèle."
          state={errors.modele ? "error" : "default"}
          stateRelatedMessage={errors.modele}
          options={templates.map((t) => ({
            label: `${t.titre || t.name} (version ${t.version})`,
            hintText: t.description,
            nativeInputProps: { name: "modele", value: t.name, defaultChecked: t.name === (result?.values.modele ?? "convention") },
          }))}
        />
        <Button type="submit" disabled={busy} iconId="fr-icon-file-add-line" iconPosition="left">
          {result && "duplicates" in result && result.duplicates?.length ? "Créer quand même un second brouillon" : "Créer le brouillon"}
        </Button>
      </Form>
    </Page>
  );
}
