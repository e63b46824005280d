import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Page } from "~/components/page";
import { errorMap } from "~/domain/convention-draft";
import { listOrganisations } from "~/models/organisations.server";
import { MAX_UPLOAD_MB } from "~/pdf/verification/verify-limits";
import { conventionTemplates } from "~/services/create-draft.server";
import { importUploadRequest } from "~/services/import-act.server";
import { requestMeta, requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Enregistrer une convention signée hors du portail — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "redacteur");
  const organisations = await listOrganisations(context.db);
  return {
    mine: user.organisation_id,
    organisations: organisations.map((o) => ({
      id: o.id,
      name: o.name,
      shortName: o.short_name,
    })),
    templates: conventionTemplates().map((t) => ({
      name: t.name,
      titre: t.titre,
      version: t.version,
    })),
  };
}

type Values = {
  intitule: string;
  delegant: string;
  delegataires: string[];
  modele: string;
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, "redacteur");
  const result = await importUploadRequest(request, context, user, requestMeta(request, context));
  if (result.ok) return redirect(`/conventions/${result.id}/modifier`);
  return json({ errors: result.errors }, { status: result.status });
}

const LABELS: Record<string, string> = {
  document: "PDF signé",
  intitule: "Intitulé",
  delegant: "Délégant",
  delegataires: "Délégataire(s)",
  modele: "Modèle",
  organisation: "Organisation",
};

export default function ImportConvention() {
  const { mine, organisations, templates } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const list = answer?.errors ?? [];
  const errors = errorMap(list);
  // After a refusal the typed values stay in the page (uncontrolled fields); the file must be chosen again.
  const values: Values = {
    intitule: "",
    delegant: mine ?? "",
    delegataires: organisations.filter((o) => o.shortName === "DINUM" && o.id !== mine).map((o) => o.id),
    modele: templates[0]?.name ?? "convention",
  };
  return (
    <Page title="Enregistrer une convention signée hors du portail" trail={[{ label: "Conventions", href: "/conventions" }]}>
      <p className={fr.cx("fr-text--lead")}>Une convention signée sur papier ou dans un autre outil entre dans Paraphe avec son PDF signé.</p>
      <p>
        Le fichier déposé est l'acte : il est conservé tel quel, octet pour octet, avec son empreinte SHA-256, et n'est jamais regénéré. Ses éventuelles
        signatures électroniques sont contrôlées par le vérificateur du portail et le résultat est affiché tel quel. Vous saisissez ensuite ses données
        (parties, articles, échéancier, dates, préavis) dans le formulaire de rédaction habituel, puis vous l'enregistrez : elle est alors en vigueur (ou
        expirée) selon ses dates, et les avenants et la résiliation s'y appliquent comme à une convention signée dans le portail.
      </p>
      {list.length ? (
        <Alert
          severity="error"
          title={`La convention n'a pas été enregistrée : ${list.length === 1 ? "1 erreur à corriger" : `${list.length} erreurs à corriger`}`}
          description={
            <ul>
              {list.map((e, i) => (
                <li key={i}>
                  <a href={`#champ-${e.path}`}>
                    {LABELS[e.path] ?? e.path} : {e.message}
                  </a>
                </li>
              ))}
            </ul>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate className={fr.cx("fr-col-md-8")}>
        <Upload
          label="PDF signé de la convention"
          hint={`Format PDF, ${MAX_UPLOAD_MB} Mo au maximum.`}
          state={errors.document ? "error" : "default"}
          stateRelatedMessage={errors.document}
          nativeInputProps={{
            id: "champ-document",
            name: "document",
            accept: "application/pdf,.pdf",
          }}
          className={fr.cx("fr-mb-3w")}
        />
        <Input
          label="Intitulé"
          hintText="Pour retrouver ce dossier dans Paraphe, par exemple « Incubateur de la Justice 2022 »"
          state={errors.intitule ? "error" : "default"}
          stateRelatedMessage={errors.intitule}
          nativeInputProps={{
            id: "champ-intitule",
            name: "intitule",
            defaultValue: values.intitule,
            maxLength: 300,
            autoComplete: "off",
          }}
        />
        <Select
          label="Délégant"
          hint="Votre organisation doit être partie à la convention (délégant ou délégataire)."
          state={errors.delegant ? "error" : "default"}
          stateRelatedMessage={errors.delegant}
          nativeSelectProps={{
            id: "champ-delegant",
            name: "delegant",
            defaultValue: values.delegant,
          }}
        >
          <option value="">Choisissez le délégant</option>
          {organisations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </Select>
        <div id="champ-delegataires" tabIndex={-1}>
          <Checkbox
            legend="Délégataire(s)"
            hintText="Cochez deux organisations pour une co-délégation."
            state={errors.delegataires ? "error" : "default"}
            stateRelatedMessage={errors.delegataires}
            options={organisations.map((o) => ({
              label: o.name,
              nativeInputProps: {
                name: "delegataires",
                value: o.id,
                defaultChecked: values.delegataires.includes(o.id),
              },
            }))}
          />
        </div>
        <div id="champ-modele" tabIndex={-1}>
          <RadioButtons
            legend="Modèle de saisie"
            hintText="Le formulaire de saisie reprend la structure de ce modèle ; le PDF déposé reste l'acte."
            state={errors.modele ? "error" : "default"}
            stateRelatedMessage={errors.modele}
            options={templates.map((t) => ({
              label: `${t.titre || t.name} (version ${t.version})`,
              nativeInputProps: {
                name: "modele",
                value: t.name,
                defaultChecked: t.name === values.modele,
              },
            }))}
          />
        </div>
        <Button type="submit" disabled={busy} iconId="fr-icon-upload-line" iconPosition="left">
          Déposer le PDF et saisir les données
        </Button>
      </Form>
    </Page>
  );
}
