import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { savedLocation } from "~/domain/admin-notices";
import { fieldErrors, formToObject, organisationSchema } from "~/domain/forms/people";
import { UUID_RE } from "~/models/conventions.server";
import { getOrganisation } from "~/models/organisations.server";
import { DuplicateError, saveOrganisation } from "~/services/save-organisation.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Organisation — Paraphe" }];

async function load(id: string | undefined, context: LoaderFunctionArgs["context"]) {
  if (id === "nouvelle") return null;
  const organisation = id && UUID_RE.test(id) ? await getOrganisation(context.db, id) : undefined;
  if (!organisation) throw new Response("Organisation introuvable.", { status: 404 });
  return organisation;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  return { organisation: await load(params.id, context) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, context, "administrateur");
  const existing = await load(params.id, context);
  const values = formToObject(await request.formData());
  const parsed = organisationSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  let saved;
  try {
    saved = await saveOrganisation(context.db, admin.id, existing?.id ?? null, parsed.data);
  } catch (error) {
    if (error instanceof DuplicateError) return { errors: { name: error.message }, values };
    throw error;
  }
  return redirect(savedLocation("/admin/organisations", saved.id, !existing));
}

export default function OrganisationForm() {
  const { organisation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const value = (key: string, fallback: string | null | undefined) => String((result?.values as Record<string, unknown> | undefined)?.[key] ?? fallback ?? "");
  const field = (name: string, label: string, fallback: string | null | undefined, hint?: string) => (
    <Input
      label={label}
      hintText={hint}
      state={errors[name] ? "error" : "default"}
      stateRelatedMessage={errors[name]}
      nativeInputProps={{ name, defaultValue: value(name, fallback) }}
    />
  );
  return (
    <Page
      title={organisation ? organisation.name : "Nouvelle organisation"}
      trail={[{ label: "Organisations", href: "/admin/organisations" }]}
    >
      {Object.keys(errors).length ? <Alert severity="error" small description="Le formulaire contient des erreurs : corrigez les champs signalés." className="fr-mb-3w" /> : null}
      <Form method="post" noValidate className="fr-col-md-8">
        {field("name", "Nom", organisation?.name, "Par exemple : Ministère de la Justice — Secrétariat général")}
        {field("shortName", "Sigle", organisation?.short_name, "Par exemple : SG/SNUM")}
        {field("ministry", "Ministère de rattachement", organisation?.ministry, "Détermine le CBCM destinataire des actes signés")}
        {field("address", "Adresse (facultative)", organisation?.address)}
        <Button type="submit">Enregistrer</Button>
      </Form>
    </Page>
  );
}
