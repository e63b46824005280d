import { fr } from "@codegouvfr/react-dsfr";
import { formatDateTime } from "~/components/page";
import { eventLabel } from "~/domain/events";

export type TimelineEvent = {
  id: string;
  type: string;
  created_at: string;
  first_name: string | null;
  last_name: string | null;
  payload: unknown;
};

const LOCAL_LABELS: Record<string, string> = { brouillon_modifie: "Brouillon enregistré" };

function detail(e: TimelineEvent): string | null {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  if (typeof p.summary === "string") return p.summary;
  if ((e.type === "refus" || e.type === "circuit_interrompu") && typeof p.motif === "string" && p.motif) return `motif : « ${p.motif} »`;
  if (e.type === "invitation_renvoyee" && typeof p.to === "string") return `à ${p.to}`;
  if (e.type === "circuit_lance" && typeof p.round === "number") return p.round > 1 ? `circuit n° ${p.round}` : null;
  if (e.type === "signature" && p.onBehalfOf && typeof (p.onBehalfOf as { titular?: unknown }).titular === "string")
    return `pour ${(p.onBehalfOf as { titular: string }).titular} et par délégation`;
  if (e.type === "code_errone" && typeof p.attempts === "number") return `essai n° ${p.attempts}`;
  return null;
}

/** Every audit event of a convention, oldest first: time (Europe/Paris), what, who. */
export function CircuitTimeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p>Aucun évènement pour l'instant.</p>;
  return (
    <ol className="paraphe-timeline">
      {events.map((e) => {
        const extra = detail(e);
        return (
          <li key={e.id} className={fr.cx("fr-mb-1w")}>
            <time dateTime={e.created_at} className={fr.cx("fr-text--sm", "fr-mb-0")}>
              {formatDateTime(e.created_at)}
            </time>{" "}
            — <span className={fr.cx("fr-text--bold")}>{LOCAL_LABELS[e.type] ?? eventLabel(e.type)}</span>
            {e.first_name ? ` par ${e.first_name} ${e.last_name}` : e.type === "circuit_termine" || e.type === "email_envoye" ? " (portail)" : ""}
            {extra ? ` — ${extra}` : ""}
          </li>
        );
      })}
    </ol>
  );
}
