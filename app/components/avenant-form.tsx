/**
 * The avenant editor: a list of structured operations on the convention in force (replace, insert
 * or delete an article, change the end date, add a year or change amounts, change a party).
 * A plain <Form method="post"> that works before JavaScript: operations are added, moved and
 * removed with submit buttons (`intent`), the server validates with the shared schema and the
 * domain's applyAvenant; with JavaScript the same schema runs before sending.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { formatDateLongue, formatEuros, type FieldError } from "~/domain/convention";
import { errorMap, fieldId } from "~/domain/convention-draft";
import { fromFormEntries } from "~/domain/form-entries";
import { DateInput } from "./date-input";
import { OPERATION_LABELS, OPERATION_TYPES, parseAvenantForm, type AvenantFormDraft, type OperationDraft } from "~/domain/forms/avenant";

/** What the editor needs to know of the convention as it stands (the avenant's base). */
export type AvenantBase = {
  articles: { numero: number; titre: string; corps: string; html?: string }[];
  echeancier: { annee: number; ae: number; cp: number }[];
  dateFin: string | null;
  services: string[];
  parties: { value: string; nom: string; representant: string; adresse: string }[];
};

type Errors = Record<string, string>;

const FIELD_LABELS: Record<string, string> = {
  article: "article",
  apres: "position",
  titre: "titre",
  corps: "texte",
  dateFin: "nouvelle date de fin",
  annee: "année",
  ae: "AE",
  cp: "CP",
  partie: "partie",
  "representant.nom": "représentant",
  "representant.fonction": "fonction du représentant",
  adresse: "adresse",
  services: "services",
  type: "type",
};

/** « operations[2].article » -> « Modification 3 — article ». */
export function avenantFieldLabel(path: string): string {
  if (path === "objet") return "Objet de l'avenant";
  if (path === "lieuSignature") return "Lieu de signature";
  if (path === "operations") return "Modifications";
  const m = /^operations\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (!m) return path;
  return `Modification ${Number(m[1]) + 1}${m[2] ? ` — ${FIELD_LABELS[m[2]] ?? m[2]}` : ""}`;
}

/** The control that shows an error (an operation's own error goes to its first field). */
function controlFor(path: string, draft: AvenantFormDraft): string {
  const m = /^operations\[(\d+)\]$/.exec(path);
  if (!m) return path === "operations" ? "ajouter-modification" : path;
  const op = draft.operations[Number(m[1])];
  const first = op ? Object.keys(op).find((k) => k !== "type") : undefined;
  return first ? `operations[${m[1]}].${first}` : path;
}

function Text(props: { name: string; label: ReactNode; value: string; errors: Errors; hint?: ReactNode; textArea?: boolean; rows?: number; type?: string; focus?: string; inputMode?: "numeric" | "decimal" }) {
  const { name, label, value, errors, hint, textArea, rows, type, focus, inputMode } = props;
  const error = errors[name];
  const common = { id: fieldId(name), name, defaultValue: value, autoFocus: focus === name ? true : undefined };
  return textArea ? (
    <Input label={label} hintText={hint} textArea state={error ? "error" : "default"} stateRelatedMessage={error} nativeTextAreaProps={{ ...common, rows: rows ?? 6 }} />
  ) : (
    <Input label={label} hintText={hint} state={error ? "error" : "default"} stateRelatedMessage={error} nativeInputProps={{ ...common, type: type ?? "text", inputMode, autoComplete: "off" }} />
  );
}

function Choice(props: { name: string; label: string; value: string; errors: Errors; hint?: ReactNode; focus?: string; onChange?: (v: string) => void; children: ReactNode }) {
  const { name, label, value, errors, hint, focus, onChange, children } = props;
  return (
    <Select
      label={label}
      hint={hint}
      state={errors[name] ? "error" : "default"}
      stateRelatedMessage={errors[name]}
      nativeSelectProps={{ id: fieldId(name), name, defaultValue: value, autoFocus: focus === name ? true : undefined, onChange: onChange ? (e) => onChange(e.target.value) : undefined }}
    >
      {children}
    </Select>
  );
}

/** The article as it reads now, under the select that picks it (follows the select with JavaScript). */
function ArticlePicker({ name, label, value, base, errors, focus, placeholder }: { name: string; label: string; value: string; base: AvenantBase; errors: Errors; focus?: string; placeholder: string }) {
  const [chosen, setChosen] = useState(value);
  const current = base.articles.find((a) => String(a.numero) === chosen);
  return (
    <>
      <Choice name={name} label={label} value={value} errors={errors} focus={focus} onChange={setChosen}>
        <option value="">{placeholder}</option>
        {base.articles.map((a) => (
          <option key={a.numero} value={a.numero}>
            Article {a.numero} — {a.titre}
          </option>
        ))}
      </Choice>
      {current ? (
        <div className={fr.cx("fr-callout", "fr-mb-3w")} aria-live="polite">
          <p className={fr.cx("fr-callout__title", "fr-text--md")}>
            Texte actuel de l'article {current.numero} — {current.titre}
          </p>
          {current.html ? (
            // The renderer's escaped HTML, as in the drafting form's preview.
            <div className={fr.cx("fr-callout__text", "fr-text--sm")} dangerouslySetInnerHTML={{ __html: current.html }} />
          ) : (
            <p className={fr.cx("fr-callout__text", "fr-text--sm")} style={{ whiteSpace: "pre-wrap" }}>
              {current.corps || "(article sans texte)"}
            </p>
          )}
        </div>
      ) : null}
    </>
  );
}

function OperationFields({ op, i, base, errors, focus }: { op: OperationDraft; i: number; base: AvenantBase; errors: Errors; focus?: string }) {
  const n = (k: string) => `operations[${i}].${k}`;
  switch (op.type) {
    case "remplacer_article":
      return (
        <>
          <ArticlePicker name={n("article")} label="Article remplacé" value={op.article} base={base} errors={errors} focus={focus} placeholder="Choisissez l'article" />
          <Text name={n("titre")} label="Titre du nouvel article" value={op.titre} errors={errors} focus={focus} />
          <Text name={n("corps")} label="Nouveau texte de l'article" hint="« L'article … est remplacé par les dispositions suivantes : » puis ce texte. Même mise en forme que dans la convention." value={op.corps} errors={errors} focus={focus} textArea rows={8} />
        </>
      );
    case "inserer_article":
      return (
        <>
          <Choice name={n("apres")} label="Position du nouvel article" value={op.apres} errors={errors} focus={focus}>
            <option value="">Choisissez la position</option>
            <option value="0">Au début, avant l'article 1</option>
            {base.articles.map((a) => (
              <option key={a.numero} value={a.numero}>
                Après l'article {a.numero} — {a.titre}
              </option>
            ))}
          </Choice>
          <Text name={n("titre")} label="Titre du nouvel article" value={op.titre} errors={errors} focus={focus} />
          <Text name={n("corps")} label="Texte du nouvel article" value={op.corps} errors={errors} focus={focus} textArea rows={8} />
        </>
      );
    case "supprimer_article":
      return <ArticlePicker name={n("article")} label="Article supprimé" value={op.article} base={base} errors={errors} focus={focus} placeholder="Choisissez l'article" />;
    case "modifier_date_fin":
      return (
        <DateInput
          label="Nouvelle date de fin"
          hint={base.dateFin ? `Date de fin actuelle : ${formatDateLongue(base.dateFin)} (dernier jour en vigueur).` : "La convention n'a pas de date de fin (durée indéterminée)."}
          error={errors[n("dateFin")]}
          nativeInputProps={{ id: fieldId(n("dateFin")), name: n("dateFin"), defaultValue: op.dateFin, autoFocus: focus === n("dateFin") ? true : undefined, autoComplete: "off" }}
        />
      );
    case "ajouter_annee":
    case "modifier_montants": {
      const years = base.echeancier;
      const current = years.find((y) => String(y.annee) === op.annee);
      return (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            {op.type === "ajouter_annee" ? (
              <Text name={n("annee")} label="Année ajoutée" hint={years.length ? `Échéancier actuel : ${years.map((y) => y.annee).join(", ")}` : "L'échéancier est vide."} value={op.annee} errors={errors} focus={focus} inputMode="numeric" />
            ) : (
              <Choice name={n("annee")} label="Année modifiée" value={op.annee} errors={errors} focus={focus} hint={current ? `Actuellement : AE ${formatEuros(current.ae)}, CP ${formatEuros(current.cp)}` : undefined}>
                <option value="">Choisissez l'année</option>
                {years.map((y) => (
                  <option key={y.annee} value={y.annee}>
                    {y.annee} (AE {formatEuros(y.ae)}, CP {formatEuros(y.cp)})
                  </option>
                ))}
              </Choice>
            )}
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Text name={n("ae")} label="Autorisations d'engagement (AE, €)" hint="Par exemple « 150 000 »" value={op.ae} errors={errors} focus={focus} inputMode="decimal" />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Text name={n("cp")} label="Crédits de paiement (CP, €)" hint="Par exemple « 150 000 »" value={op.cp} errors={errors} focus={focus} inputMode="decimal" />
          </div>
        </div>
      );
    }
    case "modifier_partie": {
      const party = base.parties.find((p) => p.value === op.partie);
      return (
        <>
          <Choice name={n("partie")} label="Partie" value={op.partie} errors={errors} focus={focus}>
            {base.parties.map((p) => (
              <option key={p.value} value={p.value}>
                {p.nom}
              </option>
            ))}
          </Choice>
          <p className={fr.cx("fr-text--sm")}>Laissez vide ce qui ne change pas.</p>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text name={n("representant.nom")} label="Nouveau représentant (nom)" hint={party?.representant ? `Actuellement : ${party.representant}` : undefined} value={op["representant.nom"]} errors={errors} focus={focus} />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text name={n("representant.fonction")} label="Fonction du nouveau représentant" value={op["representant.fonction"]} errors={errors} focus={focus} />
            </div>
          </div>
          <Text name={n("adresse")} label="Nouvelle adresse" hint={party?.adresse ? `Actuellement : ${party.adresse}` : undefined} value={op.adresse} errors={errors} focus={focus} />
          <Text
            name={n("services")}
            label="Services concernés (nouvelle liste, un par ligne)"
            hint={base.services.length ? `Actuellement : ${base.services.join(", ")}` : "Aucun service n'est nommé actuellement."}
            value={op.services}
            errors={errors}
            focus={focus}
            textArea
            rows={3}
          />
        </>
      );
    }
  }
}

function OperationControls({ i, count }: { i: number; count: number }) {
  const what = <span className={fr.cx("fr-sr-only")}>{` la modification ${i + 1}`}</span>;
  const button = (verb: string, icon: "fr-icon-arrow-up-line" | "fr-icon-arrow-down-line" | "fr-icon-delete-line", label: string) => (
    <li>
      <Button type="submit" priority="tertiary" size="small" iconId={icon} value={`${verb}:operations:${i}`} nativeButtonProps={{ name: "intent" }}>
        <>
          {label}
          {what}
        </>
      </Button>
    </li>
  );
  return (
    <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm", "fr-btns-group--icon-left")}>
      {i > 0 ? button("monter", "fr-icon-arrow-up-line", "Monter") : null}
      {i < count - 1 ? button("descendre", "fr-icon-arrow-down-line", "Descendre") : null}
      {button("supprimer", "fr-icon-delete-line", "Supprimer")}
    </ul>
  );
}

export type AvenantFormProps = {
  draft: AvenantFormDraft;
  base: AvenantBase;
  version: number;
  serverErrors?: FieldError[];
  focus?: string;
  message?: string;
  stamp?: string;
};

export function AvenantForm({ draft, base, version, serverErrors, focus, message, stamp }: AvenantFormProps) {
  const [clientErrors, setClientErrors] = useState<FieldError[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const busy = useNavigation().state === "submitting";
  const list = clientErrors ?? serverErrors ?? [];
  const errors: Errors = errorMap(list.map((e) => ({ path: controlFor(e.path, draft), message: e.message })));
  const focused = list.length ? undefined : focus;

  useEffect(() => setClientErrors(null), [stamp]);
  useEffect(() => {
    if (list.length) summaryRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stamp, clientErrors]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value !== "enregistrer") return;
    const form = new FormData(event.currentTarget);
    const result = parseAvenantForm(fromFormEntries([...form.entries()].filter(([k]) => !["intent", "version"].includes(k))));
    if (!result.ok) {
      event.preventDefault();
      setClientErrors(result.errors);
    } else setClientErrors(null);
  }

  const save = (
    <Button type="submit" iconId="fr-icon-save-line" iconPosition="left" disabled={busy} value="enregistrer" nativeButtonProps={{ name: "intent" }}>
      Enregistrer l'avenant
    </Button>
  );

  return (
    <Form method="post" noValidate onSubmit={onSubmit} key={stamp ?? "initial"} aria-label="Modifier l'avenant">
      <input type="hidden" name="version" value={version} />
      <div role="status" aria-live="polite" className={fr.cx("fr-sr-only")}>
        {message ?? ""}
      </div>
      {list.length ? (
        <div ref={summaryRef} tabIndex={-1} className={fr.cx("fr-mb-3w")}>
          <Alert
            severity="error"
            title={`L'avenant n'a pas été enregistré : ${list.length === 1 ? "1 erreur à corriger" : `${list.length} erreurs à corriger`}`}
            description={
              <ul>
                {list.map((e, i) => (
                  <li key={i}>
                    <a href={`#${fieldId(controlFor(e.path, draft))}`}>
                      {avenantFieldLabel(e.path)} : {e.message}
                    </a>
                  </li>
                ))}
              </ul>
            }
          />
        </div>
      ) : null}

      <Text name="objet" label="Objet de l'avenant (facultatif)" hint="Une phrase, par exemple « Prolongation de la délégation et complément de l'échéancier »." value={draft.objet} errors={errors} focus={focused} textArea rows={2} />

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Modifications</h2>
      {draft.operations.length === 0 ? <p>Aucune modification pour l'instant : ajoutez-en une ci-dessous.</p> : null}
      <ol className={fr.cx("fr-raw-list")}>
        {draft.operations.map((op, i) => (
          <li key={i}>
            <fieldset className={fr.cx("fr-fieldset", "fr-mb-3w")} style={{ border: "1px solid var(--border-default-grey)", padding: "1rem" }} aria-labelledby={`operation-${i}-titre`}>
              <legend id={`operation-${i}-titre`} className={fr.cx("fr-fieldset__legend", "fr-text--bold")}>
                Modification {i + 1} : {OPERATION_LABELS[op.type]}
              </legend>
              <input type="hidden" name={`operations[${i}].type`} value={op.type} />
              <div style={{ width: "100%" }}>
                <OperationFields op={op} i={i} base={base} errors={errors} focus={focused} />
                <OperationControls i={i} count={draft.operations.length} />
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div id={fieldId("ajouter-modification")} tabIndex={-1} className={fr.cx("fr-mb-4w")}>
        {errors["ajouter-modification"] ? <p className={fr.cx("fr-error-text")}>{errors["ajouter-modification"]}</p> : null}
        <p className={fr.cx("fr-text--bold", "fr-mb-1w")}>Ajouter une modification :</p>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--sm", "fr-btns-group--icon-left")}>
          {OPERATION_TYPES.map((t) => (
            <li key={t}>
              <Button type="submit" priority="secondary" size="small" iconId="fr-icon-add-line" value={`ajouter:${t}`} nativeButtonProps={{ name: "intent" }}>
                {OPERATION_LABELS[t]}
              </Button>
            </li>
          ))}
        </ul>
      </div>

      <Text name="lieuSignature" label="Lieu de signature" value={draft.lieuSignature} errors={errors} focus={focused} />
      <p className={fr.cx("fr-text--sm")}>Les blocs de signature reprennent ceux de la convention ; le circuit de signature se règle ensuite comme pour une convention.</p>
      <div className={fr.cx("fr-mt-2w")}>{save}</div>
    </Form>
  );
}
