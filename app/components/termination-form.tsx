/**
 * The termination notice's form: the notifying party, the reason, the requested effective date
 * (optional; the earliest legal date is shown), « d'un commun accord », the place of signature.
 * A plain <Form method="post">, validated by the shared schema on the server and, with
 * JavaScript, before sending.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { formatDateLongue, type FieldError } from "~/domain/convention";
import { errorMap, fieldId } from "~/domain/convention-draft";
import { parseTerminationForm, type TerminationFormDraft } from "~/domain/forms/termination";
import { DateInput } from "./date-input";

const LABELS: Record<string, string> = {
  partie: "Partie qui notifie",
  motif: "Motif",
  dateEffetDemandee: "Date d'effet demandée",
  communAccord: "Résiliation d'un commun accord",
  lieuSignature: "Lieu de signature",
};

export type TerminationFormProps = {
  draft: TerminationFormDraft;
  parties: { value: string; nom: string }[];
  /** Earliest effective date if the notice were signed today (notice period on the calendar). */
  earliestDate: string;
  preavisMois: number;
  version: number;
  serverErrors?: FieldError[];
  stamp?: string;
};

export function TerminationForm({ draft, parties, earliestDate, preavisMois, version, serverErrors, stamp }: TerminationFormProps) {
  const [clientErrors, setClientErrors] = useState<FieldError[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const busy = useNavigation().state === "submitting";
  const list = clientErrors ?? serverErrors ?? [];
  const errors = errorMap(list);

  useEffect(() => setClientErrors(null), [stamp]);
  useEffect(() => {
    if (list.length) summaryRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stamp, clientErrors]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const form = new FormData(event.currentTarget);
    const raw: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) if (k !== "version" && typeof v === "string") raw[k] = v;
    const result = parseTerminationForm(raw);
    if (!result.ok) {
      event.preventDefault();
      setClientErrors(result.errors);
    } else setClientErrors(null);
  }

  return (
    <Form method="post" noValidate onSubmit={onSubmit} key={stamp ?? "initial"} aria-label="Notification de résiliation">
      <input type="hidden" name="version" value={version} />
      {list.length ? (
        <div ref={summaryRef} tabIndex={-1} className={fr.cx("fr-mb-3w")}>
          <Alert
            severity="error"
            title={`La notification n'a pas été enregistrée : ${list.length === 1 ? "1 erreur à corriger" : `${list.length} erreurs à corriger`}`}
            description={
              <ul>
                {list.map((e, i) => (
                  <li key={i}>
                    <a href={`#${fieldId(e.path)}`}>
                      {LABELS[e.path] ?? e.path} : {e.message}
                    </a>
                  </li>
                ))}
              </ul>
            }
          />
        </div>
      ) : null}
      <div id={fieldId("partie")} tabIndex={-1}>
        <RadioButtons
          legend="Partie qui notifie la résiliation"
          hintText="Son signataire signe seul la notification (les deux parties en cas de commun accord)."
          state={errors.partie ? "error" : "default"}
          stateRelatedMessage={errors.partie}
          options={parties.map((p) => ({
            label: p.nom,
            nativeInputProps: {
              name: "partie",
              value: p.value,
              defaultChecked: draft.partie === p.value,
            },
          }))}
        />
      </div>
      <Input
        label="Motif de la résiliation"
        hintText="Repris dans la notification."
        textArea
        state={errors.motif ? "error" : "default"}
        stateRelatedMessage={errors.motif}
        nativeTextAreaProps={{
          id: fieldId("motif"),
          name: "motif",
          defaultValue: draft.motif,
          rows: 4,
        }}
      />
      <DateInput
        label="Date d'effet demandée (facultative)"
        hint={
          <>
            Préavis de {preavisMois} mois : signée aujourd'hui, la notification prendrait effet au plus tôt le <strong>{formatDateLongue(earliestDate)}</strong>
            . Une date plus tardive peut être demandée ; une date plus proche n'est retenue qu'en cas de résiliation d'un commun accord.
          </>
        }
        error={errors.dateEffetDemandee}
        nativeInputProps={{
          id: fieldId("dateEffetDemandee"),
          name: "dateEffetDemandee",
          defaultValue: draft.dateEffetDemandee,
        }}
      />
      <Checkbox
        state={errors.communAccord ? "error" : "default"}
        stateRelatedMessage={errors.communAccord}
        options={[
          {
            label: "Résiliation d'un commun accord",
            hintText: "Les deux parties signent la notification ; aucun préavis ne s'applique.",
            nativeInputProps: {
              name: "communAccord",
              defaultChecked: draft.communAccord,
            },
          },
        ]}
      />
      <Input
        label="Lieu de signature"
        state={errors.lieuSignature ? "error" : "default"}
        stateRelatedMessage={errors.lieuSignature}
        nativeInputProps={{
          id: fieldId("lieuSignature"),
          name: "lieuSignature",
          defaultValue: draft.lieuSignature,
          autoComplete: "off",
        }}
      />
      <Button type="submit" iconId="fr-icon-save-line" iconPosition="left" disabled={busy}>
        Enregistrer la notification
      </Button>
    </Form>
  );
}
