import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { fromFormEntries } from "~/domain/form-entries";
import { isPublicStatus } from "~/domain/public-act";
import { CircuitError } from "~/services/circuit-shared.server";
import { requireConventionAccess } from "~/services/convention-access.server";
import { publicationFormSchema, setPublishable } from "~/services/set-publishable.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Publication au registre public — Paraphe" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  return {
    convention: { id: convention.id, title: convention.title, reference: convention.reference, signed: isPublicStatus(convention.status) },
    publishable: convention.publishable,
    reason: convention.unpublished_reason,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  const form = fromFormEntries((await request.formData()).entries());
  const parsed = publicationFormSchema.safeParse(form);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "publier")] ??= issue.message;
    return { errors };
  }
  try {
    const actor = { id: user.id, authMethod: user.auth_method, ...requestMeta(request, context) };
    await setPublishable(context.db, context.config, actor, convention.id, parsed.data);
  } catch (error) {
    if (error instanceof CircuitError) return { errors: { publier: error.message } };
    throw error;
  }
  return redirect(`/conventions/${convention.id}`);
}

export default function Publication() {
  const { convention, publishable, reason } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <Page title="Publication au registre public" trail={[{ label: "Conventions", href: "/conventions" }, { label: convention.title, href: `/conventions/${convention.id}` }]}>
      <p>
        Une convention de délégation de gestion doit être publiée : une fois signé, l'acte figure au{" "}
        <Link to="/registre">registre public</Link> et dans les données ouvertes, avec son PDF signé. Vous pouvez l'en retirer en
        indiquant un motif, conservé dans son journal.
      </p>
      <p>
        Actuellement : <strong>{publishable ? "publié au registre" : "non publié"}</strong>
        {!publishable && reason ? <> (motif : <q>{reason}</q>)</> : null}
        {publishable && !convention.signed ? " dès sa signature" : ""}.
      </p>
      {errors.publier ? <Alert severity="error" small description={errors.publier} className={fr.cx("fr-mb-2w")} /> : null}
      <Form method="post">
        <RadioButtons
          legend="Publication de l'acte"
          name="publier"
          options={[
            { label: "Publier au registre public et dans les données ouvertes", nativeInputProps: { value: "oui", defaultChecked: publishable } },
            { label: "Ne pas publier (motif obligatoire)", nativeInputProps: { value: "non", defaultChecked: !publishable } },
          ]}
        />
        <Input
          label="Motif de la non-publication"
          hintText="Obligatoire pour retirer l'acte du registre ; il figure dans le journal de l'acte."
          textArea
          state={errors.motif ? "error" : "default"}
          stateRelatedMessage={errors.motif}
          nativeTextAreaProps={{ name: "motif", defaultValue: reason ?? "", maxLength: 1000, rows: 3 }}
        />
        <button type="submit" className={fr.cx("fr-btn")}>
          Enregistrer
        </button>
      </Form>
    </Page>
  );
}
