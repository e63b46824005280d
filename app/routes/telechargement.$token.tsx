import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { findDownload } from "~/services/download-by-token.server";

export const meta: MetaFunction = () => [{ title: "Télécharger un acte signé — Paraphe" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const grant = await findDownload(context.db, params.token ?? "");
  if (!grant) throw new Response("Ce lien de téléchargement n'existe pas ou a expiré. Demandez un nouvel envoi au rédacteur de l'acte.", { status: 404 });
  return { title: grant.title, expiresAt: new Date(grant.download_expires_at!).toISOString() };
}

export default function Download() {
  const { title, expiresAt } = useLoaderData<typeof loader>();
  const { token } = useParams();
  return (
    <Page title="Télécharger un acte signé">
      <p>
        Acte : <strong>{title}</strong>. Ce lien personnel est valable jusqu'au {formatDateTime(expiresAt)}.
      </p>
      <ul>
        <li>
          <a href={`/telechargement/${token}/signe`} download>
            Document signé (PDF)
          </a>
        </li>
        <li>
          <a href={`/telechargement/${token}/certificat`} download>
            Certificat de signature (PDF)
          </a>
        </li>
      </ul>
    </Page>
  );
}
