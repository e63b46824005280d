import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "@remix-run/react";
import { formatDate, formatDateTime } from "~/components/page";

export type WaitingItem = { conventionId: string; title: string; delegant: string; stepLabel: string; kind: "signature" | "visa"; deadline: string | null; invitedAt: string | null; onBehalfOf: string | null };

/** Steps waiting for the person (or for whom they are a delegate), each with a link to its signing page. */
export function WaitingTable({ rows, caption }: { rows: WaitingItem[]; caption: string }) {
  return (
    <div className={fr.cx("fr-table")}>
      <table>
        <caption className={fr.cx("fr-sr-only")}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Délégant</th>
            <th scope="col">Étape</th>
            <th scope="col">Invitation</th>
            <th scope="col">Date limite</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.conventionId}>
              <td>
                <Link to={`/conventions/${r.conventionId}/signer`}>{r.title}</Link>
                {r.onBehalfOf ? (
                  <>
                    <br />
                    <span className={fr.cx("fr-text--xs")}>Pour {r.onBehalfOf}, par délégation</span>
                  </>
                ) : null}
              </td>
              <td>{r.delegant}</td>
              <td>
                {r.stepLabel}
                <br />
                <span className={fr.cx("fr-text--xs")}>{r.kind === "visa" ? "Visa" : "Signature"}</span>
              </td>
              <td>{r.invitedAt ? formatDateTime(r.invitedAt) : "—"}</td>
              <td>{r.deadline ? formatDate(`${r.deadline}T12:00:00Z`) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
