import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ProConnectButton } from "@codegouvfr/react-dsfr/ProConnectButton";
import proconnectButtonStyles from "@codegouvfr/react-dsfr/assets/proconnect-btn.css";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Page } from "~/components/page";
import { loginSchema } from "~/domain/forms/login";
import { getCurrentUser, requestMeta, safeRedirectPath } from "~/session.server";
import { RateLimitedError, requestLoginLink } from "~/services/request-login-link.server";
import { readProConnectNotice } from "~/services/proconnect.server";

export const meta: MetaFunction = () => [{ title: "Se connecter — Paraphe" }];

// The ProConnect button's logo (react-dsfr ships it as a side-effect CSS import, which the classic compiler does not link).
export const links: LinksFunction = () => [{ rel: "stylesheet", href: proconnectButtonStyles }];

type LoginLoaderData = { retour: string; devMailbox: boolean; proconnect: boolean; proconnectNotice: { title: string; message: string } | null };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const retour = safeRedirectPath(new URL(request.url).searchParams.get("retour"), context.config.publicUrl);
  if (await getCurrentUser(request, context)) throw redirect(retour);
  // A refused ProConnect sign-in comes back here with a one-shot notice.
  const { notice, clearCookie } = readProConnectNotice(context.config, request.headers.get("Cookie"));
  const body: LoginLoaderData = { retour, devMailbox: context.config.devMailbox, proconnect: Boolean(context.config.proconnect), proconnectNotice: notice };
  return clearCookie ? data(body, { headers: { "Set-Cookie": clearCookie } }) : body;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = loginSchema.safeParse({ email: form.get("email") });
  if (!parsed.success) return { status: "invalid" as const, error: parsed.error.issues[0].message, email: String(form.get("email") ?? "") };
  try {
    await requestLoginLink(context.db, context.config, {
      email: parsed.data.email,
      ip: requestMeta(request, context).ip,
      retour: safeRedirectPath(String(form.get("retour") ?? ""), context.config.publicUrl),
    });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      console.warn(`[connexion] limite de demandes atteinte (${context.clientIp})`);
      return { status: "limited" as const, error: error.message, email: parsed.data.email };
    }
    throw error;
  }
  return { status: "sent" as const, email: parsed.data.email };
}

export default function Login() {
  const { devMailbox, retour, proconnect, proconnectNotice } = useLoaderData<LoginLoaderData>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page title="Se connecter">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          {result?.status === "sent" ? (
            <Alert
              severity="success"
              title="Vérifiez votre messagerie"
              description={`Si un compte Paraphe existe pour ${result.email}, un lien de connexion vient de lui être envoyé. Il est valable 15 minutes et ne sert qu'une fois.`}
              className="fr-mb-4w"
            />
          ) : null}
          {result?.status === "limited" ? <Alert severity="error" title="Trop de demandes" description={result.error} className="fr-mb-4w" /> : null}
          {proconnectNotice && !result ? <Alert severity="error" title={proconnectNotice.title} description={proconnectNotice.message} className="fr-mb-4w" /> : null}
          {proconnect ? (
            <>
              <h2 className="fr-h5">Avec ProConnect</h2>
              <p>ProConnect est la solution de l'État pour vous identifier avec votre compte professionnel.</p>
              <ProConnectButton url={`/connexion/proconnect${retour !== "/tableau-de-bord" ? `?retour=${encodeURIComponent(retour)}` : ""}`} />
              <p className="fr-hr-or fr-my-4w">ou</p>
              <h2 className="fr-h5">Avec un lien reçu par e-mail</h2>
            </>
          ) : null}
          <p>Saisissez votre adresse électronique professionnelle : nous vous envoyons un lien de connexion à usage unique.</p>
          <Form method="post" noValidate>
            <input type="hidden" name="retour" value={retour} />
            <Input
              label="Adresse électronique"
              hintText="Format attendu : prenom.nom@ministere.gouv.fr"
              state={result?.status === "invalid" ? "error" : "default"}
              stateRelatedMessage={result?.status === "invalid" ? result.error : undefined}
              nativeInputProps={{
                type: "email",
                name: "email",
                autoComplete: "email",
                required: true,
                defaultValue: result && "email" in result ? result.email : "",
              }}
            />
            <Button type="submit" disabled={busy}>
              Recevoir un lien de connexion
            </Button>
          </Form>
          {devMailbox ? (
            <p className="fr-mt-4w fr-text--sm">
              Environnement local : les e-mails ne partent pas, ils sont lisibles dans la <a href="/dev/boite-mail">boîte mail de développement</a>.
            </p>
          ) : null}
        </div>
      </div>
    </Page>
  );
}
