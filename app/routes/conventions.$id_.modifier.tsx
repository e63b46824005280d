import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConventionForm } from "~/components/convention-form";
import { parisToday, periodProblems } from "~/domain/launch-rules";
import { Page } from "~/components/page";
import { fromFormEntries, isFormShapeError } from "~/domain/form-entries";
import { applyArrayIntent, checkDraft, LIMITS, normaliseDraft } from "~/domain/convention-draft";
import { isStatus, transition } from "~/domain/workflow";
import { CONVENTION_NOT_FOUND, requireConventionAccess } from "~/services/convention-access.server";
import { conventionTemplates } from "~/services/create-draft.server";
import { saveDraft } from "~/services/save-draft.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Modifier — ${data?.intitule ?? "Convention"} — Paraphe` }];

async function loadDraft(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, id, "edit");
  const guard = isStatus(convention.status) ? transition(convention.status, { type: "modifier" }) : { ok: false as const, reason: "Statut inconnu." };
  if (!guard.ok) throw new Response(guard.reason, { status: 409, statusText: "Document figé" });
  return { user, convention };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { convention } = await loadDraft(request, context, params.id ?? "");
  const data = normaliseDraft(convention.data as Record<string, unknown>);
  // The form names the draft's template by its title and offers only the frame options it has.
  const template = conventionTemplates().find((t) => t.name === (data.modele ?? convention.template));
  return { id: convention.id, intitule: convention.title, version: convention.version, data, missing: checkDraft(data).missing, warnings: periodProblems(data, parisToday()), templateTitle: template?.titre, templateOptions: template?.options };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, convention } = await loadDraft(request, context, params.id ?? "");
  if (Number(request.headers.get("content-length") ?? 0) > LIMITS.requestBytes)
    throw new Response("Le formulaire envoyé est trop volumineux (10 Mo au plus).", { status: 413 });
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "enregistrer");
  const version = Number(form.get("version"));
  const intitule = String(form.get("intitule") ?? "");
  const entries = [...form.entries()].filter(([k]) => !["intent", "version", "intitule"].includes(k));
  const raw = parseNested(entries);
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;

  if (intent !== "enregistrer") {
    const result = applyArrayIntent(normaliseDraft(raw), intent);
    if (!result) throw new Response("Action inconnue.", { status: 400 });
    return { kind: "edit" as const, stamp, data: result.data, intitule, version, focus: result.focus, message: result.error ?? result.message, notice: result.error };
  }
  const result = await saveDraft(context.db, {
    actorId: user.id,
    organisationId: user.organisation_id,
    conventionId: convention.id,
    expectedVersion: version,
    intitule,
    data: raw,
    meta: requestMeta(request, context),
  });
  switch (result.status) {
    case "saved":
      return redirect(`/conventions/${convention.id}?enregistre=${result.version}`);
    case "unchanged":
      return redirect(`/conventions/${convention.id}?inchange=1`);
    case "invalid":
      return { kind: "invalid" as const, stamp, data: result.data, intitule, version, errors: result.errors };
    case "stale":
    case "refused":
      return { kind: "conflict" as const, stamp, data: result.data, intitule, version, notice: result.message };
    case "not_found":
      throw new Response(CONVENTION_NOT_FOUND, { status: 404 });
  }
}

/** A forged field name (`constructor.prototype.x`, `articles[99999999]`…) is refused whole, with its reason. */
function parseNested(entries: [string, FormDataEntryValue][]) {
  try {
    return fromFormEntries(entries);
  } catch (error) {
    if (isFormShapeError(error)) throw new Response(error.message, { status: 400, statusText: "Formulaire invalide" });
    throw error;
  }
}

export default function EditConvention() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const data = answer?.data ?? loaded.data;
  return (
    <Page
      title="Modifier le brouillon"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: loaded.intitule, href: `/conventions/${loaded.id}` },
      ]}
    >
      <p className={fr.cx("fr-text--lead")}>{loaded.intitule}</p>
      <p>
        Version {loaded.version}. Vous pouvez enregistrer un brouillon incomplet ; il ne pourra être prévisualisé et envoyé en signature qu'une
        fois complet. Une valeur mal formée (code UO, montant, date…) empêche l'enregistrement : le message s'affiche à côté du champ.
      </p>
      {answer && "notice" in answer && answer.notice ? (
        <Alert severity={answer.kind === "conflict" ? "error" : "warning"} title={answer.kind === "conflict" ? "Enregistrement refusé" : "Action impossible"} description={answer.notice} className={fr.cx("fr-mb-3w")} />
      ) : null}
      {!answer && loaded.missing.length ? (
        <Alert
          severity="info"
          small
          className={fr.cx("fr-mb-3w")}
          description={
            <>
              Ce brouillon est incomplet : {loaded.missing.length} élément{loaded.missing.length > 1 ? "s" : ""} à renseigner (
              <Link to={`/conventions/${loaded.id}#a-completer`}>voir la liste</Link>).
            </>
          }
        />
      ) : null}
      <ConventionForm
        data={data}
        intitule={answer?.intitule ?? loaded.intitule}
        version={answer?.version ?? loaded.version}
        serverErrors={answer?.kind === "invalid" ? answer.errors : undefined}
        focus={answer?.kind === "edit" ? answer.focus : undefined}
        message={answer?.kind === "edit" ? answer.message : undefined}
        stamp={answer?.stamp}
        templateTitle={loaded.templateTitle}
        templateOptions={loaded.templateOptions}
        warnings={loaded.warnings}
        unsaved={answer !== undefined}
      />
    </Page>
  );
}
