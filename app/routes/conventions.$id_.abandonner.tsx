import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Page } from "~/components/page";
import { cancelDraft } from "~/services/cancel-draft.server";
import { CircuitError } from "~/services/circuit-shared.server";
import { requireConventionAccess } from "~/services/convention-access.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Abandonner le brouillon — ${data?.convention.title ?? "Convention"} — Paraphe` }];

/** The one form field: an optional reason, kept in the audit trail. */
export const abandonSchema = z.strictObject({
  motif: z.string().trim().max(2000, { message: "Le motif ne peut pas dépasser 2 000 caractères." }).default(""),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  if (convention.status !== "brouillon") throw redirect(`/conventions/${convention.id}`);
  return { convention: { id: convention.id, title: convention.title } };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  const form = await request.formData();
  const parsed = abandonSchema.safeParse({ motif: typeof form.get("motif") === "string" ? form.get("motif") : "" });
  if (!parsed.success) return { error: parsed.error.issues[0].message, field: "motif" as const };
  const meta = requestMeta(request, context);
  try {
    await cancelDraft(context.db, { id: user.id, authMethod: user.auth_method, ip: meta.ip, userAgent: meta.userAgent }, convention.id, parsed.data.motif);
  } catch (error) {
    if (error instanceof CircuitError) return { error: error.message, field: null };
    throw error;
  }
  return redirect(`/conventions/${convention.id}?abandonne=1`);
}

export default function AbandonDraft() {
  const { convention } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page
      title="Abandonner ce brouillon"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: convention.title, href: `/conventions/${convention.id}` },
      ]}
    >
      {answer && !answer.field ? <Alert severity="error" title="Action impossible" description={answer.error} className={fr.cx("fr-mb-3w")} /> : null}
      <p className={fr.cx("fr-text--lead")}>{convention.title}</p>
      <p>
        Le brouillon sera marqué « Annulé » : il ne pourra plus être modifié ni envoyé en signature. Il n'est pas supprimé : il reste consultable, avec ses
        versions et son historique, sous l'onglet « Annulées » du tableau de bord.
      </p>
      <Form method="post" className={fr.cx("fr-col-md-8")}>
        <Input
          textArea
          label="Motif (facultatif)"
          hintText="Par exemple « Doublon du brouillon créé le 3 mars » ; il figure dans l'historique."
          state={answer?.field === "motif" ? "error" : "default"}
          stateRelatedMessage={answer?.field === "motif" ? answer.error : undefined}
          nativeTextAreaProps={{ name: "motif", rows: 2, maxLength: 2000 }}
        />
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
          <li>
            <Button type="submit" iconId="fr-icon-delete-line" disabled={busy}>
              Confirmer l'abandon du brouillon
            </Button>
          </li>
          <li>
            <Button priority="secondary" linkProps={{ to: `/conventions/${convention.id}` }}>
              Non, garder le brouillon
            </Button>
          </li>
        </ul>
      </Form>
    </Page>
  );
}
