import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link } from "@remix-run/react";
import { formatDateLongue } from "~/domain/convention";
import { StatusBadge } from "./status-badge";

/** The pages that prepare an act on a convention (avenant, notification de résiliation): why it was refused, with the act already in preparation. */
export function PrepareActRefusal({ title, answer, openLabel }: { title: string; answer?: { error: string; existingId: string | null }; openLabel: string }) {
  if (!answer?.error) return null;
  return (
    <Alert
      severity="error"
      title={title}
      description={
        <>
          {answer.error}
          {answer.existingId ? (
            <>
              {" "}
              <Link to={`/conventions/${answer.existingId}`}>{openLabel}</Link>
            </>
          ) : null}
        </>
      }
      className={fr.cx("fr-mb-3w")}
    />
  );
}

/** The convention the act is prepared on: its title, status and last day in force. */
export function ConventionInForce({ title, status, endsOn }: { title: string; status: string; endsOn: string | null }) {
  return (
    <>
      <p className={fr.cx("fr-text--lead")}>{title}</p>
      <p>
        <StatusBadge status={status} />
        {endsOn ? <> En vigueur jusqu'au {formatDateLongue(endsOn)}.</> : null}
      </p>
    </>
  );
}
