import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Page } from "~/components/page";
import { ConventionInForce, PrepareActRefusal } from "~/components/prepare-act";
import { requireConventionAccess, requireConventionPage } from "~/services/convention-access.server";
import { prepareTermination } from "~/services/prepare-termination.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Notifier la résiliation — ${data?.title ?? "Convention"} — Paraphe` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { convention, heading } = await requireConventionPage(context.db, user, params.id ?? "", "edit");
  const data = (convention.data ?? {}) as { preavisMois?: unknown };
  return { ...heading, preavisMois: typeof data.preavisMois === "number" ? data.preavisMois : null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  const result = await prepareTermination(context.db, user, convention.id, requestMeta(request, context));
  if (result.ok) return redirect(`/conventions/${result.id}/modifier`);
  return { error: result.message, existingId: result.existingId ?? null };
}

export default function PrepareTermination() {
  const { id, title, status, endsOn, preavisMois } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page
      title="Notifier la résiliation"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: title, href: `/conventions/${id}` },
      ]}
    >
      <PrepareActRefusal title="Résiliation impossible" answer={answer} openLabel="Ouvrir la notification en préparation" />
      <ConventionInForce title={title} status={status} endsOn={endsOn} />
      <p>
        Chaque partie peut mettre fin à la délégation à tout moment, sous réserve du préavis prévu par la convention
        {preavisMois !== null ? ` (${preavisMois} mois)` : ""}. La notification de résiliation est un acte : vous indiquez la partie qui notifie, le motif et,
        si vous le souhaitez, une date d'effet plus tardive. Elle est signée par le seul signataire de la partie qui notifie (par les deux parties pour une
        résiliation d'un commun accord, sans préavis), puis transmise à l'autre partie et aux CBCM.
      </p>
      <p>La résiliation prend effet à la date de signature de la notification augmentée du préavis, au calendrier.</p>
      <Form method="post">
        <Button type="submit" iconId="fr-icon-file-add-line" iconPosition="left" disabled={busy}>
          Préparer la notification
        </Button>
      </Form>
    </Page>
  );
}
