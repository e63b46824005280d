import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { Role } from "../../db/schema";
import { Page } from "~/components/page";
import { savedLocation } from "~/domain/admin-notices";
import { fieldErrors, formToObject, personSchema } from "~/domain/forms/people";
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { UUID_RE } from "~/models/conventions.server";
import { listOrganisations } from "~/models/organisations.server";
import { getPerson } from "~/models/people.server";
import { savePerson } from "~/services/save-person.server";
import { DuplicateError } from "~/services/save-organisation.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Personne — Paraphe" }];

async function load(id: string | undefined, context: LoaderFunctionArgs["context"]) {
  if (id === "nouvelle") return null;
  const person = id && UUID_RE.test(id) ? await getPerson(context.db, id) : undefined;
  if (!person) throw new Response("Personne introuvable.", { status: 404 });
  return person;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  const [person, organisations] = await Promise.all([load(params.id, context), listOrganisations(context.db)]);
  return { person, organisations: organisations.map((o) => ({ id: o.id, name: o.name })) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, context, "administrateur");
  const existing = await load(params.id, context);
  const values = formToObject(await request.formData(), ["roles"], ["active"]);
  const parsed = personSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  let saved;
  try {
    saved = await savePerson(context.db, admin.id, existing?.id ?? null, { ...parsed.data, roles: parsed.data.roles as Role[] }, {
      publicUrl: context.config.publicUrl,
      mailFrom: context.config.mailFrom,
      proconnect: Boolean(context.config.proconnect),
    });
  } catch (error) {
    if (error instanceof DuplicateError) return { errors: { email: error.message }, values };
    throw error;
  }
  return redirect(savedLocation("/admin/personnes", saved.id, !existing));
}

export default function PersonForm() {
  const { person, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const submitted = result?.values as Record<string, unknown> | undefined;
  const value = (key: string, fallback: string | null | undefined) => String(submitted?.[key] ?? fallback ?? "");
  const roles = (submitted?.roles as string[] | undefined) ?? person?.roles ?? [];
  const text = (name: string, label: string, fallback: string | null | undefined, type = "text") => (
    <Input
      label={label}
      state={errors[name] ? "error" : "default"}
      stateRelatedMessage={errors[name]}
      nativeInputProps={{ name, type, defaultValue: value(name, fallback) }}
    />
  );
  return (
    <Page title={person ? `${person.first_name} ${person.last_name}` : "Nouvelle personne"} trail={[{ label: "Personnes", href: "/admin/personnes" }]}>
      {Object.keys(errors).length ? <Alert severity="error" small description="Le formulaire contient des erreurs : corrigez les champs signalés." className="fr-mb-3w" /> : null}
      <Form method="post" noValidate className="fr-col-md-8">
        {text("firstName", "Prénom", person?.first_name)}
        {text("lastName", "Nom", person?.last_name)}
        {text("email", "Adresse électronique", person?.email, "email")}
        {text("jobTitle", "Fonction (facultative)", person?.job_title)}
        <Select
          label="Organisation"
          state={errors.organisationId ? "error" : "default"}
          stateRelatedMessage={errors.organisationId}
          nativeSelectProps={{ name: "organisationId", defaultValue: value("organisationId", person?.organisation_id) }}
        >
          <option value="">Aucune (destinataire CBCM)</option>
          {organisations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </Select>
        <Checkbox
          legend="Rôles"
          state={errors.roles ? "error" : "default"}
          stateRelatedMessage={errors.roles}
          options={ROLES.map((role) => ({
            label: ROLE_LABELS[role],
            nativeInputProps: { name: "roles", value: role, defaultChecked: roles.includes(role) },
          }))}
        />
        <Checkbox
          legend="Accès"
          options={[{ label: "Compte actif", nativeInputProps: { name: "active", defaultChecked: submitted ? Boolean(submitted.active) : (person?.active ?? true) } }]}
        />
        <Button type="submit">Enregistrer</Button>
      </Form>
    </Page>
  );
}
