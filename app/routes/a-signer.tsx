import { fr } from "@codegouvfr/react-dsfr";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { WaitingTable } from "~/components/circuit-lists";
import { Page } from "~/components/page";
import { waitingFor } from "~/services/circuit-view.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "À signer — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "signataire");
  return { rows: await waitingFor(context.db, user.id) };
}

export default function ToSign() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <Page title="À signer" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <p className={fr.cx("fr-text--lead")}>
        {rows.length === 0
          ? "Aucun document n'attend votre signature ni votre visa."
          : `${rows.length} document${rows.length > 1 ? "s attendent" : " attend"} votre signature ou votre visa.`}
      </p>
      <p>Les documents pour lesquels vous agissez par délégation de signature figurent aussi dans cette liste.</p>
      {rows.length ? <WaitingTable rows={rows} caption="Documents qui attendent votre signature ou votre visa" /> : null}
    </Page>
  );
}
