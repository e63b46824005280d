/**
 * The DSFR field shapes the drafting form repeats: a text field, a select, a date, a section, a
 * bordered group, a grid cell, and the « Monter / Descendre / Supprimer / Ajouter » submit buttons
 * that edit arrays without JavaScript.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { createContext, useContext, type ReactNode } from "react";
import { fieldId } from "~/domain/convention-draft";
import { DateInput } from "../date-input";

export type Errors = Record<string, string>;

export const MARKUP_HINT =
  "Mise en forme : **gras**, *italique*, « - » en début de ligne pour une liste, [texte](https://…) pour un lien, ^[texte] pour une note, {{ financement.uo }} pour un champ.";

/** Control to focus after an add/move: `autoFocus`, so it works before JavaScript too. */
export const FocusContext = createContext<string | undefined>(undefined);

function useFieldCommon(name: string, value: unknown) {
  const focus = useContext(FocusContext);
  return {
    id: fieldId(name),
    name,
    defaultValue: value == null ? "" : String(value),
    autoFocus: focus === name ? true : undefined,
  };
}

/** A text input or text area named by its path in the draft, with its error beside it. */
export function Text(props: {
  name: string;
  label: ReactNode;
  value: unknown;
  errors: Errors;
  hint?: ReactNode;
  textArea?: boolean;
  rows?: number;
  type?: "text" | "email";
  className?: string;
  inputMode?: "numeric" | "decimal" | "text" | "email";
  autoComplete?: string;
}) {
  const { name, label, value, errors, hint, textArea, rows, type, className, inputMode, autoComplete } = props;
  const error = errors[name];
  const common = useFieldCommon(name, value);
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
      nativeInputProps={{ ...common, type: type ?? "text", inputMode, autoComplete: autoComplete ?? "off" }}
    />
  );
}

/** A date of the draft: the DSFR date input shared by every form. */
export function DateField({ name, label, value, errors, hint }: { name: string; label: ReactNode; value: unknown; errors: Errors; hint?: ReactNode }) {
  const common = useFieldCommon(name, value);
  return <DateInput label={label} hint={hint} error={errors[name]} nativeInputProps={{ ...common, autoComplete: "off" }} />;
}

/** A select named by its path in the draft. */
export function SelectField({
  name,
  label,
  hint,
  value,
  errors,
  children,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  /** Absent for a select that cannot be wrong (no error state at all). */
  errors?: Errors;
  children: ReactNode;
}) {
  const error = errors?.[name];
  const focus = useContext(FocusContext);
  return (
    <Select
      label={label}
      hint={hint}
      nativeSelectProps={{ id: fieldId(name), name, autoFocus: focus === name ? true : undefined, defaultValue: value }}
      {...(errors ? { state: error ? "error" : "default", stateRelatedMessage: error } : {})}
    >
      {children}
    </Select>
  );
}

/** « Monter », « Descendre », « Supprimer » for item `index` of the array at `path`. */
export function ItemControls({ path, index, count, noun }: { path: string; index: number; count: number; noun: string }) {
  const what = <span className={fr.cx("fr-sr-only")}>{` ${noun} ${index + 1}`}</span>;
  return (
    <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm", "fr-btns-group--icon-left")}>
      {index > 0 ? (
        <li>
          <Button type="submit" priority="tertiary" size="small" iconId="fr-icon-arrow-up-line" value={`monter:${path}:${index}`} nativeButtonProps={{ name: "intent" }}>
            <>Monter{what}</>
          </Button>
        </li>
      ) : null}
      {index < count - 1 ? (
        <li>
          <Button type="submit" priority="tertiary" size="small" iconId="fr-icon-arrow-down-line" value={`descendre:${path}:${index}`} nativeButtonProps={{ name: "intent" }}>
            <>Descendre{what}</>
          </Button>
        </li>
      ) : null}
      <li>
        <Button type="submit" priority="tertiary" size="small" iconId="fr-icon-delete-line" value={`supprimer:${path}:${index}`} nativeButtonProps={{ name: "intent" }}>
          <>Supprimer{what}</>
        </Button>
      </li>
    </ul>
  );
}

export function AddButton({ path, children }: { path: string; children: ReactNode }) {
  return (
    <Button type="submit" priority="secondary" size="small" iconId="fr-icon-add-line" iconPosition="left" value={`ajouter:${path}`} nativeButtonProps={{ name: "intent" }}>
      {children}
    </Button>
  );
}

/** One section of the form: its h2 (the target of the summary's link) and an optional intro. */
export function Section({ id, title, children, intro }: { id: string; title: string; children: ReactNode; intro?: ReactNode }) {
  return (
    <section aria-labelledby={`titre-${id}`} className={fr.cx("fr-mt-6w")}>
      <h2 id={`titre-${id}`} className={fr.cx("fr-h3")}>
        <span id={id}>{title}</span>
      </h2>
      {intro ? <p className={fr.cx("fr-text--sm", "fr-mb-2w")}>{intro}</p> : null}
      {children}
    </section>
  );
}

/** A bordered fieldset with its legend (one party, one article, one signatory…). */
export function Group({ legend, children, errorId }: { legend: ReactNode; children: ReactNode; errorId?: string }) {
  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-mt-3w", "fr-mb-3w")} id={errorId} style={{ border: "1px solid var(--border-default-grey)", padding: "1rem 0.5rem 0" }}>
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--bold")}>{legend}</legend>
      {children}
    </fieldset>
  );
}

/** A fieldset element taking `md` twelfths of the row from the md breakpoint. */
export const Cell = ({ children, md = 12 }: { children: ReactNode; md?: 3 | 4 | 6 | 8 | 12 }) => (
  <div className={`fr-fieldset__element fr-col-12 fr-col-md-${md}`} style={{ flex: undefined }}>
    {children}
  </div>
);

/** A plain grid column (identification, durée). */
export const Col = ({ children, md }: { children: ReactNode; md?: 4 | 6 }) => (
  <div className={md === 4 ? fr.cx("fr-col-12", "fr-col-md-4") : md === 6 ? fr.cx("fr-col-12", "fr-col-md-6") : fr.cx("fr-col-12")}>{children}</div>
);

/** A row of fields inside a group (a year of the schedule, an activity). */
export const Row = ({ children }: { children: ReactNode }) => (
  <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")} style={{ width: "100%" }}>
    {children}
  </div>
);
