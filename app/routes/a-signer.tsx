import { fr } from "@codegouvfr/react-dsfr";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { WaitingTable } from "~/components/circuit-lists";
import { KeysetPager } from "~/components/keyset-pager";
import { Page } from "~/components/page";
import { countWaitingFor, pageWaitingFor, titularsOf, toWaitingRows } from "~/models/circuit.server";
import { readPageRequest } from "~/models/keyset.server";
import { requireRole } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "À signer — Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "signataire");
  const titulars = (await titularsOf(context.db, user.id)).map((t) => t.titular_id);
  const [count, page] = await Promise.all([
    countWaitingFor(context.db, user.id, titulars),
    pageWaitingFor(context.db, user.id, titulars, readPageRequest(new URL(request.url).searchParams)),
  ]);
  return { count, rows: toWaitingRows(page.rows, user.id), next: page.next, prev: page.prev };
}

export default function ToSign() {
  const { count, rows, next, prev } = useLoaderData<typeof loader>();
  return (
    <Page title="À signer" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <p className={fr.cx("fr-text--lead")}>
        {count === 0
          ? "Aucun document n'attend votre signature ni votre visa."
          : `${count} document${count > 1 ? "s attendent" : " attend"} votre signature ou votre visa.`}
      </p>
      <p>Les documents pour lesquels vous agissez par délégation de signature figurent aussi dans cette liste, du plus ancien au plus récent.</p>
      {rows.length ? <WaitingTable rows={rows} caption="Documents qui attendent votre signature ou votre visa" /> : null}
      <KeysetPager next={next} prev={prev} label="Pages des documents à signer" />
    </Page>
  );
}
