import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatDate, Page } from "~/components/page";
import { DateInput } from "~/components/date-input";
import { CircuitError, type Actor } from "~/services/circuit-shared.server";
import { declareDelegation, delegationSchema, revokeDelegation } from "~/services/declare-delegation.server";
import { listDelegations } from "~/services/circuit-view.server";
import { requestMeta, requireRole, type CurrentUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Délégations de signature — Paraphe" }];

const actorOf = (user: CurrentUser, request: Request, context: LoaderFunctionArgs["context"]): Actor => {
  const meta = requestMeta(request, context);
  return { id: user.id, authMethod: user.auth_method, ip: meta.ip, userAgent: meta.userAgent };
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, "signataire");
  const { given, received } = await listDelegations(context.db, user.id);
  const url = new URL(request.url);
  const me = `${user.first_name} ${user.last_name}`;
  return { me, given, received, flash: url.searchParams.has("declaree") ? "declaree" : url.searchParams.has("revoquee") ? "revoquee" : null };
}

type Field = "delegateEmail" | "startsOn" | "endsOn" | "actReference";
type ActionResult = { errors?: Partial<Record<Field, string>>; error?: string; values?: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const user = await requireRole(request, context, "signataire");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = actorOf(user, request, context);
  if (intent === "revoquer") {
    try {
      await revokeDelegation(context.db, actor, String(form.get("delegationId") ?? ""));
      return redirect("/delegations?revoquee=1");
    } catch (error) {
      if (error instanceof CircuitError) return { error: error.message };
      throw error;
    }
  }
  const values = {
    delegateEmail: String(form.get("delegateEmail") ?? ""),
    startsOn: String(form.get("startsOn") ?? ""),
    endsOn: String(form.get("endsOn") ?? ""),
    actReference: String(form.get("actReference") ?? ""),
  };
  const parsed = delegationSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Partial<Record<Field, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as Field;
      errors[key] ??= issue.message;
    }
    return { errors, values };
  }
  try {
    await declareDelegation(context.db, actor, parsed.data);
    return redirect("/delegations?declaree=1");
  } catch (error) {
    if (error instanceof CircuitError) return { error: error.message, values };
    throw error;
  }
}

export default function Delegations() {
  const { me, given, received, flash } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const field = (name: Field) => ({
    state: answer?.errors?.[name] ? ("error" as const) : ("default" as const),
    stateRelatedMessage: answer?.errors?.[name],
  });
  return (
    <Page title="Délégations de signature" trail={[{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <p className={fr.cx("fr-text--lead")}>Désignez un signataire de votre organisation qui pourra signer à votre place pendant une période donnée.</p>
      <p>
        Votre délégué(e) de signature reçoit les invitations avec vous et signe en votre nom ; son cachet de signature porte la mention
        « Pour {me} et par délégation, », puis son nom et la référence de l'acte qui fonde la délégation (arrêté, décision…), à indiquer ci-dessous.
      </p>
      {flash === "declaree" ? <Alert severity="success" small description="Délégation enregistrée." className={fr.cx("fr-mb-3w")} /> : null}
      {flash === "revoquee" ? <Alert severity="success" small description="Délégation révoquée." className={fr.cx("fr-mb-3w")} /> : null}
      {answer?.error ? <Alert severity="error" title="Action impossible" description={answer.error} className={fr.cx("fr-mb-3w")} /> : null}

      <h2 className={fr.cx("fr-h4")}>Mes délégations en cours ou à venir</h2>
      {given.length === 0 ? (
        <p>Vous n'avez délégué votre signature à personne.</p>
      ) : (
        <div className={fr.cx("fr-table")}>
          <table>
            <caption className={fr.cx("fr-sr-only")}>Délégations de ma signature</caption>
            <thead>
              <tr>
                <th scope="col">Délégué(e) de signature</th>
                <th scope="col">Période</th>
                <th scope="col">Acte</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {given.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.name}
                    <br />
                    <span className={fr.cx("fr-text--xs")}>{d.email}</span>
                  </td>
                  <td>
                    du {formatDate(`${d.startsOn}T12:00:00Z`)} au {formatDate(`${d.endsOn}T12:00:00Z`)}
                  </td>
                  <td>{d.actReference}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="delegationId" value={d.id} />
                      <button type="submit" name="intent" value="revoquer" className={fr.cx("fr-btn", "fr-btn--tertiary", "fr-btn--sm", "fr-btn--icon-left", "fr-icon-close-line")}>
                        Révoquer<span className={fr.cx("fr-sr-only")}> la délégation à {d.name}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {received.length ? (
        <>
          <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Je signe par délégation pour</h2>
          <ul>
            {received.map((d) => (
              <li key={d.id}>
                {d.name}, du {formatDate(`${d.startsOn}T12:00:00Z`)} au {formatDate(`${d.endsOn}T12:00:00Z`)} ({d.actReference})
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Déclarer une délégation</h2>
      <Form method="post" noValidate className={fr.cx("fr-mb-4w")} style={{ maxWidth: "40rem" }}>
        <Input
          label="Adresse électronique du délégué ou de la déléguée de signature"
          hintText="Un signataire de votre organisation inscrit dans Paraphe. Il ne pourra pas signer à votre place une convention qu'il a rédigée."
          {...field("delegateEmail")}
          nativeInputProps={{ name: "delegateEmail", type: "email", autoComplete: "off", defaultValue: answer?.values?.delegateEmail ?? "" }}
        />
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-sm-6")}>
            <DateInput label="Date de début" hint="Aujourd'hui au plus tôt." error={answer?.errors?.startsOn} nativeInputProps={{ name: "startsOn", defaultValue: answer?.values?.startsOn ?? "" }} />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-sm-6")}>
            <DateInput label="Date de fin" error={answer?.errors?.endsOn} nativeInputProps={{ name: "endsOn", defaultValue: answer?.values?.endsOn ?? "" }} />
          </div>
        </div>
        <Input
          label="Référence de l'acte de délégation"
          hintText="Par exemple : décision n° 2026-42 du 2 janvier 2026"
          {...field("actReference")}
          nativeInputProps={{ name: "actReference", defaultValue: answer?.values?.actReference ?? "" }}
        />
        <Button type="submit" iconId="fr-icon-user-add-line" iconPosition="left" value="declarer" nativeButtonProps={{ name: "intent" }} disabled={navigation.state !== "idle"}>
          Déclarer la délégation
        </Button>
      </Form>
      <p className={fr.cx("fr-text--xs")}>Les délégations passées ou révoquées restent dans le journal de preuve ; la liste ne montre que celles en cours ou à venir.</p>
    </Page>
  );
}
