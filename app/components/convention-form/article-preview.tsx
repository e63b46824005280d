/**
 * The article editor's aids: a live preview of each article where template fields appear as their
 * values, and a help panel listing the fields and blocks the engine accepts, with examples taken
 * from the draft being edited.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { useMemo, useState } from "react";
import { checkDraft, type DraftData } from "~/domain/convention-draft";
import { numeroArticle, titreArticle, type Numerotation } from "~/domain/convention";
import { renderHtml } from "~/pdf/rendering/render-html";
import type { Block } from "~/templates/document";
import { renderTemplate, TemplateError } from "~/templates/engine";
import { BLOCK_HELP, exampleWith, FILTER_HELP, modelKeys, templateFields } from "~/templates/field-help";

const KEYS = modelKeys();
const FIELDS = templateFields();

export const PREVIEW_CSS = `
.fr-fieldset:has(.paraphe-article-apercu)>.fr-fieldset__element{align-self:flex-start}
.paraphe-article-apercu{background:var(--background-alt-grey);border:1px solid var(--border-default-grey);padding:.75rem;max-height:32rem;overflow:auto}
.paraphe-article-apercu:focus-visible{outline:2px solid #0a76f6;outline-offset:2px}
.paraphe-article-apercu .paraphe-doc{background:#fff;color:#161616;padding:1rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,18,.16);font-size:.875rem;line-height:1.5}
.paraphe-article-apercu .paraphe-doc h2{font-size:1rem;margin:0 0 .5rem}
.paraphe-article-apercu .paraphe-doc h3{font-size:.9rem;margin:.75rem 0 .25rem}
.paraphe-article-apercu .paraphe-doc p{text-align:justify;margin:0 0 .5rem;font-size:.875rem}
.paraphe-article-apercu .paraphe-doc ul{font-size:.875rem}
.paraphe-article-apercu .paraphe-doc table{border-collapse:collapse;margin:.25rem 0 .75rem;font-size:.8rem;display:table;width:auto}
.paraphe-article-apercu .paraphe-doc th,.paraphe-article-apercu .paraphe-doc td{border:1px solid #8c8c99;padding:.2rem .4rem;text-align:left}
.paraphe-article-apercu .paraphe-doc th{background:#ededf5}.paraphe-article-apercu .paraphe-doc .right{text-align:right}
.paraphe-article-apercu .paraphe-doc .notes{font-size:.75rem;border-top:1px solid #8c8c99;padding-top:.25rem;margin-top:.75rem}
.paraphe-aide-modele code{font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere}
.paraphe-aide-modele td,.paraphe-aide-modele th{vertical-align:top}
`;

/** The draft's data as the renderer sees it: validated with its defaults when it can be, as typed otherwise. */
export function previewData(data: DraftData): Record<string, unknown> {
  return (checkDraft(data).convention as Record<string, unknown> | undefined) ?? data;
}

export type ArticlePreviewResult = { ok: true; html: string } | { ok: false; message: string };

/** One article as it will print: heading and body, fields replaced by the draft's values (escaped HTML). */
export function renderArticlePreview(data: Record<string, unknown>, index: number, titre: string, corps: string): ArticlePreviewResult {
  const numerotation = ((data.numerotation as Numerotation | undefined) ?? "article-deux-points") as Numerotation;
  const n = index + 1;
  const heading: Block =
    numerotation === "article-er-ligne"
      ? { type: "heading", level: 2, runs: [{ kind: "text", text: numeroArticle(numerotation, n) }], titleLine: [{ kind: "text", text: titre.toLocaleUpperCase("fr-FR") }] }
      : { type: "heading", level: 2, runs: [{ kind: "text", text: titreArticle(numerotation, n, titre) }] };
  try {
    const blocks = renderTemplate(corps, { data, knownKeys: KEYS, source: `articles[${index}].corps` }, [{ article: { numero: n, titre } }]);
    return { ok: true, html: renderHtml({ meta: { title: titre, lang: "fr-FR" }, blocks: [heading, ...blocks] }, { fragment: true }) };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, message: `Ligne ${error.line} : ${error.message.replace(/^.*? : /, "")}` };
    throw error;
  }
}

/** The preview beside one article, announced politely when it changes. */
export function ArticlePreview({ index, data, titre, corps }: { index: number; data: Record<string, unknown>; titre: string; corps: string }) {
  const result = useMemo(() => renderArticlePreview(data, index, titre, corps), [data, index, titre, corps]);
  const id = `apercu-article-${index + 1}`;
  return (
    // Focusable: a long article scrolls inside its preview, from the keyboard too.
    <div className="paraphe-article-apercu" role="region" aria-labelledby={`${id}-titre`} tabIndex={0}>
      <p id={`${id}-titre`} className={fr.cx("fr-text--sm", "fr-text--bold", "fr-mb-1w")}>
        Aperçu de l'article {index + 1}
        <span className={fr.cx("fr-sr-only")}> avec les valeurs du brouillon</span>
      </p>
      {result.ok ? (
        <div dangerouslySetInnerHTML={{ __html: result.html }} />
      ) : (
        <p className={fr.cx("fr-error-text", "fr-mt-0")}>Le texte ne peut pas être mis en forme. {result.message}</p>
      )}
    </div>
  );
}

/** « Champs et blocs disponibles »: every field of the model, each filter and block, with what it prints for this draft. */
export function TemplateHelp({ data }: { data: Record<string, unknown> }) {
  // Its tables are built when it is opened: a long form stays light to load and to check.
  const [open, setOpen] = useState(false);
  return (
    <details className={`paraphe-aide-modele ${fr.cx("fr-mb-3w")}`} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className={fr.cx("fr-text--bold")}>Champs et blocs disponibles dans le texte des articles</summary>
      {open ? <TemplateHelpTables data={data} /> : null}
    </details>
  );
}

function TemplateHelpTables({ data }: { data: Record<string, unknown> }) {
  const value = (snippet: string) => exampleWith(snippet, data, KEYS);
  return (
    <>
      <p className={fr.cx("fr-text--sm", "fr-mt-2w")}>
        Un champ s'écrit entre doubles accolades : <code>{"{{ financement.uo }}"}</code> imprime la valeur saisie dans ce formulaire. La colonne « Avec ce brouillon » montre ce qui
        serait imprimé aujourd'hui.
      </p>
      <div className={fr.cx("fr-table", "fr-table--bordered", "fr-table--no-caption")}>
        <table>
          <caption>Champs</caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">À écrire</th>
              <th scope="col">Avec ce brouillon</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((f) => (
              <tr key={f.path}>
                <td>{f.label}</td>
                <td>
                  {f.list ? (
                    <>
                      <code>{`{% pour x dans ${f.path} %}…{% fin %}`}</code>
                      {f.items.length ? (
                        <span className={fr.cx("fr-text--xs")}>
                          {" "}
                          — dans la boucle : {f.items.map((i) => `x.${i.name} (${i.label})`).join(", ")}
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <code>{`{{ ${f.path} }}`}</code>
                  )}
                </td>
                <td>{value(f.list ? `{{ ${f.path} | nombre }}` : `{{ ${f.path} }}`)}{f.list ? " élément(s)" : ""}</td>
              </tr>
            ))}
            <tr>
              <td>Numéro et titre de l'article</td>
              <td>
                <code>{"{{ article.numero | er }}"}</code>, <code>{"{{ article.titre }}"}</code>
              </td>
              <td>Ceux de l'article où le champ est écrit</td>
            </tr>
          </tbody>
        </table>
      </div>
      <HelpTable
        caption="Filtres"
        first="Filtre"
        rows={Object.entries(FILTER_HELP).map(([name, f]) => ({ key: name, syntaxe: `| ${name}`, aide: f.aide, exemple: f.exemple }))}
        value={value}
      />
      <HelpTable caption="Blocs" first="Bloc" rows={BLOCK_HELP.map((b) => ({ key: b.syntaxe, syntaxe: b.syntaxe, aide: b.aide, exemple: b.exemple }))} value={value} />
    </>
  );
}

/** A help table of the engine's filters or blocks: syntax and what it does, an example, what the example prints with this draft. */
function HelpTable({ caption, first, rows, value }: { caption: string; first: string; rows: { key: string; syntaxe: string; aide: string; exemple: string }[]; value: (template: string) => string }) {
  return (
    <div className={fr.cx("fr-table", "fr-table--bordered", "fr-table--no-caption")}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">Exemple</th>
            <th scope="col">Avec ce brouillon</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>
                <code>{r.syntaxe}</code> : {r.aide}
              </td>
              <td>
                <code>{r.exemple}</code>
              </td>
              <td>{value(r.exemple)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
