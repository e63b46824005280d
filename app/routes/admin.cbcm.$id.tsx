import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { savedLocation } from "~/domain/admin-notices";
import { cbcmSchema } from "~/domain/forms/cbcm";
import { fieldErrors, formToObject } from "~/domain/forms/people";
import { UUID_RE } from "~/models/conventions.server";
import { saveCbcm } from "~/services/save-cbcm.server";
import { DuplicateError } from "~/services/save-organisation.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "CBCM — Paraphe" }];

async function load(id: string | undefined, context: LoaderFunctionArgs["context"]) {
  if (id === "nouveau") return null;
  const cbcm = id && UUID_RE.test(id) ? await context.db.selectFrom("cbcm").selectAll().where("id", "=", id).executeTakeFirst() : undefined;
  if (!cbcm) throw new Response("CBCM introuvable.", { status: 404 });
  return cbcm;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireRole(request, context, "administrateur");
  return { cbcm: await load(params.id, context) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, context, "administrateur");
  const existing = await load(params.id, context);
  const values = formToObject(await request.formData(), [], ["servesPremierMinistre"]);
  const parsed = cbcmSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  let saved;
  try {
    saved = await saveCbcm(context.db, admin.id, existing?.id ?? null, parsed.data);
  } catch (error) {
    if (error instanceof DuplicateError) return { errors: { name: error.message }, values };
    throw error;
  }
  return redirect(savedLocation("/admin/cbcm", saved.id, !existing));
}

export default function CbcmForm() {
  const { cbcm } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const submitted = result?.values as Record<string, unknown> | undefined;
  const value = (key: string, fallback: string | null | undefined) => String(submitted?.[key] ?? fallback ?? "");
  return (
    <Page title={cbcm ? cbcm.name : "Nouveau CBCM"} trail={[{ label: "Annuaire des CBCM", href: "/admin/cbcm" }]}>
      {Object.keys(errors).length ? <Alert severity="error" small description="Le formulaire contient des erreurs : corrigez les champs signalés." className="fr-mb-3w" /> : null}
      <Form method="post" noValidate className="fr-col-md-8">
        <Input label="Nom" state={errors.name ? "error" : "default"} stateRelatedMessage={errors.name} nativeInputProps={{ name: "name", defaultValue: value("name", cbcm?.name) }} />
        <Input
          label="Adresses électroniques"
          hintText="Une par ligne : chacune reçoit l'acte signé."
          textArea
          state={errors.emails ? "error" : "default"}
          stateRelatedMessage={errors.emails}
          nativeTextAreaProps={{ name: "emails", rows: 3, defaultValue: value("emails", cbcm?.emails.join("\n")) }}
        />
        <Input
          label="Ministère couvert"
          hintText="Tel qu'il figure sur les organisations, par exemple : Ministère de la Justice"
          state={errors.ministry ? "error" : "default"}
          stateRelatedMessage={errors.ministry}
          nativeInputProps={{ name: "ministry", defaultValue: value("ministry", cbcm?.ministry) }}
        />
        <Checkbox
          options={[
            {
              label: "Sert les services du Premier ministre (reçoit tous les actes)",
              nativeInputProps: { name: "servesPremierMinistre", defaultChecked: submitted ? Boolean(submitted.servesPremierMinistre) : (cbcm?.serves_premier_ministre ?? false) },
            },
          ]}
        />
        <Button type="submit">Enregistrer</Button>
      </Form>
    </Page>
  );
}
