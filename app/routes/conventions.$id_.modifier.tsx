import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AvenantForm } from "~/components/avenant-form";
import { ConventionForm } from "~/components/convention-form";
import { TerminationForm } from "~/components/termination-form";
import { now } from "~/clock.server";
import { parisDate, terminationEffectiveDate } from "~/domain/dates";
import type { FieldError } from "~/domain/convention";
import { applyAvenantIntent, avenantBaseView, readAvenantForm } from "~/domain/forms/avenant";
import { renderArticlePreview } from "~/components/convention-form/article-preview";
import { readTerminationForm } from "~/domain/forms/termination";
import { getConventionVisibleTo } from "~/models/conventions.server";
import { saveAvenant } from "~/services/save-avenant.server";
import { saveTermination } from "~/services/save-termination.server";
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
  // A compte rendu d'exécution is not typed: its figures are the recorded spending lines (issue 15).
  if (convention.kind === "compte_rendu") throw new Response("Le compte rendu d'exécution reprend les dépenses enregistrées : il ne se modifie pas.", { status: 409, statusText: "Document non modifiable" });
  return { user, convention };
}

type Loaded = Awaited<ReturnType<typeof loadDraft>>;

/** An avenant or a termination notice is edited with its own form (the act's kind decides). */
async function actEditor(context: LoaderFunctionArgs["context"], { user, convention }: Loaded) {
  const parent = convention.parent_id ? await getConventionVisibleTo(context.db, convention.parent_id, user.organisation_id) : undefined;
  const common = { id: convention.id, intitule: convention.title, version: convention.version, parent: parent ? { id: parent.id, title: parent.title } : null };
  const data = (convention.data ?? {}) as Record<string, any>;
  const base = avenantBaseView(data.base);
  if (convention.kind === "avenant") {
    // Each article as it reads in the convention: its fields replaced by the convention's values.
    const baseData = (data.base ?? {}) as Record<string, unknown>;
    base.articles = base.articles.map((a) => {
      const shown = renderArticlePreview(baseData, a.numero - 1, a.titre, a.corps);
      return shown.ok ? { ...a, html: shown.html } : a;
    });
    return { ...common, kind: "avenant" as const, numero: typeof data.numero === "number" ? data.numero : convention.avenant_number, draft: readAvenantForm(data), base };
  }
  const preavisMois = typeof data.base?.preavisMois === "number" ? data.base.preavisMois : 3;
  return {
    ...common,
    kind: "resiliation" as const,
    draft: readTerminationForm(data),
    parties: base.parties.map((p) => ({ value: p.value, nom: p.nom })),
    preavisMois,
    earliestDate: terminationEffectiveDate({ notifiedOn: parisDate(now()), preavisMois, communAccord: false }),
  };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const loaded = await loadDraft(request, context, params.id ?? "");
  if (loaded.convention.kind === "avenant" || loaded.convention.kind === "resiliation") return actEditor(context, loaded);
  const { convention } = loaded;
  const data = normaliseDraft(convention.data as Record<string, unknown>);
  // The form names the draft's template by its title and offers only the frame options it has.
  const template = conventionTemplates().find((t) => t.name === (data.modele ?? convention.template));
  return { kind: "convention" as const, id: convention.id, intitule: convention.title, version: convention.version, data, missing: checkDraft(data).missing, warnings: periodProblems(data, parisToday()), templateTitle: template?.titre, templateOptions: template?.options };
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
  if (convention.kind === "avenant" || convention.kind === "resiliation") {
    const fields = parseNested([...form.entries()].filter(([k]) => !["intent", "version"].includes(k)));
    return saveAct(context, { user, convention, intent, version, form: fields, stamp, meta: requestMeta(request, context) });
  }

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

type SaveActInput = { user: Loaded["user"]; convention: Loaded["convention"]; intent: string; version: number; form: Record<string, unknown>; stamp: string; meta: ReturnType<typeof requestMeta> };

/** The avenant's and the notice's saves (and the avenant's add/move/remove buttons). */
async function saveAct(context: ActionFunctionArgs["context"], { user, convention, intent, version, form, stamp, meta }: SaveActInput): Promise<ActAnswer | Response> {
  if (convention.kind === "avenant" && intent !== "enregistrer") {
    const years = avenantBaseView((convention.data as Record<string, any>)?.base).echeancier.map((e) => e.annee);
    const result = applyAvenantIntent(readAvenantForm(form), intent, { lastYear: years.length ? Math.max(...years) : undefined });
    if (!result) throw new Response("Action inconnue.", { status: 400 });
    return { kind: "act-edit", stamp, version, avenant: result.draft, focus: result.focus, message: result.error ?? result.message, notice: result.error };
  }
  const input = { expectedVersion: version, form };
  const result = convention.kind === "avenant" ? await saveAvenant(context.db, user, convention.id, input, meta) : await saveTermination(context.db, user, convention.id, input, meta);
  const shown = convention.kind === "avenant" ? { avenant: readAvenantForm(form) } : { resiliation: readTerminationForm(form) };
  switch (result.status) {
    case "saved":
      return redirect(`/conventions/${convention.id}?enregistre=${result.version}`);
    case "unchanged":
      return redirect(`/conventions/${convention.id}?inchange=1`);
    case "invalid":
      return { kind: "act-invalid", stamp, version, ...shown, errors: result.errors };
    case "stale":
    case "refused":
      return { kind: "act-conflict", stamp, version, ...shown, notice: result.message };
    case "not_found":
      throw new Response(CONVENTION_NOT_FOUND, { status: 404 });
  }
}

type ActAnswer = {
  kind: "act-edit" | "act-invalid" | "act-conflict";
  stamp: string;
  version: number;
  avenant?: ReturnType<typeof readAvenantForm>;
  resiliation?: ReturnType<typeof readTerminationForm>;
  errors?: FieldError[];
  focus?: string;
  message?: string;
  notice?: string;
};

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
  return loaded.kind === "convention" ? <EditConventionDraft /> : <EditAct />;
}

function EditAct() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActAnswer | undefined;
  if (loaded.kind === "convention") return null;
  const trail = [
    { label: "Conventions", href: "/conventions" },
    ...(loaded.parent ? [{ label: loaded.parent.title, href: `/conventions/${loaded.parent.id}` }] : []),
    { label: loaded.intitule, href: `/conventions/${loaded.id}` },
  ];
  const notice = answer?.notice;
  return (
    <Page title={loaded.kind === "avenant" ? `Modifier l'avenant n° ${loaded.numero ?? ""}`.trim() : "Modifier la notification de résiliation"} trail={trail}>
      <p className={fr.cx("fr-text--lead")}>{loaded.intitule}</p>
      {loaded.parent ? (
        <p>
          {loaded.kind === "avenant" ? "Avenant à la convention" : "Résiliation de la convention"} <Link to={`/conventions/${loaded.parent.id}`}>{loaded.parent.title}</Link>. Version{" "}
          {loaded.version}.
        </p>
      ) : null}
      {notice ? (
        <Alert severity={answer?.kind === "act-conflict" ? "error" : "warning"} title={answer?.kind === "act-conflict" ? "Enregistrement refusé" : "Action impossible"} description={notice} className={fr.cx("fr-mb-3w")} />
      ) : null}
      {loaded.kind === "avenant" ? (
        <>
          <p>
            Décrivez chaque modification de la convention telle qu'elle est aujourd'hui. Les articles sont désignés par leur numéro actuel ; l'avenant
            indique ensuite la nouvelle numérotation. Une fois signé, la convention est consolidée.
          </p>
          <AvenantForm
            draft={answer?.avenant ?? loaded.draft}
            base={loaded.base}
            version={answer?.version ?? loaded.version}
            serverErrors={answer?.kind === "act-invalid" ? answer.errors : undefined}
            focus={answer?.kind === "act-edit" ? answer.focus : undefined}
            message={answer?.kind === "act-edit" ? answer.message : undefined}
            stamp={answer?.stamp}
          />
        </>
      ) : (
        <TerminationForm
          draft={answer?.resiliation ?? loaded.draft}
          parties={loaded.parties}
          earliestDate={loaded.earliestDate}
          preavisMois={loaded.preavisMois}
          version={answer?.version ?? loaded.version}
          serverErrors={answer?.kind === "act-invalid" ? answer.errors : undefined}
          stamp={answer?.stamp}
        />
      )}
    </Page>
  );
}

function EditConventionDraft() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Exclude<Awaited<ReturnType<typeof action>>, ActAnswer | Response> | undefined;
  if (loaded.kind !== "convention") return null;
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
