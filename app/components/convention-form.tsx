/**
 * The long edit form of a draft convention. A plain <Form method="post"> that works before
 * JavaScript: array items are added, removed and moved with submit buttons (`intent`), and the
 * server validates with the shared schema. With JavaScript, the same check runs before sending.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Summary } from "@codegouvfr/react-dsfr/Summary";
import { Form, useBlocker, useNavigation } from "@remix-run/react";
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from "react";
import {
  NUMEROTATIONS,
  type FieldError,
} from "~/domain/convention";
import { fromFormEntries } from "~/domain/form-entries";
import {
  checkDraft,
  errorMap,
  fieldId,
  fieldLabel,
  fieldNameFor,
  montantInput,
  normaliseDraft,
  type DraftData,
} from "~/domain/convention-draft";

export const SECTIONS = [
  { id: "identification", title: "Identification" },
  { id: "parties", title: "Parties" },
  { id: "visas", title: "Visas" },
  { id: "preambule", title: "Préambule" },
  { id: "articles", title: "Articles" },
  { id: "financement", title: "Partie financière" },
  { id: "duree", title: "Services, durée et signature" },
  { id: "signatures", title: "Blocs de signature" },
  { id: "annexes", title: "Annexes" },
];

const NUMEROTATION_LABELS: Record<(typeof NUMEROTATIONS)[number], string> = {
  "article-deux-points": "« Article 1 : Titre »",
  "article-er": "« Article 1er – Titre »",
  decimale: "« 1. Titre »",
  "article-er-ligne": "« Article 1er », puis le TITRE sur sa propre ligne",
};

const MARKUP_HINT =
  "Mise en forme : **gras**, *italique*, « - » en début de ligne pour une liste, [texte](https://…) pour un lien, ^[texte] pour une note, {{ financement.uo }} pour un champ.";

type Errors = Record<string, string>;

/** Control to focus after an add/move: `autoFocus`, so it works before JavaScript too. */
const FocusContext = createContext<string | undefined>(undefined);

function errorFor(errors: Errors, name: string): string | undefined {
  return errors[name];
}

function Text(props: {
  name: string;
  label: ReactNode;
  value: unknown;
  errors: Errors;
  hint?: ReactNode;
  textArea?: boolean;
  rows?: number;
  type?: string;
  className?: string;
  inputMode?: "numeric" | "decimal" | "text" | "email";
  autoComplete?: string;
}) {
  const {
    name,
    label,
    value,
    errors,
    hint,
    textArea,
    rows,
    type,
    className,
    inputMode,
    autoComplete,
  } = props;
  const error = errorFor(errors, name);
  const focus = useContext(FocusContext);
  const common = {
    id: fieldId(name),
    name,
    defaultValue: value == null ? "" : String(value),
    autoFocus: focus === name ? true : undefined,
  };
  return textArea ? (
    <Input
      className={className}
      label={label}
      hintText={hint}
      textArea
      state={error ? "error" : "default"}
      stateRelatedMessage={error}
      nativeTextAreaProps={{ ...common, rows: rows ?? 4 }}
    />
  ) : (
    <Input
      className={className}
      label={label}
      hintText={hint}
      state={error ? "error" : "default"}
      stateRelatedMessage={error}
      nativeInputProps={{
        ...common,
        type: type ?? "text",
        inputMode,
        autoComplete: autoComplete ?? "off",
      }}
    />
  );
}

/** « Monter », « Descendre », « Supprimer » for item `index` of the array at `path`. */
function ItemControls({
  path,
  index,
  count,
  noun,
}: {
  path: string;
  index: number;
  count: number;
  noun: string;
}) {
  const what = (
    <span className={fr.cx("fr-sr-only")}>{` ${noun} ${index + 1}`}</span>
  );
  return (
    <ul
      className={fr.cx(
        "fr-btns-group",
        "fr-btns-group--inline-sm",
        "fr-btns-group--sm",
        "fr-btns-group--icon-left"
      )}
    >
      {index > 0 ? (
        <li>
          <Button
            type="submit"
            priority="tertiary"
            size="small"
            iconId="fr-icon-arrow-up-line"
            value={`monter:${path}:${index}`}
            nativeButtonProps={{ name: "intent" }}
          >
            <>Monter{what}</>
          </Button>
        </li>
      ) : null}
      {index < count - 1 ? (
        <li>
          <Button
            type="submit"
            priority="tertiary"
            size="small"
            iconId="fr-icon-arrow-down-line"
            value={`descendre:${path}:${index}`}
            nativeButtonProps={{ name: "intent" }}
          >
            <>Descendre{what}</>
          </Button>
        </li>
      ) : null}
      <li>
        <Button
          type="submit"
          priority="tertiary"
          size="small"
          iconId="fr-icon-delete-line"
          value={`supprimer:${path}:${index}`}
          nativeButtonProps={{ name: "intent" }}
        >
          <>Supprimer{what}</>
        </Button>
      </li>
    </ul>
  );
}

function AddButton({ path, children }: { path: string; children: ReactNode }) {
  return (
    <Button
      type="submit"
      priority="secondary"
      size="small"
      iconId="fr-icon-add-line"
      iconPosition="left"
      value={`ajouter:${path}`}
      nativeButtonProps={{ name: "intent" }}
    >
      {children}
    </Button>
  );
}

function Section({
  id,
  title,
  children,
  intro,
}: {
  id: string;
  title: string;
  children: ReactNode;
  intro?: ReactNode;
}) {
  return (
    <section aria-labelledby={`titre-${id}`} className={fr.cx("fr-mt-6w")}>
      <h2 id={`titre-${id}`} className={fr.cx("fr-h3")}>
        <span id={id}>{title}</span>
      </h2>
      {intro ? (
        <p className={fr.cx("fr-text--sm", "fr-mb-2w")}>{intro}</p>
      ) : null}
      {children}
    </section>
  );
}

function Group({
  legend,
  children,
  errorId,
}: {
  legend: ReactNode;
  children: ReactNode;
  errorId?: string;
}) {
  return (
    <fieldset
      className={fr.cx("fr-fieldset", "fr-mt-3w", "fr-mb-3w")}
      id={errorId}
      style={{
        border: "1px solid var(--border-default-grey)",
        padding: "1rem 0.5rem 0",
      }}
    >
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--bold")}>
        {legend}
      </legend>
      {children}
    </fieldset>
  );
}

const Cell = ({
  children,
  md = 12,
}: {
  children: ReactNode;
  md?: 3 | 4 | 6 | 8 | 12;
}) => (
  <div
    className={`fr-fieldset__element fr-col-12 fr-col-md-${md}`}
    style={{ flex: undefined }}
  >
    {children}
  </div>
);

function PartieFields({
  prefix,
  partie,
  errors,
}: {
  prefix: string;
  partie: any;
  errors: Errors;
}) {
  return (
    <div
      className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}
      style={{ width: "100%" }}
    >
      <Cell md={6}>
        <Text
          name={`${prefix}.nom`}
          label="Nom de l'organisation"
          value={partie?.nom}
          errors={errors}
          hint="Tel qu'il figure dans l'acte : « Le Ministère de la Justice »"
        />
      </Cell>
      <Cell md={6}>
        <Text
          name={`${prefix}.adresse`}
          label="Adresse (facultative)"
          value={partie?.adresse}
          errors={errors}
        />
      </Cell>
      <Cell md={3}>
        <Select
          label="Accord (genre)"
          hint="Vide : d'après l'article du nom"
          nativeSelectProps={{ id: fieldId(`${prefix}.genre`), name: `${prefix}.genre`, defaultValue: partie?.genre ?? "" }}
          state={errors[`${prefix}.genre`] ? "error" : "default"}
          stateRelatedMessage={errors[`${prefix}.genre`]}
        >
          <option value="">D'après l'article (« Le », « La », « Les »)</option>
          <option value="m">Masculin (« représenté »)</option>
          <option value="f">Féminin (« représentée »)</option>
        </Select>
      </Cell>
      <Cell md={3}>
        <Select
          label="Accord (nombre)"
          hint="Vide : d'après l'article du nom"
          nativeSelectProps={{ id: fieldId(`${prefix}.nombre`), name: `${prefix}.nombre`, defaultValue: partie?.nombre ?? "" }}
          state={errors[`${prefix}.nombre`] ? "error" : "default"}
          stateRelatedMessage={errors[`${prefix}.nombre`]}
        >
          <option value="">D'après l'article (« Les » : pluriel)</option>
          <option value="s">Singulier</option>
          <option value="p">Pluriel (« représentés »)</option>
        </Select>
      </Cell>
      <Cell md={4}>
        <Text
          name={`${prefix}.alias`}
          label="Ci-après dénommé(e)"
          hint="Une dénomination par ligne, par exemple « le délégataire » puis « la DINUM ». Écrite avec ses guillemets (le « délégataire »), elle est imprimée telle quelle."
          value={(partie?.alias ?? []).join("\n")}
          errors={errors}
          textArea
          rows={2}
        />
      </Cell>
      <Cell md={4}>
        <Text
          name={`${prefix}.representant.nom`}
          label="Représenté(e) par (nom, facultatif)"
          value={partie?.representant?.nom}
          errors={errors}
        />
      </Cell>
      <Cell md={4}>
        <Text
          name={`${prefix}.representant.fonction`}
          label="Fonction du représentant (facultative)"
          hint="Vide avec le nom : partie désignée par sa fonction, sans « Représenté par »"
          value={partie?.representant?.fonction}
          errors={errors}
        />
      </Cell>
    </div>
  );
}

export type ConventionFormProps = {
  data: DraftData;
  intitule: string;
  version: number;
  /** Errors from the server (blocking: nothing was saved). */
  serverErrors?: FieldError[];
  /** Field to focus after an add/move (from the server). */
  focus?: string;
  /** Message announced after an add/remove/move. */
  message?: string;
  /** Changes each time the server answers, to reset the uncontrolled fields. */
  stamp?: string;
  /** Title of the draft's template, and the frame options it offers (all shown when unknown). */
  templateTitle?: string;
  templateOptions?: string[];
  /** Problems that do not block the save but the launch (« La date de fin est passée »), shown beside their fields. */
  warnings?: FieldError[];
  /** The data shown is not the saved draft (the server answered an add/move or a refused save). */
  unsaved?: boolean;
};

export const LEAVE_MESSAGE = "Vos modifications ne sont pas enregistrées. Quitter cette page sans les enregistrer ?";

/**
 * Leaving the form with unsaved changes asks first: in-app navigation (a link, the back button)
 * through the router's blocker, closing or reloading the tab through « beforeunload ». Saving
 * (a submission to this same page) is never held back.
 */
function useLeaveConfirmation(dirty: boolean) {
  const allowed = useRef(false);
  // A click on a link to another page asks first (window capture: before the router's own click handler).
  useEffect(() => {
    if (!dirty) return;
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
      const url = new URL(link.href, window.location.href);
      if (url.origin === window.location.origin && url.pathname === window.location.pathname) return;
      if (window.confirm(LEAVE_MESSAGE)) allowed.current = true;
      else {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    };
    window.addEventListener("click", onClick, true);
    return () => window.removeEventListener("click", onClick, true);
  }, [dirty]);
  // The back button and other in-app navigations: the router's blocker.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !allowed.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(LEAVE_MESSAGE)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (allowed.current) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);
}

export function ConventionForm({
  data,
  intitule,
  version,
  serverErrors,
  focus,
  message,
  stamp,
  templateTitle,
  templateOptions,
  warnings,
  unsaved = false,
}: ConventionFormProps) {
  const [dirty, setDirty] = useState(unsaved);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (unsaved) setDirty(true);
    setSaving(false);
  }, [stamp, unsaved]);
  useLeaveConfirmation(dirty && !saving);
  const [clientErrors, setClientErrors] = useState<FieldError[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const list = clientErrors ?? serverErrors ?? [];
  // Launch-only problems beside their fields, under the errors that block the save.
  const errors = { ...errorMap(warnings ?? []), ...errorMap(list) };

  useEffect(() => setClientErrors(null), [stamp]);
  useEffect(() => {
    if (list.length) summaryRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stamp, clientErrors]);

  /** The same check as the server, before sending: blocking errors stay in the browser. */
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const submitter = (event.nativeEvent as SubmitEvent)
      .submitter as HTMLButtonElement | null;
    if (submitter?.value !== "enregistrer") return;
    const form = new FormData(event.currentTarget);
    const entries = [...form.entries()].filter(
      ([k]) => !["intent", "version", "intitule"].includes(k)
    );
    const found: FieldError[] = checkDraft(
      normaliseDraft(fromFormEntries(entries))
    ).blocking;
    const title = String(form.get("intitule") ?? "").trim();
    if (!title)
      found.unshift({
        path: "intitule",
        message: "L'intitulé est obligatoire",
      });
    if (found.length) {
      event.preventDefault();
      setClientErrors(found);
    } else {
      setClientErrors(null);
      setSaving(true);
    }
  }

  const f = data.financement ?? {};
  const ch = f.chorus ?? {};
  const delegataires: any[] = data.delegataires ?? [];

  const saveButton = (
    <Button
      type="submit"
      iconId="fr-icon-save-line"
      iconPosition="left"
      disabled={busy}
      value="enregistrer"
      nativeButtonProps={{ name: "intent" }}
    >
      Enregistrer le brouillon
    </Button>
  );

  return (
    <FocusContext.Provider value={list.length ? undefined : focus}>
      <Form
        method="post"
        noValidate
        onSubmit={onSubmit}
        key={stamp ?? "initial"}
        aria-label="Modifier le brouillon"
        onChange={() => setDirty(true)}
      >
        <input type="hidden" name="version" value={version} />
        <input
          type="hidden"
          name="modele"
          value={data.modele ?? "convention"}
        />
        {(data.requis ?? []).length ? (
          <input type="hidden" name="requis" value={(data.requis as string[]).join("\n")} />
        ) : null}
        {data.modeleVersion ? (
          <input type="hidden" name="modeleVersion" value={data.modeleVersion} />
        ) : null}
        <div className={fr.cx("fr-mb-3w")}>{saveButton}</div>
        <div role="status" aria-live="polite" className={fr.cx("fr-sr-only")}>
          {message ?? ""}
        </div>
        {list.length ? (
          <div ref={summaryRef} tabIndex={-1} className={fr.cx("fr-mb-3w")}>
            <Alert
              severity="error"
              title={`Le brouillon n'a pas été enregistré : ${
                list.length === 1
                  ? "1 erreur à corriger"
                  : `${list.length} erreurs à corriger`
              }`}
              description={
                <ul>
                  {list.map((e, i) => (
                    <li key={i}>
                      <a href={`#${fieldId(fieldNameFor(e.path))}`}>
                        {fieldLabel(e.path)} : {e.message}
                      </a>
                    </li>
                  ))}
                </ul>
              }
            />
          </div>
        ) : null}

        <Summary
          title="Sections du formulaire"
          links={SECTIONS.map((s) => ({
            text: s.title,
            // Summary renders only links with an href (in-page anchors need no router link).
            linkProps: { href: `#${s.id}` },
          }))}
          className={fr.cx("fr-mb-4w")}
        />

        <Section id="identification" title="Identification">
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text
                name="intitule"
                label="Intitulé dans Paraphe"
                hint="Pour retrouver ce dossier, par exemple « Incubateur de la Justice 2025 »"
                value={intitule}
                errors={errors}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text
                name="titre"
                label="Titre du document"
                hint="Imprimé en tête de la convention"
                value={data.titre}
                errors={errors}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text
                name="reference"
                label="Numéro de référence (facultatif)"
                value={data.reference}
                errors={errors}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text
                name="nor"
                label="NOR (facultatif)"
                hint="Format : PRMX2212345X"
                value={data.nor}
                errors={errors}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text
                name="publication"
                label="Référence de publication (facultative)"
                hint="Telle qu'imprimée, par exemple « JORF n° 0052 du 2 mars 2023 »"
                value={data.publication}
                errors={errors}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text
                name="dateSignature"
                label="Date de signature (facultative)"
                hint="Pour un acte enregistré après sa signature. Format : AAAA-MM-JJ"
                type="date"
                value={data.dateSignature}
                errors={errors}
              />
            </div>
            <p className={fr.cx("fr-col-12", "fr-text--sm", "fr-mb-0")}>
              Modèle : {templateTitle ?? data.modele ?? "convention"}
              {data.modeleVersion ? ` (version ${data.modeleVersion})` : ""}
            </p>
          </div>
        </Section>

        <Section
          id="parties"
          title="Parties"
          intro="Les organisations parties sont fixées à la création ; leur désignation dans l'acte se modifie ici."
        >
          <Group legend="Le délégant">
            <PartieFields
              prefix="delegant"
              partie={data.delegant}
              errors={errors}
            />
          </Group>
          {delegataires.map((d, i) => (
            <Group
              key={i}
              legend={
                delegataires.length > 1
                  ? `Délégataire ${i + 1}`
                  : "Le délégataire"
              }
            >
              <PartieFields
                prefix={`delegataires[${i}]`}
                partie={d}
                errors={errors}
              />
            </Group>
          ))}
          <Text
            name="designationCommune"
            label="Désignation commune des délégataires (facultative)"
            hint="Une par ligne, par exemple « co-délégataires » : « ci-après désignés ensemble sous le terme de « co-délégataires » »"
            value={(data.designationCommune ?? []).join("\n")}
            errors={errors}
            textArea
            rows={2}
          />
        </Section>

        <Section
          id="visas"
          title="Visas"
          intro="Les textes visés (« Vu … »), dans l'ordre où ils sont imprimés."
        >
          {(data.visas ?? []).map((v: string, i: number, all: string[]) => (
            <div key={i} className={fr.cx("fr-mb-2w")}>
              <Text
                name={`visas[${i}]`}
                label={`Visa ${i + 1}`}
                value={v}
                errors={errors}
                textArea
                rows={2}
              />
              <ItemControls
                path="visas"
                index={i}
                count={all.length}
                noun="le visa"
              />
            </div>
          ))}
          <AddButton path="visas">Ajouter un visa</AddButton>
        </Section>

        <Section id="preambule" title="Préambule">
          <Text
            name="preambule"
            label="Texte du préambule (facultatif)"
            hint={MARKUP_HINT}
            value={data.preambule}
            errors={errors}
            textArea
            rows={10}
          />
          {!templateOptions || templateOptions.includes("positionPreambule") ? (
            <Select
              label="« Il a été convenu ce qui suit : »"
              nativeSelectProps={{
                id: fieldId("positionPreambule"),
                name: "positionPreambule",
                defaultValue: data.positionPreambule ?? "avant-convenu",
              }}
              state={errors.positionPreambule ? "error" : "default"}
              stateRelatedMessage={errors.positionPreambule}
            >
              <option value="avant-convenu">Après le préambule</option>
              <option value="apres-convenu">Avant le préambule</option>
            </Select>
          ) : null}
        </Section>

        <Section
          id="articles"
          title="Articles"
          intro="Chaque convention garde sa propre copie du texte des articles : les modifier ne change pas le modèle."
        >
          <Select
            label="Numérotation des articles"
            nativeSelectProps={{
              id: fieldId("numerotation"),
              name: "numerotation",
              defaultValue: data.numerotation ?? "article-deux-points",
            }}
            state={errors.numerotation ? "error" : "default"}
            stateRelatedMessage={errors.numerotation}
          >
            {NUMEROTATIONS.map((n) => (
              <option key={n} value={n}>
                {NUMEROTATION_LABELS[n]}
              </option>
            ))}
          </Select>
          {(data.articles ?? []).map((a: any, i: number, all: any[]) => (
            <Group key={i} legend={`Article ${i + 1}`}>
              <Cell>
                <Text
                  name={`articles[${i}].titre`}
                  label="Titre de l'article"
                  value={a.titre}
                  errors={errors}
                />
              </Cell>
              <Cell>
                <Text
                  name={`articles[${i}].corps`}
                  label="Texte de l'article"
                  hint={i === 0 ? MARKUP_HINT : undefined}
                  value={a.corps}
                  errors={errors}
                  textArea
                  rows={8}
                />
              </Cell>
              <Cell>
                <ItemControls
                  path="articles"
                  index={i}
                  count={all.length}
                  noun="l'article"
                />
              </Cell>
            </Group>
          ))}
          <AddButton path="articles">Ajouter un article</AddButton>
        </Section>

        <Section
          id="financement"
          title="Partie financière"
          intro="Facultative : laissée vide, la convention ne comporte ni UO, ni échéancier, ni références Chorus (selon le modèle)."
        >
          {errors["financement.echeancier"] ? (
            <div id={fieldId("financement.echeancier")} tabIndex={-1}>
              <Alert small severity="error" description={errors["financement.echeancier"]} className={fr.cx("fr-mb-2w")} />
            </div>
          ) : null}
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Text
                name="financement.uo"
                label="Unité opérationnelle (UO)"
                hint="Format : 0310-SGAL-SSIC"
                value={f.uo}
                errors={errors}
              />
            </div>
          </div>
          <Group legend="Échéancier prévisionnel (montants en euros)">
            {(f.echeancier ?? []).map((e: any, i: number, all: any[]) => (
              <div
                key={i}
                className={fr.cx(
                  "fr-grid-row",
                  "fr-grid-row--gutters",
                  "fr-grid-row--bottom"
                )}
                style={{ width: "100%" }}
              >
                <Cell md={3}>
                  <Text
                    name={`financement.echeancier[${i}].annee`}
                    label={
                      <>
                        Année
                        <span className={fr.cx("fr-sr-only")}>
                          {" "}
                          (ligne {i + 1})
                        </span>
                      </>
                    }
                    value={e.annee}
                    errors={errors}
                    inputMode="numeric"
                  />
                </Cell>
                <Cell md={3}>
                  <Text
                    name={`financement.echeancier[${i}].ae`}
                    label={
                      <>
                        AE
                        <span className={fr.cx("fr-sr-only")}>
                          {" "}
                          {String(e.annee ?? "")} (autorisations d'engagement)
                        </span>
                      </>
                    }
                    hint="Ex. : 150 000"
                    value={montantInput(e.ae)}
                    errors={errors}
                    inputMode="decimal"
                  />
                </Cell>
                <Cell md={3}>
                  <Text
                    name={`financement.echeancier[${i}].cp`}
                    label={
                      <>
                        CP
                        <span className={fr.cx("fr-sr-only")}>
                          {" "}
                          {String(e.annee ?? "")} (crédits de paiement)
                        </span>
                      </>
                    }
                    hint="Ex. : 150 000"
                    value={montantInput(e.cp)}
                    errors={errors}
                    inputMode="decimal"
                  />
                </Cell>
                <Cell md={3}>
                  <ItemControls
                    path="financement.echeancier"
                    index={i}
                    count={all.length}
                    noun="l'année de la ligne"
                  />
                </Cell>
              </div>
            ))}
            <Cell>
              <AddButton path="financement.echeancier">
                Ajouter une année
              </AddButton>
            </Cell>
          </Group>
          <Group legend="Références Chorus">
            <Cell md={4}>
              <Text
                name="financement.chorus.axeMinisteriel"
                label="Axe ministériel 1 (facultatif)"
                value={ch.axeMinisteriel}
                errors={errors}
              />
            </Cell>
            <Cell md={4}>
              <Text
                name="financement.chorus.domaineFonctionnel"
                label="Domaine fonctionnel"
                hint="Format : 0310-09-03"
                value={ch.domaineFonctionnel}
                errors={errors}
              />
            </Cell>
            <Cell md={4}>
              <Text
                name="financement.chorus.centreFinancier"
                label="Centre financier"
                hint="Format : 0310-SGAL-SSIC"
                value={ch.centreFinancier}
                errors={errors}
              />
            </Cell>
            <Cell md={4}>
              <Text
                name="financement.chorus.centreDeCout"
                label="Centre de coût"
                hint="10 caractères, par exemple SEGSSMM075"
                value={ch.centreDeCout}
                errors={errors}
              />
            </Cell>
            {(ch.activites ?? []).map((a: any, i: number, all: any[]) => (
              <div
                key={i}
                className={fr.cx(
                  "fr-grid-row",
                  "fr-grid-row--gutters",
                  "fr-grid-row--bottom"
                )}
                style={{ width: "100%" }}
              >
                <Cell md={4}>
                  <Text
                    name={`financement.chorus.activites[${i}].code`}
                    label={`Activité ${i + 1} : code`}
                    hint="Format : 0310ACAE0701"
                    value={a.code}
                    errors={errors}
                  />
                </Cell>
                <Cell md={4}>
                  <Text
                    name={`financement.chorus.activites[${i}].libelle`}
                    label={`Activité ${i + 1} : libellé`}
                    value={a.libelle}
                    errors={errors}
                  />
                </Cell>
                <Cell md={4}>
                  <ItemControls
                    path="financement.chorus.activites"
                    index={i}
                    count={all.length}
                    noun="l'activité"
                  />
                </Cell>
              </div>
            ))}
            <Cell>
              <AddButton path="financement.chorus.activites">
                Ajouter une activité
              </AddButton>
            </Cell>
          </Group>
        </Section>

        <Section id="duree" title="Services, durée et signature">
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12")}>
              <Text
                name="services"
                label="Services numériques concernés"
                hint="Un service par ligne"
                value={(data.services ?? []).join("\n")}
                errors={errors}
                textArea
                rows={3}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Prise d'effet"
                nativeSelectProps={{
                  id: fieldId("debut.regle"),
                  name: "debut.regle",
                  defaultValue: data.debut?.regle ?? "signature",
                }}
              >
                <option value="signature">À la date de signature</option>
                <option value="date">À une date fixée</option>
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Text
                name="debut.date"
                label="Date de prise d'effet (si fixée)"
                type="date"
                value={data.debut?.date}
                errors={errors}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Text
                name="dateFin"
                label="Date de fin (facultative)"
                type="date"
                hint="Vide : durée indéterminée. Format : AAAA-MM-JJ"
                value={data.dateFin}
                errors={errors}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Checkbox
                options={[
                  {
                    label: "Reconduction tacite",
                    hintText: "Le modèle l'imprime après la date de fin",
                    // No id of ours: react-dsfr ties the label to the id it generates.
                    nativeInputProps: {
                      name: "reconductionTacite",
                      value: "on",
                      defaultChecked: data.reconductionTacite === true,
                    },
                  },
                ]}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Text
                name="preavisMois"
                label="Préavis de résiliation (mois)"
                hint="3 mois en général"
                value={data.preavisMois}
                errors={errors}
                inputMode="numeric"
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Text
                name="lieuSignature"
                label="Lieu de signature"
                value={data.lieuSignature}
                errors={errors}
              />
            </div>
          </div>
        </Section>

        <Section
          id="signatures"
          title="Blocs de signature"
          intro="Un bloc par signataire, dans l'ordre du circuit : délégant d'abord, délégataire ensuite."
        >
          {(data.signatures ?? []).map((s: any, i: number, all: any[]) => {
            const partieName = `signatures[${i}].partie`;
            return (
              <Group key={i} legend={`Signataire ${i + 1}`}>
                <Cell md={6}>
                  <Select
                    label="Partie"
                    nativeSelectProps={{
                      id: fieldId(partieName),
                      name: partieName,
                      autoFocus:
                        focus === partieName && !list.length ? true : undefined,
                      defaultValue:
                        s.partie === "delegataire"
                          ? `delegataire:${s.indexDelegataire ?? 0}`
                          : "delegant",
                    }}
                    state={errors[partieName] ? "error" : "default"}
                    stateRelatedMessage={errors[partieName]}
                  >
                    <option value="delegant">
                      Délégant — {data.delegant?.nom || "sans nom"}
                    </option>
                    {delegataires.map((d, j) => (
                      <option key={j} value={`delegataire:${j}`}>
                        Délégataire{delegataires.length > 1 ? ` ${j + 1}` : ""}{" "}
                        — {d.nom || "sans nom"}
                      </option>
                    ))}
                  </Select>
                </Cell>
                <Cell md={6}>
                  <Text
                    name={`signatures[${i}].libelle`}
                    label="Libellé imprimé au-dessus de la signature"
                    hint="Par exemple « Le Ministère de la Justice, »"
                    value={s.libelle}
                    errors={errors}
                  />
                </Cell>
                <Cell md={4}>
                  <Text
                    name={`signatures[${i}].nom`}
                    label="Nom du signataire"
                    value={s.nom}
                    errors={errors}
                  />
                </Cell>
                <Cell md={4}>
                  <Text
                    name={`signatures[${i}].fonction`}
                    label="Fonction (facultative)"
                    value={s.fonction}
                    errors={errors}
                  />
                </Cell>
                <Cell md={4}>
                  <Text
                    name={`signatures[${i}].email`}
                    label="Adresse électronique (facultative)"
                    type="email"
                    value={s.email}
                    errors={errors}
                    inputMode="email"
                  />
                </Cell>
                <Cell>
                  <ItemControls
                    path="signatures"
                    index={i}
                    count={all.length}
                    noun="le signataire"
                  />
                </Cell>
              </Group>
            );
          })}
          <AddButton path="signatures">Ajouter un bloc de signature</AddButton>
        </Section>

        <Section
          id="annexes"
          title="Annexes"
          intro="Chaque annexe commence sur une nouvelle page."
        >
          {(data.annexes ?? []).map((a: any, i: number, all: any[]) => (
            <Group key={i} legend={`Annexe ${i + 1}`}>
              <Cell>
                <Text
                  name={`annexes[${i}].titre`}
                  label="Titre de l'annexe"
                  value={a.titre}
                  errors={errors}
                />
              </Cell>
              <Cell>
                <Text
                  name={`annexes[${i}].corps`}
                  label="Texte de l'annexe"
                  hint={MARKUP_HINT}
                  value={a.corps}
                  errors={errors}
                  textArea
                  rows={6}
                />
              </Cell>
              <Cell>
                <ItemControls
                  path="annexes"
                  index={i}
                  count={all.length}
                  noun="l'annexe"
                />
              </Cell>
            </Group>
          ))}
          <AddButton path="annexes">Ajouter une annexe</AddButton>
        </Section>

        <div className={fr.cx("fr-mt-6w")}>{saveButton}</div>
      </Form>
    </FocusContext.Provider>
  );
}
