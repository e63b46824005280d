import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { ReactNode } from "react";
import { formatDate, formatDateTime } from "~/components/page";

export type CircuitMemberView = {
  id: string;
  personId: string;
  name: string;
  jobTitle: string | null;
  status: string;
  actedAt: string | null;
  actedBy: string | null;
  declineReason: string | null;
  invitedAt: string | null;
};
export type CircuitStepView = {
  id: string;
  position: number;
  kind: "signature" | "visa";
  party: "delegant" | "delegataire";
  label: string;
  rule: "tous" | "un";
  status: string;
  deadline: string | null;
  startedAt: string | null;
  completedAt: string | null;
  members: CircuitMemberView[];
};

const STEP_STATUS: Record<string, { label: string; severity?: "success" | "info" | "new" | "warning" | "error" }> = {
  en_attente: { label: "À venir" },
  en_cours: { label: "En cours", severity: "new" },
  terminee: { label: "Terminée", severity: "success" },
};

function memberStatus(step: CircuitStepView, m: CircuitMemberView, running: boolean) {
  switch (m.status) {
    case "signe":
      return { label: "A signé", severity: "success" as const };
    case "vise":
      return { label: "A visé", severity: "success" as const };
    case "refuse":
      return { label: "A refusé", severity: "error" as const };
    case "non_requis":
      return { label: "Non requis", severity: undefined };
    default:
      if (running && step.status === "en_cours") return { label: step.kind === "visa" ? "Visa attendu" : "Signature attendue", severity: "new" as const };
      return { label: "En attente", severity: undefined };
  }
}

export const partyLabel = (p: string) => (p === "delegant" ? "Délégant" : "Délégataire");
export const ruleLabel = (r: string) => (r === "tous" ? "tous doivent agir" : "une seule personne suffit");

/**
 * The circuit's progress: a stepper for where it stands, then one table row per person with
 * what they did and when (Europe/Paris). `memberAction` adds a control per row (re-send…).
 */
export function CircuitProgress({
  steps,
  running,
  caption = "Avancement du circuit de signature",
  memberAction,
  headingLevel = 2,
}: {
  steps: CircuitStepView[];
  running: boolean;
  caption?: string;
  memberAction?: (step: CircuitStepView, member: CircuitMemberView) => ReactNode;
  headingLevel?: 2 | 3;
}) {
  if (steps.length === 0) return <p>Le circuit de signature n'est pas encore défini.</p>;
  const done = steps.filter((s) => s.status === "terminee").length;
  const current = steps.find((s) => s.status === "en_cours");
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="paraphe-circuit">
      {running && current ? (
        <div className={fr.cx("fr-stepper")}>
          <Heading className={fr.cx("fr-stepper__title")}>
            {current.label}
            <span className={fr.cx("fr-stepper__state")}>
              Étape {current.position} sur {steps.length}
            </span>
          </Heading>
          <div className={fr.cx("fr-stepper__steps")} data-fr-current-step={current.position} data-fr-steps={steps.length} />
          {steps[current.position] ? (
            <p className={fr.cx("fr-stepper__details")}>
              <span className={fr.cx("fr-text--bold")}>Étape suivante :</span> {steps[current.position].label}
            </p>
          ) : (
            <p className={fr.cx("fr-stepper__details")}>Dernière étape du circuit.</p>
          )}
        </div>
      ) : (
        <p className={fr.cx("fr-text--sm")}>
          {done === steps.length ? "Toutes les étapes sont terminées." : `${steps.length} étape${steps.length > 1 ? "s" : ""}, dans l'ordre ci-dessous.`}
        </p>
      )}
      <div className={fr.cx("fr-table", "fr-table--bordered")}>
        <table>
          <caption className={fr.cx("fr-sr-only")}>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Étape</th>
              <th scope="col">Personne</th>
              <th scope="col">Statut</th>
              <th scope="col">Date</th>
              {memberAction ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {steps.flatMap((step) =>
              step.members.map((m, i) => {
                const status = memberStatus(step, m, running);
                // A refusal ends the step: shown as refused, not « en cours ».
                const stepStatus = step.members.some((x) => x.status === "refuse") ? { label: "Refusée", severity: "error" as const } : (STEP_STATUS[step.status] ?? { label: step.status });
                return (
                  <tr key={m.id}>
                    {i === 0 ? (
                      <th scope="row" rowSpan={step.members.length} className="paraphe-step-cell">
                        <span className={fr.cx("fr-text--bold")}>
                          {step.position}. {step.label}
                        </span>
                        <br />
                        <span className={fr.cx("fr-text--xs")}>
                          {step.kind === "visa" ? "Visa" : "Signature"} — {partyLabel(step.party)}
                          {step.members.length > 1 ? ` — ${ruleLabel(step.rule)}` : ""}
                          {step.deadline ? ` — avant le ${formatDate(`${step.deadline}T12:00:00Z`)}` : ""}
                        </span>
                        <br />
                        <Badge as="span" small noIcon severity={stepStatus.severity} className={fr.cx("fr-mt-1v")}>
                          {stepStatus.label}
                        </Badge>
                      </th>
                    ) : null}
                    <td data-label="Personne">
                      {m.name}
                      {m.jobTitle ? (
                        <>
                          <br />
                          <span className={fr.cx("fr-text--xs")}>{m.jobTitle}</span>
                        </>
                      ) : null}
                      {m.actedBy ? (
                        <>
                          <br />
                          <span className={fr.cx("fr-text--xs")}>par délégation : {m.actedBy}</span>
                        </>
                      ) : null}
                    </td>
                    <td data-label="Statut">
                      <Badge as="span" small noIcon severity={status.severity}>
                        {status.label}
                      </Badge>
                      {m.declineReason ? (
                        <p className={fr.cx("fr-text--sm", "fr-mt-1w", "fr-mb-0")}>
                          Motif : <q>{m.declineReason}</q>
                        </p>
                      ) : null}
                    </td>
                    <td data-label="Date">{m.actedAt ? formatDateTime(m.actedAt) : m.invitedAt && step.status === "en_cours" ? `Invité(e) le ${formatDateTime(m.invitedAt)}` : "—"}</td>
                    {memberAction ? <td data-label="Action">{memberAction(step, m)}</td> : null}
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
