import { Badge } from "@codegouvfr/react-dsfr/Badge";
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
