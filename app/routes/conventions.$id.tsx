import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ConventionSummary, DraftProblems } from "~/components/convention-summary";
import { formatDateTime, Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { PublicationLine } from "~/components/publication-line";
import { normaliseDraft } from "~/domain/convention-draft";
import { lastActor } from "~/domain/last-actor";
import { listConventionVersions } from "~/models/convention-versions.server";
import { getConventionVisibleTo, listAuditEvents, listConventionParties } from "~/models/conventions.server";
import { formatDateLongue, formatEuros } from "~/domain/convention";
import { requireConventionAccess } from "~/services/convention-access.server";
import { draftProblems } from "~/services/render-draft.server";
import { launchOnlyItems } from "~/services/launch-readiness.server";
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
  // An avenant or a notice is checked on its own data (its model, not a convention's).
  const amending = convention.kind === "avenant" || convention.kind === "resiliation" || convention.kind === "compte_rendu";
  const problems = draftProblems(amending ? convention.data : data);
  const circuit = await circuitProgress(context.db, id);
  const [turn, docs] = await Promise.all([myTurn(context.db, convention.status, circuit, user.id), availableDocuments(context.db, id, convention.circuit_round)]);
  const url = new URL(request.url);
  const saved = Number(url.searchParams.get("enregistre")) || null;
  // Life after signature (issue 11): what kind of act this is, its parent, its dates in force.
  const parent = convention.parent_id ? await getConventionVisibleTo(context.db, convention.parent_id, user.organisation_id) : undefined;
  const act = {
    kind: convention.kind,
    imported: convention.origin === "importe",
    justRegistered: url.searchParams.has("importe"),
    avenantNumber: convention.avenant_number,
    parent: parent ? { id: parent.id, title: parent.title } : null,
    endsOn: convention.ends_on,
    terminationOn: convention.termination_effective_on,
    signed: ["signee", "en_vigueur", "expiree", "resiliation_notifiee", "resiliee"].includes(convention.status),
    summary: amending ? actSummary(convention.data) : null,
  };
  return {
    act,
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
    // A compte rendu d'exécution is never typed: its figures are the recorded spending lines.
    editable: convention.status === "brouillon" && user.roles.includes("redacteur") && convention.kind !== "compte_rendu",
    saved: saved ? versions.find((v) => v.version === saved)?.summary ?? null : null,
    savedVersion: saved,
    unchanged: url.searchParams.has("inchange"),
    parties,
    // Who acted last (the signatory who refused, not the last draft's author).
    updatedBy: lastActor(events),
    events: events.map((e) => ({ ...e, created_at: new Date(e.created_at).toISOString() })),
    circuit,
    docs,
    turn: turn ? { kind: turn.kind, onBehalfOf: turn.onBehalfOf } : null,
    declineReason: convention.status === "brouillon" ? convention.decline_reason : null,
    isRedacteur: user.roles.includes("redacteur"),
    // Issue 13: what only blocks the launch (end date past, schedule outside the period, no CBCM).
    launchItems: convention.status === "brouillon" ? await launchOnlyItems(context.db, convention) : [],
    abandoned: url.searchParams.has("abandonne"),
    // Issue 15: the public register and the délégataire's spending.
    publication: { publishable: convention.publishable, reason: convention.unpublished_reason },
  };
}

export default function ConventionPage() {
  const { act, convention, data, problems, editable, saved, savedVersion, unchanged, parties, events, circuit, docs, turn, declineReason, isRedacteur, launchItems, abandoned, publication, updatedBy } = useLoaderData<typeof loader>();
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
      {abandoned ? <Alert severity="info" small description="Brouillon abandonné : il est conservé, en lecture seule, sous le filtre « Annulées »." className={fr.cx("fr-mb-3w")} /> : null}
      {unchanged ? <Alert severity="info" small description="Aucune modification à enregistrer." className={fr.cx("fr-mb-3w")} /> : null}
      {act.justRegistered ? <Alert severity="success" small description="Acte importé enregistré." className={fr.cx("fr-mb-3w")} /> : null}
      <ActLines act={act} status={convention.status} id={convention.id} />
      {act.kind === "compte_rendu" ? null : <PublicationLine id={convention.id} signed={act.signed} spending={act.kind === "convention" && act.signed} canEdit={isRedacteur} {...publication} />}
      <p>
        <StatusBadge status={convention.status} /> Version {convention.version}, mise à jour le {formatDateTime(convention.updatedAt)}
        {updatedBy ? ` par ${updatedBy}` : ""}
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
        {isRedacteur && act.kind === "convention" && convention.status === "en_vigueur" ? (
          <>
            <li>
              <Button priority="secondary" iconId="fr-icon-file-add-line" linkProps={{ to: `/conventions/${convention.id}/avenant` }}>
                Préparer un avenant
              </Button>
            </li>
            <li>
              <Button priority="secondary" iconId="fr-icon-close-circle-line" linkProps={{ to: `/conventions/${convention.id}/resiliation` }}>
                Notifier la résiliation
              </Button>
            </li>
          </>
        ) : null}
        {act.kind === "convention" && act.signed ? (
          <>
            <li>
              <Button priority="tertiary" iconId="ri-git-commit-line" linkProps={{ to: `/conventions/${convention.id}/historique` }}>
                Historique
              </Button>
            </li>
            <li>
              <a className={fr.cx("fr-btn", "fr-btn--tertiary", "fr-btn--icon-left", "fr-icon-file-pdf-line")} href={`/conventions/${convention.id}/consolidee.pdf`}>
                Version consolidée (PDF)
              </a>
            </li>
          </>
        ) : null}
        {isRedacteur && !act.imported ? (
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
      {isDraft ? <DraftProblems id={convention.id} problems={problems} launch={launchItems} editable={editable} /> : null}
      {editable ? (
        <p>
          <Button priority="tertiary no outline" size="small" iconId="fr-icon-delete-line" iconPosition="left" linkProps={{ to: `/conventions/${convention.id}/abandonner` }}>
            Abandonner ce brouillon
          </Button>
        </p>
      ) : null}
      {act.summary ? <ActSummary lines={act.summary} /> : <ConventionSummary data={data} />}
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

type ActView = {
  kind: string;
  imported: boolean;
  avenantNumber: number | null;
  parent: { id: string; title: string } | null;
  endsOn: string | null;
  terminationOn: string | null;
};

/** The act's place in its convention's life: parent link, import, dates in force, termination. */
function ActLines({ act, status, id }: { act: ActView; status: string; id: string }) {
  const lines: JSX.Element[] = [];
  if (act.parent) {
    const what =
      act.kind === "avenant" ? `Avenant n° ${act.avenantNumber ?? "?"} à la convention` : act.kind === "compte_rendu" ? "Compte rendu d'exécution de la convention" : "Notification de résiliation de la convention";
    lines.push(
      <>
        {what} <Link to={`/conventions/${act.parent.id}`}>{act.parent.title}</Link>
      </>,
    );
  }
  if (act.imported) lines.push(<>Acte importé : signé hors de Paraphe (<Link to={`/conventions/${id}/importe`}>PDF importé et vérification de ses signatures</Link>).</>);
  if (act.kind === "convention" && act.endsOn && (status === "en_vigueur" || status === "signee")) lines.push(<>En vigueur jusqu'au {formatDateLongue(act.endsOn)}.</>);
  if (status === "resiliation_notifiee" && act.terminationOn) lines.push(<strong>Résiliation notifiée — prend effet le {formatDateLongue(act.terminationOn)}.</strong>);
  if (status === "resiliee" && act.terminationOn) lines.push(<>Résiliée depuis le {formatDateLongue(act.terminationOn)}.</>);
  if (status === "expiree" && act.endsOn) lines.push(<>Expirée : elle était en vigueur jusqu'au {formatDateLongue(act.endsOn)}.</>);
  if (lines.length === 0) return null;
  return (
    <ul className={fr.cx("fr-raw-list", "fr-mb-2w")}>
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

const OPERATION_LABELS: Record<string, string> = {
  remplacer_article: "Remplacement de l'article",
  inserer_article: "Insertion d'un article après l'article",
  supprimer_article: "Suppression de l'article",
  modifier_date_fin: "Nouvelle date de fin :",
  ajouter_annee: "Année ajoutée à l'échéancier :",
  modifier_montants: "Montants modifiés pour l'année",
  modifier_partie: "Modification d'une partie",
};

/** What an avenant changes, or what a notice says, in a few lines (its PDF is the act). */
function actSummary(stored: unknown): string[] {
  const d = (stored ?? {}) as Record<string, any>;
  if (d.modele === "compte-rendu") return reportSummary(d);
  if (d.modele === "resiliation") {
    return [
      `Motif : ${typeof d.motif === "string" && d.motif ? d.motif : "à compléter"}`,
      d.communAccord ? "Résiliation d'un commun accord." : "Résiliation unilatérale, avec préavis.",
      ...(typeof d.dateEffetDemandee === "string" && d.dateEffetDemandee ? [`Date d'effet demandée : ${formatDateLongue(d.dateEffetDemandee)}`] : []),
    ];
  }
  const ops: any[] = Array.isArray(d.operations) ? d.operations : [];
  if (ops.length === 0) return ["Aucune modification pour l'instant."];
  return ops.map((o, i) => {
    const what = o?.article ?? o?.apres ?? o?.annee ?? (typeof o?.dateFin === "string" ? formatDateLongue(o.dateFin) : "");
    return `${i + 1}. ${OPERATION_LABELS[o?.type] ?? "Modification"} ${what}`.trim();
  });
}

/** The compte rendu d'exécution in a few lines: how the convention ended, what was consumed of what was delegated. */
function reportSummary(d: Record<string, any>): string[] {
  const years: { annee: number; delegue: { ae: number; cp: number }; consomme: { ae: number; cp: number } }[] = Array.isArray(d.annees) ? d.annees : [];
  const euros = (c: number) => (c < 0 ? `−${formatEuros(-c / 100)}` : formatEuros(c / 100));
  return [
    typeof d.fin?.date === "string" ? `${d.fin.cause === "resiliation" ? "Convention résiliée avec effet au" : "Convention arrivée à son terme le"} ${formatDateLongue(d.fin.date)}.` : "",
    ...years.map((y) => `${y.annee} : AE consommées ${euros(y.consomme.ae)} sur ${euros(y.delegue.ae)} ; CP consommés ${euros(y.consomme.cp)} sur ${euros(y.delegue.cp)}.`),
    `${Array.isArray(d.lignes) ? d.lignes.length : 0} ligne(s) de dépense en annexe. Signé par le délégataire, le compte rendu est transmis au délégant et aux CBCM.`,
  ].filter(Boolean);
}

function ActSummary({ lines }: { lines: string[] }) {
  return (
    <section aria-labelledby="contenu-acte" className={fr.cx("fr-mt-4w")}>
      <h2 id="contenu-acte" className={fr.cx("fr-h4")}>
        Contenu de l'acte
      </h2>
      <ul>
        {lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </section>
  );
}
