import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { commitSessionCookie, requestMeta, safeRedirectPath } from "~/session.server";
import { RateLimitedError } from "~/services/rate-limit.server";
import { InvalidLoginLinkError, signInWithLink } from "~/services/sign-in-with-link.server";

export const meta: MetaFunction = () => [{ title: "Connexion — Paraphe" }];

// The link only shows a button: mail scanners that prefetch links must not consume the token.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return { token: url.searchParams.get("jeton") ?? "", retour: safeRedirectPath(url.searchParams.get("retour"), context.config.publicUrl) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = String(form.get("jeton") ?? "");
  try {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new InvalidLoginLinkError();
    const { sessionToken } = await signInWithLink(context.db, context.config, { token, ...requestMeta(request, context) });
    return redirect(safeRedirectPath(String(form.get("retour") ?? ""), context.config.publicUrl), { headers: { "Set-Cookie": await commitSessionCookie(context, sessionToken) } });
  } catch (error) {
    if (error instanceof InvalidLoginLinkError) {
      console.warn(`[connexion] lien invalide, expiré ou déjà utilisé (${context.clientIp})`);
      return { error: error.message };
    }
    if (error instanceof RateLimitedError) {
      console.warn(`[connexion] trop de liens refusés (${context.clientIp})`);
      return { error: error.message };
    }
    throw error;
  }
}

export default function LoginLink() {
  const { token, retour } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title="Connexion à Paraphe" trail={[{ label: "Se connecter", href: "/connexion" }]}>
      {result?.error ? (
        <Alert severity="error" title="Lien de connexion refusé" description={result.error} className="fr-mb-4w" />
      ) : null}
      {result?.error || !token ? (
        <p>
          <a className="fr-btn" href="/connexion">
            Demander un nouveau lien
          </a>
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="jeton" value={token} />
          <input type="hidden" name="retour" value={retour} />
          <p>Confirmez pour ouvrir votre session sur cet appareil.</p>
          <Button type="submit">Me connecter</Button>
        </Form>
      )}
    </Page>
  );
}
