import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ConventionSummary, DraftProblems } from "~/components/convention-summary";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { normaliseDraft } from "~/domain/convention-draft";
import { listConventionVersions } from "~/models/convention-versions.server";
import { listAuditEvents, listConventionParties } from "~/models/conventions.server";
import { requireConventionAccess } from "~/services/convention-access.server";
import { draftProblems } from "~/services/render-draft.server";
import { requireUser } from "~/session.server";
import { CircuitStyles } from "~/components/circuit-document";
import { CircuitProgress } from "~/components/circuit-progress";
import { eventLabel } from "~/domain/events";
import { availableDocuments, circuitProgress, myTurn } from "~/services/circuit-view.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.convention.title ?? "Convention"} — Paraphe` }];

const EVENT_LABELS: Record<string, string> = {
  brouillon_cree: "Brouillon créé",
  brouillon_modifie: "Brouillon enregistré",
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "read");
  const id = convention.id;
  const [parties, events, versions] = await Promise.all([listConventionParties(context.db, id), listAuditEvents(context.db, id), listConventionVersions(context.db, id)]);
  const data = normaliseDraft(convention.data as Record<string, unknown>);
  const problems = draftProblems(data);
  const circuit = await circuitProgress(context.db, id);
  const [turn, docs] = await Promise.all([myTurn(context.db, convention.status, circuit, user.id), availableDocuments(context.db, id, convention.circuit_round)]);
  const url = new URL(request.url);
  const saved = Number(url.searchParams.get("enregistre")) || null;
  return {
    convention: {
      id: convention.id,
      title: convention.title,
      reference: convention.reference,
      status: convention.status,
      version: convention.version,
      updatedAt: convention.updated_at.toISOString(),
    },
    data,
    problems,
    editable: convention.status === "brouillon" && user.roles.includes("redacteur"),
    saved: saved ? versions.find((v) => v.version === saved)?.summary ?? null : null,
    savedVersion: saved,
    unchanged: url.searchParams.has("inchange"),
    parties,
    lastVersion: versions[0] ? { author: `${versions[0].first_name} ${versions[0].last_name}`, at: new Date(versions[0].created_at).toISOString() } : null,
    events: events.map((e) => ({ ...e, created_at: new Date(e.created_at).toISOString() })),
    circuit,
    docs,
    turn: turn ? { kind: turn.kind, onBehalfOf: turn.onBehalfOf } : null,
    declineReason: convention.status === "brouillon" ? convention.decline_reason : null,
    isRedacteur: user.roles.includes("redacteur"),
  };
}

export default function ConventionPage() {
  const { convention, data, problems, editable, saved, savedVersion, unchanged, parties, lastVersion, events, circuit, docs, turn, declineReason, isRedacteur } = useLoaderData<typeof loader>();
  const isDraft = convention.status === "brouillon";
  const complete = problems.length === 0;
  return (
    <Page title={convention.title} trail={[{ label: "Conventions", href: "/conventions" }]}>
      {saved ? (
        <Alert severity="success" title={`Version ${savedVersion} enregistrée`} description={saved} className={fr.cx("fr-mb-3w")} />
      ) : null}
      {declineReason ? (
        <Alert
          severity="warning"
          title="Signature refusée : le document est revenu en brouillon"
          description={
            <>
              Motif du refus : <q>{declineReason}</q>
            </>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {turn ? (
        <Alert
          severity="info"
          title={turn.kind === "visa" ? "Votre visa est attendu" : "Votre signature est attendue"}
          description={
            <>
              {turn.onBehalfOf ? `Pour ${turn.onBehalfOf} et par délégation. ` : ""}
              <a href={`/conventions/${convention.id}/signer`}>Ouvrir la page de signature</a>
            </>
          }
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {unchanged ? <Alert severity="info" small description="Aucune modification à enregistrer." className={fr.cx("fr-mb-3w")} /> : null}
      <p>
        <StatusBadge status={convention.status} /> Version {convention.version}, mise à jour le {formatDateTime(convention.updatedAt)}
        {lastVersion ? ` par ${lastVersion.author}` : ""}
        {convention.reference ? <> — référence {convention.reference}</> : null}
      </p>
      <p className={fr.cx("fr-text--sm")}>
        Parties enregistrées :{" "}
        {parties.map((p, i) => (
          <span key={p.id}>
            {i ? " ; " : ""}
            {p.name} ({p.role === "delegant" ? "délégant" : "délégataire"})
          </span>
        ))}
      </p>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left", "fr-mb-2w")}>
        {editable ? (
          <li>
            <Button iconId="fr-icon-edit-line" linkProps={{ to: `/conventions/${convention.id}/modifier` }}>
              Modifier
            </Button>
          </li>
        ) : null}
        {complete ? (
          <>
            <li>
              <Button priority="secondary" iconId="fr-icon-eye-line" linkProps={{ to: `/conventions/${convention.id}/apercu` }}>
                Aperçu
              </Button>
            </li>
            {isDraft ? (
              // Once launched, the frozen and signed documents below are the ones that count, not a fresh render.
              <li>
                <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--icon-left", "fr-icon-download-line")} href={`/conventions/${convention.id}/document.pdf?telecharger=1`} download>
                  Télécharger le PDF
                </a>
              </li>
            ) : null}
          </>
        ) : null}
        {!isDraft && docs.toSign && !docs.signed ? (
          <li>
            <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--icon-left", "fr-icon-download-line")} href={`/conventions/${convention.id}/a-signer.pdf`} download>
              Document à signer
            </a>
          </li>
        ) : null}
        {isRedacteur ? (
          <li>
            <Button priority="secondary" iconId="fr-icon-team-line" linkProps={{ to: `/conventions/${convention.id}/circuit` }}>
              Circuit de signature
            </Button>
          </li>
        ) : null}
        {docs.signed ? (
          <li>
            <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--icon-left", "fr-icon-download-line")} href={`/conventions/${convention.id}/signe.pdf`} download>
              Document signé
            </a>
          </li>
        ) : null}
        {docs.certificate ? (
          <li>
            <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--icon-left", "fr-icon-file-pdf-line")} href={`/conventions/${convention.id}/certificat.pdf`} download>
              Certificat de signature
            </a>
          </li>
        ) : null}
        <li>
          <Button priority="tertiary" iconId="fr-icon-mail-line" linkProps={{ to: `/conventions/${convention.id}/transmission` }}>
            Transmission
          </Button>
        </li>
        <li>
          <Button priority="tertiary" iconId="ri-history-line" linkProps={{ to: `/conventions/${convention.id}/versions` }}>
            Versions
          </Button>
        </li>
      </ul>
      {isDraft ? <DraftProblems id={convention.id} problems={problems} editable={editable} /> : null}
      <ConventionSummary data={data} />
      {circuit.length ? (
        <section className={fr.cx("fr-mt-4w")}>
          <CircuitStyles />
          <h2 className={fr.cx("fr-h4")}>Circuit de signature</h2>
          <CircuitProgress steps={circuit} running={convention.status === "en_signature"} headingLevel={3} />
        </section>
      ) : null}
      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Historique</h2>
      {events.length === 0 ? (
        <p>Aucun évènement pour l'instant.</p>
      ) : (
        <ol>
          {events.map((e) => (
            <li key={e.id}>
              {formatDateTime(e.created_at)} — {EVENT_LABELS[e.type] ?? eventLabel(e.type)}
              {e.first_name ? ` par ${e.first_name} ${e.last_name}` : ""}
              {typeof (e.payload as any)?.summary === "string" ? ` : ${(e.payload as any).summary}` : ""}
              {typeof (e.payload as any)?.motif === "string" && (e.payload as any).motif ? ` — motif : « ${(e.payload as any).motif} »` : ""}
              {typeof (e.payload as any)?.to === "string" ? ` à ${(e.payload as any).to}` : ""}
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
