import { fr } from "@codegouvfr/react-dsfr";
import type { CircuitStepInput } from "~/domain/circuit";
import { DateInput } from "./date-input";

export type Candidate = { id: string; name: string; organisation: string; party: "delegant" | "delegataire"; signataire: boolean; jobTitle: string | null };
export type Block = { fieldName: string; label: string; party: "delegant" | "delegataire" };

/** Edits the circuit as form fields `steps[i].…` ; every change is a submit button (`intent`), so it works without JavaScript. */
export function CircuitEditor({ steps, candidates, blocks, stamp }: { steps: CircuitStepInput[]; candidates: Candidate[]; blocks: Block[]; stamp: string }) {
  const iconButton = (intent: string, icon: string, text: string, context: string, disabled = false) => (
    <button
      type="submit"
      name="intent"
      value={intent}
      disabled={disabled}
      className={fr.cx("fr-btn", "fr-btn--tertiary", "fr-btn--sm", "fr-btn--icon-left", icon as any)}
    >
      {text}
      <span className={fr.cx("fr-sr-only")}> {context}</span>
    </button>
  );
  return (
    <div key={stamp}>
      {steps.map((step, i) => {
        const n = i + 1;
        const id = (f: string) => `etape-${n}-${f}`;
        const name = (f: string) => `steps[${i}].${f}`;
        const people = candidates.filter((c) => c.party === step.party && (step.kind === "visa" || c.signataire));
        const others = candidates.filter((c) => !people.includes(c));
        return (
          <fieldset key={i} className={`${fr.cx("fr-fieldset", "fr-mb-3w")} paraphe-etape`} aria-labelledby={id("legende")}>
            <legend id={id("legende")} className={fr.cx("fr-fieldset__legend", "fr-mb-0")}>
              <span className="paraphe-etape__numero" aria-hidden="true">
                {n}
              </span>
              <span className={fr.cx("fr-h5")}>
                Étape {n} — {step.kind === "visa" ? "visa" : "signature"}
              </span>
            </legend>
            <div className={fr.cx("fr-fieldset__element")}>
              <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
                <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                  <div className={fr.cx("fr-input-group")}>
                    <label className={fr.cx("fr-label")} htmlFor={id("libelle")}>
                      Libellé de l'étape {n}
                    </label>
                    <input className={fr.cx("fr-input")} id={id("libelle")} name={name("label")} defaultValue={step.label} required maxLength={200} />
                  </div>
                </div>
                <div className={fr.cx("fr-col-6", "fr-col-md-3")}>
                  <div className={fr.cx("fr-select-group")}>
                    <label className={fr.cx("fr-label")} htmlFor={id("type")}>
                      Type
                    </label>
                    <select className={fr.cx("fr-select")} id={id("type")} name={name("kind")} defaultValue={step.kind}>
                      <option value="signature">Signature</option>
                      <option value="visa">Visa (relecture, sans signature)</option>
                    </select>
                  </div>
                </div>
                <div className={fr.cx("fr-col-6", "fr-col-md-3")}>
                  <div className={fr.cx("fr-select-group")}>
                    <label className={fr.cx("fr-label")} htmlFor={id("partie")}>
                      Partie
                    </label>
                    <select className={fr.cx("fr-select")} id={id("partie")} name={name("party")} defaultValue={step.party}>
                      <option value="delegant">Délégant</option>
                      <option value="delegataire">Délégataire</option>
                    </select>
                  </div>
                </div>
                <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                  <div className={fr.cx("fr-select-group")}>
                    <label className={fr.cx("fr-label")} htmlFor={id("regle")}>
                      Règle
                      <span className={fr.cx("fr-hint-text")}>Quand l'étape compte plusieurs personnes</span>
                    </label>
                    <select className={fr.cx("fr-select")} id={id("regle")} name={name("rule")} defaultValue={step.rule}>
                      <option value="un">Un seul : la première personne qui agit suffit</option>
                      <option value="tous">Tous : chaque personne doit agir</option>
                    </select>
                  </div>
                </div>
                <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                  <DateInput label="Date limite (facultative)" nativeInputProps={{ id: id("echeance"), name: name("deadline"), defaultValue: step.deadline ?? "" }} />
                </div>
              </div>
              <h3 className={fr.cx("fr-text--md", "fr-text--bold", "fr-mt-2w", "fr-mb-1w")}>Personnes de l'étape {n}</h3>
              {step.members.map((m, j) => (
                <div key={j} className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
                  <div className={fr.cx("fr-col-12", step.kind === "signature" ? "fr-col-md-5" : "fr-col-md-9")}>
                    <div className={fr.cx("fr-select-group")}>
                      <label className={fr.cx("fr-label")} htmlFor={id(`personne-${j + 1}`)}>
                        Personne {j + 1} de l'étape {n}
                      </label>
                      <select className={fr.cx("fr-select")} id={id(`personne-${j + 1}`)} name={`steps[${i}].members[${j}].personId`} defaultValue={m.personId}>
                        <option value="">— Choisir —</option>
                        <optgroup label={step.party === "delegant" ? "Délégant" : "Délégataire"}>
                          {people.map((c) => (
                            <option key={c.id} value={c.id}>
                              {c.name} — {c.organisation}
                              {c.jobTitle ? `, ${c.jobTitle}` : ""}
                            </option>
                          ))}
                        </optgroup>
                        {others.length ? (
                          <optgroup label="Autres personnes (refusées si elles ne conviennent pas à l'étape)">
                            {others.map((c) => (
                              <option key={c.id} value={c.id}>
                                {c.name} — {c.organisation}
                                {c.signataire ? "" : " (non signataire)"}
                              </option>
                            ))}
                          </optgroup>
                        ) : null}
                      </select>
                    </div>
                  </div>
                  {step.kind === "signature" ? (
                    <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                      <div className={fr.cx("fr-select-group")}>
                        <label className={fr.cx("fr-label")} htmlFor={id(`emplacement-${j + 1}`)}>
                          Emplacement de signature
                        </label>
                        <select className={fr.cx("fr-select")} id={id(`emplacement-${j + 1}`)} name={`steps[${i}].members[${j}].fieldName`} defaultValue={m.fieldName ?? ""}>
                          <option value="">— Choisir —</option>
                          {blocks.map((b) => (
                            <option key={b.fieldName} value={b.fieldName}>
                              {b.label}
                            </option>
                          ))}
                        </select>
                      </div>
                    </div>
                  ) : null}
                  <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
                    <div className={fr.cx("fr-mb-3w")}>{iconButton(`retirer-personne:${i}:${j}`, "fr-icon-delete-line", "Retirer", `la personne ${j + 1} de l'étape ${n}`)}</div>
                  </div>
                </div>
              ))}
              <div className="paraphe-step-actions">
                {iconButton(`ajouter-personne:${i}`, "fr-icon-user-add-line", "Ajouter une personne", `à l'étape ${n}`)}
                <span className="paraphe-step-actions__spacer" />
                {iconButton(`monter:${i}`, "fr-icon-arrow-up-line", "Monter", `l'étape ${n}`, i === 0)}
                {iconButton(`descendre:${i}`, "fr-icon-arrow-down-line", "Descendre", `l'étape ${n}`, i === steps.length - 1)}
                {iconButton(`supprimer:${i}`, "fr-icon-delete-line", "Supprimer", `l'étape ${n}`)}
              </div>
            </div>
          </fieldset>
        );
      })}
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left", "fr-mb-2w")}>
        <li>
          <button type="submit" name="intent" value="ajouter-etape:signature" className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--icon-left", "fr-icon-add-line")}>
            Ajouter une étape de signature
          </button>
        </li>
        <li>
          <button type="submit" name="intent" value="ajouter-etape:visa" className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--icon-left", "fr-icon-add-line")}>
            Ajouter une étape de visa
          </button>
        </li>
      </ul>
    </div>
  );
}

/** Reads the form fields back into steps (members without a person are kept, to be completed). */
export function stepsFromForm(raw: Record<string, unknown>): CircuitStepInput[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []) as Record<string, unknown>[];
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return list(raw.steps).map((s) => {
    const kind = str(s.kind) === "visa" ? "visa" : "signature";
    return {
      kind,
      party: str(s.party) === "delegataire" ? "delegataire" : "delegant",
      label: str(s.label),
      rule: str(s.rule) === "tous" ? "tous" : "un",
      deadline: str(s.deadline) || null,
      members: list(s.members).map((m) => ({ personId: str(m.personId), fieldName: kind === "signature" ? str(m.fieldName) || null : null })),
    };
  });
}

/** Applies an edit button (`ajouter-etape:visa`, `monter:2`, `retirer-personne:1:0`…); null when unknown. */
export function applyCircuitIntent(steps: CircuitStepInput[], intent: string): { steps: CircuitStepInput[]; message: string } | null {
  const [verb, a, b] = intent.split(":");
  const i = Number(a);
  const next = steps.map((s) => ({ ...s, members: [...s.members] }));
  const valid = Number.isInteger(i) && i >= 0 && i < next.length;
  switch (verb) {
    case "ajouter-etape": {
      const kind = a === "visa" ? "visa" : "signature";
      next.push({ kind, party: "delegant", label: kind === "visa" ? "Visa" : "Signature", rule: "un", deadline: null, members: [{ personId: "", fieldName: null }] });
      return { steps: next, message: `Étape ${next.length} ajoutée.` };
    }
    case "monter":
      if (!valid || i === 0) return null;
      [next[i - 1], next[i]] = [next[i], next[i - 1]];
      return { steps: next, message: `Étape déplacée en position ${i}.` };
    case "descendre":
      if (!valid || i === next.length - 1) return null;
      [next[i + 1], next[i]] = [next[i], next[i + 1]];
      return { steps: next, message: `Étape déplacée en position ${i + 2}.` };
    case "supprimer":
      if (!valid) return null;
      next.splice(i, 1);
      return { steps: next, message: `Étape ${i + 1} supprimée.` };
    case "ajouter-personne":
      if (!valid) return null;
      next[i].members.push({ personId: "", fieldName: next[i].kind === "signature" && next[i].rule === "un" ? next[i].members[0]?.fieldName ?? null : null });
      return { steps: next, message: `Personne ajoutée à l'étape ${i + 1}.` };
    case "retirer-personne": {
      const j = Number(b);
      if (!valid || !Number.isInteger(j) || j < 0 || j >= next[i].members.length) return null;
      next[i].members.splice(j, 1);
      return { steps: next, message: `Personne retirée de l'étape ${i + 1}.` };
    }
    default:
      return null;
  }
}
