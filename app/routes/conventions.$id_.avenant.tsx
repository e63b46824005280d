import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Page } from "~/components/page";
import { ConventionInForce, PrepareActRefusal } from "~/components/prepare-act";
import { requireConventionAccess, requireConventionPage } from "~/services/convention-access.server";
import { createAvenant } from "~/services/create-avenant.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Préparer un avenant — ${data?.title ?? "Convention"} — Paraphe` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return (await requireConventionPage(context.db, user, params.id ?? "", "edit")).heading;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  const result = await createAvenant(context.db, user, convention.id, requestMeta(request, context));
  if (result.ok) return redirect(`/conventions/${result.id}/modifier`);
  return { error: result.message, existingId: result.existingId ?? null };
}

export default function PrepareAvenant() {
  const { id, title, status, endsOn } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page
      title="Préparer un avenant"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: title, href: `/conventions/${id}` },
      ]}
    >
      <PrepareActRefusal title="Avenant impossible" answer={answer} openLabel="Ouvrir l'avenant en préparation" />
      <ConventionInForce title={title} status={status} endsOn={endsOn} />
      <p>
        Toute modification de la convention fait l'objet d'un avenant. L'avenant est numéroté (avenant n° 1, n° 2…) et part de la convention telle qu'elle est
        aujourd'hui, avenants précédents compris. Vous y décrivez chaque modification : remplacer, insérer ou supprimer un article, modifier la date de fin,
        ajouter une année ou modifier des montants de l'échéancier, modifier le représentant, l'adresse ou les services d'une partie. Il suit ensuite le même
        circuit de signature qu'une convention ; une fois signé, la convention est consolidée.
      </p>
      <p>Un seul avenant peut être en préparation ou en signature à la fois.</p>
      <Form method="post">
        <Button type="submit" iconId="fr-icon-file-add-line" iconPosition="left" disabled={busy}>
          Créer l'avenant
        </Button>
      </Form>
    </Page>
  );
}
