import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { applyCircuitIntent, CircuitEditor, stepsFromForm, type Block, type Candidate } from "~/components/circuit-editor";
import { CircuitStyles } from "~/components/circuit-document";
import { CircuitProgress } from "~/components/circuit-progress";
import { Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { circuitProblems, fieldNameOfBlock, type CircuitStepInput } from "~/domain/circuit";
import { fieldId, fieldNameFor } from "~/domain/convention-draft";
import { fromFormEntries, isFormShapeError } from "~/domain/form-entries";
import { CircuitError, type Actor } from "~/services/circuit-shared.server";
import { requireConventionAccess } from "~/services/convention-access.server";
import { circuitProgress } from "~/services/circuit-view.server";
import { launchCircuit } from "~/services/launch-circuit.server";
import { resendInvitation } from "~/services/resend-invitation.server";
import { launchReadiness } from "~/services/launch-readiness.server";
import { circuitCandidates, proposedCircuit, setCircuit, signatureBlocks } from "~/services/set-circuit.server";
import { stopCircuit } from "~/services/stop-circuit.server";
import { requestMeta, requireUser, type CurrentUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Circuit de signature — ${data?.convention.title ?? "Convention"} — Paraphe` }];

async function load(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const user = await requireUser(request, context);
  return { user, convention: await requireConventionAccess(context.db, user, id, "edit") };
}

const actorOf = (user: CurrentUser, request: Request, context: LoaderFunctionArgs["context"]): Actor => {
  const meta = requestMeta(request, context);
  return { id: user.id, authMethod: user.auth_method, ip: meta.ip, userAgent: meta.userAgent };
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { convention } = await load(request, context, params.id ?? "");
  const db = context.db;
  const [proposal, rawCandidates, progress] = await Promise.all([
    proposedCircuit(db, convention.id, convention.data),
    circuitCandidates(db, convention.id),
    circuitProgress(db, convention.id),
  ]);
  const blocks: Block[] = signatureBlocks(convention.data).map((b) => ({
    fieldName: fieldNameOfBlock(b.index),
    party: b.party,
    label: `${b.libelle.replace(/,\s*$/, "")} — ${b.name || "nom à compléter"}`,
  }));
  const candidates: Candidate[] = rawCandidates.map((c) => ({
    id: c.id,
    name: `${c.first_name} ${c.last_name}`,
    organisation: c.organisation,
    party: c.party,
    signataire: c.roles.includes("signataire"),
    jobTitle: c.job_title,
  }));
  const url = new URL(request.url);
  return {
    convention: { id: convention.id, title: convention.title, status: convention.status, declineReason: convention.decline_reason, round: convention.circuit_round },
    saved: proposal.saved,
    steps: proposal.steps,
    rawBlocks: signatureBlocks(convention.data),
    blocks,
    candidates,
    progress,
    // What keeps the draft from being launched, in plain words (missing items, period rules, no CBCM).
    readiness: convention.status === "brouillon" ? (await launchReadiness(db, convention)).items : [],
    flash: url.searchParams.has("enregistre") ? "enregistre" : url.searchParams.has("lance") ? "lance" : url.searchParams.has("renvoye") ? "renvoye" : url.searchParams.has("interrompu") ? "interrompu" : null,
    confirm: url.searchParams.has("confirmer"),
  };
}

type ActionResult = { kind: "edit"; steps: CircuitStepInput[]; message: string; stamp: string } | { kind: "error"; error: string; steps?: CircuitStepInput[]; stamp: string; field?: string };

export async function action({ request, context, params }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const { user, convention } = await load(request, context, params.id ?? "");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = actorOf(user, request, context);
  const deps = { config: context.config, pki: context.pki };
  const base = `/conventions/${convention.id}/circuit`;
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  let steps: CircuitStepInput[];
  try {
    steps = stepsFromForm(fromFormEntries([...form.entries()].filter(([k]) => k.startsWith("steps["))));
  } catch (error) {
    // A forged field name is refused whole, with its reason (never written onto an object).
    if (isFormShapeError(error)) return { kind: "error", error: error.message, stamp };
    throw error;
  }
  try {
    switch (intent) {
      case "enregistrer":
        await setCircuit(context.db, actor, convention.id, { steps });
        return redirect(`${base}?enregistre=1`);
      case "lancer":
        // Saved first, then a confirmation: launching freezes the document.
        await setCircuit(context.db, actor, convention.id, { steps });
        return redirect(`${base}?confirmer=1#confirmation`);
      case "confirmer-lancement":
        await launchCircuit(context.db, deps, actor, convention.id);
        return redirect(`${base}?lance=1`);
      case "renvoyer":
        await resendInvitation(context.db, deps, actor, convention.id, String(form.get("memberId") ?? ""));
        return redirect(`${base}?renvoye=1`);
      case "interrompre": {
        const motif = String(form.get("motif") ?? "").trim();
        if (!motif) return { kind: "error", error: "Indiquez pourquoi vous interrompez le circuit : le motif est transmis aux signataires.", stamp, field: "motif" };
        await stopCircuit(context.db, deps, actor, convention.id, motif);
        return redirect(`${base}?interrompu=1`);
      }
      default: {
        const edited = applyCircuitIntent(steps, intent);
        if (!edited) return { kind: "error", error: "Action inconnue : rechargez la page.", steps, stamp };
        return { kind: "edit", steps: edited.steps, message: edited.message, stamp };
      }
    }
  } catch (error) {
    if (error instanceof CircuitError) return { kind: "error", error: error.message, steps: intent === "enregistrer" || intent === "lancer" ? steps : undefined, stamp };
    throw error;
  }
}

function DraftCircuit() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const steps = answer?.steps ?? loaded.steps;
  // A person row left on « — Choisir — » counts as no one.
  const problems = circuitProblems(
    steps.map((s) => ({ ...s, members: s.members.filter((m) => m.personId) })),
    loaded.rawBlocks,
  );
  const edited = Boolean(answer?.steps);
  const canLaunch = loaded.saved && !edited && problems.length === 0 && loaded.readiness.length === 0;
  return (
    <>
      {loaded.convention.declineReason ? (
        <Alert
          severity="warning"
          title="Le circuit précédent a été refusé"
          description={
            <>
              Motif : <q>{loaded.convention.declineReason}</q>. Modifiez le brouillon si besoin, puis relancez le circuit.
            </>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {loaded.confirm && canLaunch ? (
        <div id="confirmation" className={fr.cx("fr-mb-4w")}>
          <Alert
            severity="warning"
            title="Lancer le circuit de signature ?"
            description={
              <>
                <p>
                  Le document sera <strong>figé</strong> : il est produit une dernière fois en PDF, son empreinte SHA-256 est enregistrée et plus personne ne
                  pourra le modifier. La première étape (« {steps[0]?.label} ») sera invitée par e-mail.
                </p>
                <Form method="post" className={fr.cx("fr-mt-2w")}>
                  <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
                    <li>
                      <Button type="submit" iconId="fr-icon-send-plane-line" value="confirmer-lancement" nativeButtonProps={{ name: "intent" }} disabled={navigation.state !== "idle"}>
                        Confirmer : figer le document et lancer
                      </Button>
                    </li>
                    <li>
                      <Button priority="secondary" linkProps={{ to: `/conventions/${loaded.convention.id}/circuit` }}>
                        Annuler
                      </Button>
                    </li>
                  </ul>
                </Form>
              </>
            }
          />
        </div>
      ) : null}
      {answer?.kind === "error" ? <Alert severity="error" title="Action impossible" description={answer.error} className={fr.cx("fr-mb-3w")} /> : null}
      {answer?.kind === "edit" ? (
        <Alert severity="info" small description={`${answer.message} Modifications non enregistrées : enregistrez le circuit.`} className={fr.cx("fr-mb-3w")} />
      ) : null}
      {loaded.flash === "enregistre" && !answer ? <Alert severity="success" small description="Circuit enregistré." className={fr.cx("fr-mb-3w")} /> : null}
      {loaded.flash === "interrompu" && !answer ? (
        <Alert severity="info" small description="Circuit interrompu : la convention est de nouveau un brouillon. Les signataires en attente ont été prévenus." className={fr.cx("fr-mb-3w")} />
      ) : null}
      <p>
        Définissez qui signe et dans quel ordre. {loaded.saved ? "Voici le circuit enregistré." : "Voici le circuit proposé d'après les blocs de signature du document : vérifiez-le et enregistrez-le."}{" "}
        Par défaut, le délégant signe en premier et le délégataire en dernier. Une étape « visa » enregistre une relecture (juridique, financière) sans
        signature dans le PDF.
      </p>
      {loaded.readiness.length ? (
        <Alert
          severity="warning"
          title="Le circuit ne peut pas encore être lancé"
          description={
            <>
              <p>
                {loaded.readiness.length === 1 ? "Un point reste à régler" : `${loaded.readiness.length} points restent à régler`} :
              </p>
              <ul id="a-regler-avant-lancement">
                {loaded.readiness.map((item) => (
                  <li key={item.path + item.text}>
                    {item.path === "transmission" ? (
                      <Link to={`/conventions/${loaded.convention.id}/transmission`}>{item.text}</Link>
                    ) : (
                      <Link to={`/conventions/${loaded.convention.id}/modifier#${fieldId(fieldNameFor(item.path))}`}>{item.text}</Link>
                    )}
                  </li>
                ))}
              </ul>
            </>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {problems.length ? (
        <Alert
          severity="warning"
          title="À corriger avant le lancement"
          description={
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <Form method="post" noValidate>
        {/* Enter in a field saves: the first submit button of a form is its default. */}
        <button type="submit" name="intent" value="enregistrer" className={fr.cx("fr-sr-only")} tabIndex={-1} aria-hidden="true">
          Enregistrer
        </button>
        <CircuitEditor steps={steps} candidates={loaded.candidates} blocks={loaded.blocks} stamp={answer?.stamp ?? "loaded"} />
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left", "fr-mt-4w")}>
          <li>
            <Button type="submit" iconId="fr-icon-save-line" value="enregistrer" nativeButtonProps={{ name: "intent" }} disabled={navigation.state !== "idle"}>
              Enregistrer le circuit
            </Button>
          </li>
          <li>
            <Button type="submit" priority="secondary" iconId="fr-icon-send-plane-line" value="lancer" nativeButtonProps={{ name: "intent" }} disabled={navigation.state !== "idle"}>
              Lancer le circuit…
            </Button>
          </li>
        </ul>
        <p className={fr.cx("fr-text--sm")}>« Lancer le circuit… » enregistre le circuit puis demande confirmation avant de figer le document.</p>
      </Form>
    </>
  );
}

function RunningCircuit() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const running = loaded.convention.status === "en_signature";
  return (
    <>
      {loaded.flash === "lance" ? (
        <Alert severity="success" title="Circuit lancé" description="Le document est figé. Les personnes de la première étape ont été invitées par e-mail." className={fr.cx("fr-mb-3w")} />
      ) : null}
      {loaded.flash === "renvoye" ? <Alert severity="success" small description="Invitation renvoyée." className={fr.cx("fr-mb-3w")} /> : null}
      {answer?.kind === "error" && answer.field !== "motif" ? <Alert severity="error" title="Action impossible" description={answer.error} className={fr.cx("fr-mb-3w")} /> : null}
      <CircuitProgress
        steps={loaded.progress}
        running={running}
        memberAction={
          running
            ? (step, member) =>
                step.status === "en_cours" && member.status === "en_attente" ? (
                  <Form method="post">
                    <input type="hidden" name="memberId" value={member.id} />
                    <button type="submit" name="intent" value="renvoyer" className={fr.cx("fr-btn", "fr-btn--tertiary", "fr-btn--sm", "fr-btn--icon-left", "fr-icon-mail-line")} disabled={navigation.state !== "idle"}>
                      Renvoyer l'invitation<span className={fr.cx("fr-sr-only")}> à {member.name}</span>
                    </button>
                  </Form>
                ) : (
                  "—"
                )
            : undefined
        }
      />
      {running ? (
        <section className={fr.cx("fr-mt-6w")}>
          <h2 className={fr.cx("fr-h4")}>Interrompre le circuit</h2>
          <p>
            La convention redevient un brouillon modifiable ; les signatures déjà apposées sur ce tour sont abandonnées et les personnes en attente sont
            prévenues par e-mail avec votre motif.
          </p>
          <Form method="post">
            <Input
              textArea
              label="Motif de l'interruption"
              hintText="Obligatoire : il est transmis aux signataires en attente."
              state={answer?.kind === "error" && answer.field === "motif" ? "error" : "default"}
              stateRelatedMessage={answer?.kind === "error" && answer.field === "motif" ? answer.error : undefined}
              nativeTextAreaProps={{ name: "motif", rows: 2, required: true, maxLength: 2000 }}
            />
            <Button type="submit" priority="secondary" iconId="fr-icon-close-circle-line" iconPosition="left" value="interrompre" nativeButtonProps={{ name: "intent" }} disabled={navigation.state !== "idle"}>
              Interrompre le circuit
            </Button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export default function CircuitPage() {
  const { convention } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Circuit de signature"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: convention.title, href: `/conventions/${convention.id}` },
      ]}
    >
      <CircuitStyles />
      <p className={fr.cx("fr-text--lead", "fr-mb-1w")}>{convention.title}</p>
      <p>
        <StatusBadge status={convention.status} />
      </p>
      {convention.status === "brouillon" ? <DraftCircuit /> : <RunningCircuit />}
    </Page>
  );
}
