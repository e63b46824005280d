import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CircuitDocument, CircuitStyles } from "~/components/circuit-document";
import { SignaturePlace } from "~/components/signature-place";
import { CircuitProgress } from "~/components/circuit-progress";
import { ConventionSummary } from "~/components/convention-summary";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { normaliseDraft } from "~/domain/convention-draft";
import { listConventionParties } from "~/models/conventions.server";
import { approveStep } from "~/services/approve-step.server";
import { CircuitError, type Actor } from "~/services/circuit-shared.server";
import { requireConventionAccess } from "~/services/convention-access.server";
import { availableDocuments, circuitProgress, isInvolved, myTurn } from "~/services/circuit-view.server";
import { declineStep } from "~/services/decline-step.server";
import { recordConsultation } from "~/services/record-consultation.server";
import { renderDraftHtml } from "~/services/render-draft.server";
import { sendSigningCode } from "~/services/send-signing-code.server";
import { signaturePlace } from "~/services/signature-place.server";
import { signStep, WrongCodeError } from "~/services/sign-step.server";
import { requestMeta, requireUser, type CurrentUser } from "~/session.server";
import { forLog } from "~/http/log.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Signer — ${data?.convention.title ?? "Convention"} — Paraphe` }];

async function load(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const user = await requireUser(request, context);
  // Members of the circuit belong to a party, and a delegate to the titular's organisation:
  // anyone else gets the same 404 as for a convention that does not exist.
  return { user, convention: await requireConventionAccess(context.db, user, id, "sign") };
}

const actorOf = (user: CurrentUser, request: Request, context: LoaderFunctionArgs["context"]): Actor => {
  const meta = requestMeta(request, context);
  return { id: user.id, authMethod: user.auth_method, ip: meta.ip, userAgent: meta.userAgent };
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, convention } = await load(request, context, params.id ?? "");
  const db = context.db;
  const steps = await circuitProgress(db, convention.id);
  const involved = await isInvolved(db, steps, user.id);
  if (request.method === "GET" && involved && convention.status === "en_signature") {
    await recordConsultation(db, actorOf(user, request, context), convention.id);
  }
  const [turn, parties, docs] = await Promise.all([
    myTurn(db, convention.status, steps, user.id),
    listConventionParties(db, convention.id),
    availableDocuments(db, convention.id, convention.circuit_round),
  ]);
  // The document's headings sit under the page's « Le document » (h2).
  const rendered = renderDraftHtml(convention.data, 2);
  const url = new URL(request.url);
  const mine = steps.flatMap((s) => s.members).filter((m) => m.personId === user.id || m.actedById === user.id);
  const signedByMe = mine.find((m) => m.status === "signe" && m.actedById === user.id);
  const visaByMe = mine.find((m) => m.status === "vise" && m.actedById === user.id);
  const laterStep = !turn && convention.status === "en_signature" ? steps.find((s) => s.status === "en_attente" && s.members.some((m) => m.personId === user.id)) : undefined;
  // Where the person signs: page and box in the document as it stands (signature steps only).
  const place = docs.toSign && (turn?.kind === "signature" || signedByMe) ? await signaturePlace(db, convention, steps, { id: user.id, memberId: turn?.memberId }) : null;
  return {
    convention: { id: convention.id, title: convention.title, status: convention.status, reference: convention.reference, sha256: convention.frozen_sha256 },
    parties,
    data: normaliseDraft(convention.data as Record<string, unknown>),
    html: rendered.ok ? rendered.html : null,
    steps,
    turn,
    involved,
    docs,
    signedAt: signedByMe?.actedAt ?? null,
    visaAt: visaByMe?.actedAt ?? null,
    laterStep: laterStep ? { position: laterStep.position, label: laterStep.label } : null,
    justSigned: url.searchParams.has("signe") && Boolean(signedByMe),
    justApproved: url.searchParams.has("vise") && Boolean(visaByMe),
    justDeclined: url.searchParams.has("refuse") && mine.some((m) => m.status === "refuse" && m.actedById === user.id),
    isSignataire: user.roles.includes("signataire"),
    place,
  };
}

type ActionResult = { intent: string; error?: string; wrongCode?: boolean; codeSent?: boolean; motif?: string };

export async function action({ request, context, params }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const { user, convention } = await load(request, context, params.id ?? "");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = actorOf(user, request, context);
  const deps = { config: context.config, pki: context.pki };
  const back = `/conventions/${convention.id}/signer`;
  try {
    switch (intent) {
      case "code":
        await sendSigningCode(context.db, deps, actor, convention.id);
        return { intent, codeSent: true };
      case "signer":
        await signStep(context.db, deps, actor, convention.id, String(form.get("code") ?? ""));
        return redirect(`${back}?signe=1#resultat`);
      case "viser":
        await approveStep(context.db, deps, actor, convention.id);
        return redirect(`${back}?vise=1#resultat`);
      case "refuser": {
        const motif = String(form.get("motif") ?? "");
        if (!motif.trim()) return { intent, error: "Indiquez le motif du refus : il sera transmis aux rédacteurs.", motif };
        await declineStep(context.db, deps, actor, convention.id, motif);
        return redirect(`${back}?refuse=1#resultat`);
      }
      default:
        return { intent, error: "Action inconnue : rechargez la page." };
    }
  } catch (error) {
    if (error instanceof CircuitError) {
      console.warn(`[circuit] ${user.email} ${forLog(intent)} sur ${convention.id} refusé : ${forLog(error.message)}`);
      return { intent, error: error.message, wrongCode: error instanceof WrongCodeError, motif: intent === "refuser" ? String(form.get("motif") ?? "") : undefined };
    }
    throw error;
  }
}

function ActionPanel() {
  const { convention, turn, laterStep, signedAt, visaAt, involved, docs, place } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const pending = navigation.formData?.get("intent");
  const codeError = answer?.intent === "signer" && answer.error ? answer.error : undefined;
  const showCode = turn?.kind === "signature" && (turn.codePending || answer?.codeSent || answer?.intent === "signer");

  if (!turn) {
    let message: string;
    if (signedAt) message = `Vous avez signé ce document le ${formatDateTime(signedAt)}.`;
    else if (visaAt) message = `Vous avez visé ce document le ${formatDateTime(visaAt)}.`;
    else if (laterStep) message = `Ce n'est pas encore votre tour : vous interviendrez à l'étape ${laterStep.position} (${laterStep.label}). Vous recevrez un e-mail.`;
    else if (convention.status === "brouillon") message = "Ce document n'est pas en cours de signature : il a été renvoyé aux rédacteurs ou son circuit n'est pas lancé.";
    else if (convention.status === "en_signature") message = involved ? "Aucune action ne vous est demandée pour l'instant." : "Vous n'êtes pas invité(e) à signer ce document.";
    else message = "Le circuit de signature de ce document est terminé.";
    return (
      <div className="paraphe-action">
        <h2 className={fr.cx("fr-h5")}>Votre action</h2>
        {answer?.error ? <Alert severity="error" title="Action impossible" description={answer.error} className={fr.cx("fr-mb-2w")} /> : null}
        <p className={fr.cx("fr-mb-2w")}>{message}</p>
        {place && signedAt ? <SignaturePlace conventionId={convention.id} place={place} /> : null}
        {docs.signed ? (
          <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--icon-left", "fr-icon-download-line")} href={`/conventions/${convention.id}/signe.pdf`} download>
            Télécharger le document signé
          </a>
        ) : null}
      </div>
    );
  }

  return (
    <div className="paraphe-action">
      <h2 className={fr.cx("fr-h5")}>{turn.kind === "visa" ? "Votre visa" : "Votre signature"}</h2>
      <p className={fr.cx("fr-text--sm")}>
        Étape {turn.stepPosition} : {turn.stepLabel}
        {turn.onBehalfOf ? (
          <>
            <br />
            <strong>Pour {turn.onBehalfOf} et par délégation.</strong>
          </>
        ) : null}
      </p>
      {answer?.error && answer.intent !== "signer" && answer.intent !== "refuser" ? (
        <Alert severity="error" small description={answer.error} className={fr.cx("fr-mb-2w")} />
      ) : null}
      {turn.kind === "visa" ? (
        <Form method="post" replace>
          <p>Votre visa atteste que vous avez relu le document. Il n'ajoute pas de signature au PDF.</p>
          <Button type="submit" iconId="fr-icon-check-line" iconPosition="left" value="viser" nativeButtonProps={{ name: "intent" }} disabled={busy}>
            Viser le document
          </Button>
        </Form>
      ) : (
        <>
          {place ? <SignaturePlace conventionId={convention.id} place={place} /> : null}
          <p className={fr.cx("fr-text--sm")}>
            Pour signer, saisissez le code à 6 chiffres envoyé à votre adresse électronique. Il est valable 10 minutes.
          </p>
          {answer?.codeSent ? <Alert severity="success" small description="Code envoyé : consultez votre messagerie." className={fr.cx("fr-mb-2w")} /> : null}
          {showCode ? (
            <Form method="post" replace className={fr.cx("fr-mb-2w")}>
              <Input
                label="Code de signature"
                hintText="6 chiffres, reçus par e-mail"
                state={codeError ? "error" : "default"}
                stateRelatedMessage={codeError}
                nativeInputProps={{
                  name: "code",
                  inputMode: "numeric",
                  autoComplete: "one-time-code",
                  pattern: "[0-9]{6}",
                  maxLength: 6,
                  required: true,
                  autoFocus: Boolean(answer?.codeSent || codeError),
                }}
              />
              <Button type="submit" iconId="fr-icon-edit-line" iconPosition="left" value="signer" nativeButtonProps={{ name: "intent" }} disabled={busy}>
                {busy && pending === "signer" ? "Signature en cours…" : "Signer"}
              </Button>
            </Form>
          ) : null}
          <Form method="post" replace className={fr.cx("fr-mb-2w")}>
            <Button
              type="submit"
              priority={showCode ? "tertiary" : "primary"}
              size={showCode ? "small" : "medium"}
              iconId="fr-icon-mail-line"
              iconPosition="left"
              value="code"
              nativeButtonProps={{ name: "intent" }}
              disabled={busy}
            >
              {showCode ? "Recevoir un nouveau code" : "Recevoir mon code"}
            </Button>
          </Form>
        </>
      )}
      <hr className={fr.cx("fr-mt-2w")} />
      <h3 className={fr.cx("fr-h6")}>Refuser de {turn.kind === "visa" ? "viser" : "signer"}</h3>
      <Form method="post" replace>
        <Input
          textArea
          label="Motif du refus"
          hintText="Obligatoire. Le document retourne aux rédacteurs, qui reçoivent ce motif."
          state={answer?.intent === "refuser" && answer.error ? "error" : "default"}
          stateRelatedMessage={answer?.intent === "refuser" ? answer.error : undefined}
          nativeTextAreaProps={{ name: "motif", rows: 3, required: true, maxLength: 2000, defaultValue: answer?.motif ?? "" }}
        />
        <Button type="submit" priority="secondary" iconId="fr-icon-close-line" iconPosition="left" value="refuser" nativeButtonProps={{ name: "intent" }} disabled={busy}>
          Refuser
        </Button>
      </Form>
    </div>
  );
}

export default function SignPage() {
  const { convention, parties, data, html, steps, docs, justSigned, justApproved, justDeclined, isSignataire } = useLoaderData<typeof loader>();
  const completed = convention.status !== "en_signature" && convention.status !== "brouillon" && docs.certificate;
  return (
    <Page title={convention.title} trail={isSignataire ? [{ label: "À signer", href: "/a-signer" }] : [{ label: "Tableau de bord", href: "/tableau-de-bord" }]}>
      <div id="resultat">
        {justSigned ? (
          <Alert
            severity="success"
            title="Votre signature a été apposée"
            className={fr.cx("fr-mb-3w")}
            description={
              <>
                <p>
                  {completed
                    ? "Toutes les signatures sont recueillies : le document final est horodaté et le certificat de signature est disponible."
                    : "Le document signé est enregistré ; la personne suivante du circuit a été invitée par e-mail."}
                </p>
                <p className={fr.cx("fr-mt-1w")}>
                  <a className={fr.cx("fr-link", "fr-icon-download-line", "fr-link--icon-left")} href={`/conventions/${convention.id}/signe.pdf`} download>
                    Télécharger le document signé (PDF)
                  </a>
                </p>
              </>
            }
          />
        ) : null}
        {justApproved ? <Alert severity="success" title="Votre visa est enregistré" description="L'étape suivante du circuit a été lancée." className={fr.cx("fr-mb-3w")} /> : null}
        {justDeclined ? (
          <Alert
            severity="info"
            title="Votre refus est enregistré"
            description="Le document retourne aux rédacteurs sous forme de brouillon, avec votre motif. Vous serez invité(e) à nouveau quand il sera relancé."
            className={fr.cx("fr-mb-3w")}
          />
        ) : null}
      </div>
      <p>
        <StatusBadge status={convention.status} />{" "}
        {parties.map((p, i) => (
          <span key={p.id}>
            {i ? " ; " : ""}
            {p.name} ({p.role === "delegant" ? "délégant" : "délégataire"})
          </span>
        ))}
      </p>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        {/* First in reading order and on a phone; on the right from 992 px. */}
        <div className={`${fr.cx("fr-col-12", "fr-col-lg-4")} paraphe-action-col`}>
          <ActionPanel />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
          <h2 className={fr.cx("fr-h4")}>Le document</h2>
          {docs.toSign ? (
            <CircuitDocument title={convention.title} pdfUrl={`/conventions/${convention.id}/a-signer.pdf`} html={html} />
          ) : (
            <>
              <CircuitStyles />
              <p>Aucun document n'a encore été figé pour signature.</p>
            </>
          )}
          {convention.sha256 ? (
            <p className={fr.cx("fr-text--xs", "fr-mt-1w")}>
              Empreinte SHA-256 du document figé : <code>{convention.sha256}</code>
            </p>
          ) : null}
        </div>
      </div>
      <section className={fr.cx("fr-mt-6w")}>
        <ConventionSummary data={data} />
      </section>
      <section className={fr.cx("fr-mt-4w")}>
        <h2 className={fr.cx("fr-h3")}>Circuit de signature</h2>
        <CircuitProgress steps={steps} running={convention.status === "en_signature"} headingLevel={3} />
      </section>
      <p className={fr.cx("fr-mt-4w")}>
        <Link to={`/conventions/${convention.id}`}>Voir la page de la convention et son historique</Link>
      </p>
    </Page>
  );
}
