import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { formatDateTime } from "~/components/page";
import { isStatus, STATUS_LABELS } from "~/domain/workflow";

const SEVERITY = {
  brouillon: "info",
  en_signature: "new",
  signee: "success",
  en_vigueur: "success",
  expiree: undefined,
  resiliation_notifiee: "warning",
  resiliee: undefined,
  annulee: "error",
} as const;

export function StatusBadge({ status }: { status: string }) {
  if (!isStatus(status)) return <Badge as="span">{status}</Badge>;
  return (
    <Badge as="span" severity={SEVERITY[status]} small noIcon>
      {STATUS_LABELS[status]}
    </Badge>
  );
}

type BadgeSeverity = "success" | "error" | "info" | "warning" | "new";

/** One delivery of a signed act to a recipient, as the transmission page lists it. */
export type TransmissionState = {
  status: "pending" | "sent" | "failed" | string;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  acknowledged_at: string | null;
};

/**
 * Each transmission state has its own badge (colour and icon) and says itself in words, so the
 * colour is never the only thing that tells « envoyé » from « accusé de réception ».
 */
export function transmissionBadge(t: TransmissionState): { severity: BadgeSeverity; label: string } {
  if (t.status === "failed") return { severity: "error", label: `Échec de l'envoi : ${t.last_error ?? "erreur inconnue"}` };
  if (t.status === "pending") return { severity: "warning", label: `En attente d'envoi${t.attempts > 0 ? ` (essai ${t.attempts + 1})` : ""}` };
  if (t.acknowledged_at) return { severity: "success", label: `Accusé de réception le ${formatDateTime(t.acknowledged_at)}` };
  return { severity: "info", label: t.sent_at ? `Envoyé le ${formatDateTime(t.sent_at)}, sans accusé de réception` : "Envoyé, sans accusé de réception" };
}

export function TransmissionBadge({ t }: { t: TransmissionState }) {
  const { severity, label } = transmissionBadge(t);
  return (
    <Badge as="span" severity={severity} small>
      {label}
    </Badge>
  );
}
