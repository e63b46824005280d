/**
 * The long edit form of a draft convention. A plain <Form method="post"> that works before
 * JavaScript: array items are added, removed and moved with submit buttons (`intent`), and the
 * server validates with the shared schema. With JavaScript, the same check runs before sending,
 * each article shows a live preview, and leaving with unsaved changes asks first.
 * One component per section under ./convention-form/.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Summary } from "@codegouvfr/react-dsfr/Summary";
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { FieldError } from "~/domain/convention";
import { checkDraft, errorMap, fieldId, fieldLabel, fieldNameFor, normaliseDraft, type DraftData } from "~/domain/convention-draft";
import { fromFormEntries } from "~/domain/form-entries";
import { AnnexesSection } from "./convention-form/annexes";
import { previewData } from "./convention-form/article-preview";
import { ArticlesSection } from "./convention-form/articles";
import { DureeSection } from "./convention-form/duree";
import { FocusContext } from "./convention-form/fields";
import { FinancementSection } from "./convention-form/financement";
import { IdentificationSection } from "./convention-form/identification";
import { LeaveDialog, useLeaveConfirmation } from "./convention-form/leave-confirmation";
import { PartiesSection } from "./convention-form/parties";
import { PreambuleSection } from "./convention-form/preambule";
import { SignaturesSection } from "./convention-form/signatures";
import { VisasSection } from "./convention-form/visas";

export { LEAVE_MESSAGE, LEAVE_TITLE } from "./convention-form/leave-confirmation";

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

/** The form's entries as draft data (what the preview and the client-side check read). */
function draftOf(form: HTMLFormElement): DraftData {
  const entries = [...new FormData(form).entries()].filter(([k]) => !["intent", "version", "intitule"].includes(k));
  return normaliseDraft(fromFormEntries(entries));
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
  const leaving = useLeaveConfirmation(dirty && !saving);
  const [clientErrors, setClientErrors] = useState<FieldError[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const list = clientErrors ?? serverErrors ?? [];
  // Launch-only problems beside their fields, under the errors that block the save.
  const errors = { ...errorMap(warnings ?? []), ...errorMap(list) };

  // The values the article previews show: the page's data, then what is typed (a short pause after each key).
  const [live, setLive] = useState<Record<string, unknown>>(() => previewData(data));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setLive(previewData(data)), [stamp]);
  const liveTimer = useRef<ReturnType<typeof setTimeout>>();
  const formRef = useRef<HTMLFormElement>(null);
  const readLive = () => {
    if (formRef.current) setLive(previewData(draftOf(formRef.current)));
  };
  // Once the page is interactive: what may have been typed before.
  useEffect(() => {
    readLive();
    return () => clearTimeout(liveTimer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stamp]);
  function scheduleLive() {
    clearTimeout(liveTimer.current);
    liveTimer.current = setTimeout(readLive, 250);
  }

  useEffect(() => setClientErrors(null), [stamp]);
  useEffect(() => {
    if (list.length) summaryRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stamp, clientErrors]);

  /** The same check as the server, before sending: blocking errors stay in the browser. */
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value !== "enregistrer") return;
    const found: FieldError[] = checkDraft(draftOf(event.currentTarget)).blocking;
    const title = String(new FormData(event.currentTarget).get("intitule") ?? "").trim();
    if (!title) found.unshift({ path: "intitule", message: "L'intitulé est obligatoire" });
    if (found.length) {
      event.preventDefault();
      setClientErrors(found);
    } else {
      setClientErrors(null);
      setSaving(true);
    }
  }

  const saveButton = (
    <Button type="submit" iconId="fr-icon-save-line" iconPosition="left" disabled={busy} value="enregistrer" nativeButtonProps={{ name: "intent" }}>
      Enregistrer le brouillon
    </Button>
  );

  return (
    <FocusContext.Provider value={list.length ? undefined : focus}>
      <Form method="post" noValidate onSubmit={onSubmit} key={stamp ?? "initial"} aria-label="Modifier le brouillon" ref={formRef} onChange={() => { setDirty(true); scheduleLive(); }} onInput={scheduleLive}>
        <input type="hidden" name="version" value={version} />
        <input type="hidden" name="modele" value={data.modele ?? "convention"} />
        {(data.requis ?? []).length ? <input type="hidden" name="requis" value={(data.requis as string[]).join("\n")} /> : null}
        {data.modeleVersion ? <input type="hidden" name="modeleVersion" value={data.modeleVersion} /> : null}
        <div className={fr.cx("fr-mb-3w")}>{saveButton}</div>
        <div role="status" aria-live="polite" className={fr.cx("fr-sr-only")}>
          {message ?? ""}
        </div>
        {list.length ? (
          <div ref={summaryRef} tabIndex={-1} className={fr.cx("fr-mb-3w")}>
            <Alert
              severity="error"
              title={`Le brouillon n'a pas été enregistré : ${list.length === 1 ? "1 erreur à corriger" : `${list.length} erreurs à corriger`}`}
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

        <IdentificationSection data={data} intitule={intitule} errors={errors} templateTitle={templateTitle} />
        <PartiesSection data={data} errors={errors} />
        <VisasSection data={data} errors={errors} />
        <PreambuleSection data={data} errors={errors} templateOptions={templateOptions} />
        <ArticlesSection data={data} errors={errors} live={live} />
        <FinancementSection data={data} errors={errors} />
        <DureeSection data={data} errors={errors} />
        <SignaturesSection data={data} errors={errors} />
        <AnnexesSection data={data} errors={errors} />

        <div className={fr.cx("fr-mt-6w")}>{saveButton}</div>
      </Form>
      <LeaveDialog {...leaving} />
    </FocusContext.Provider>
  );
}
