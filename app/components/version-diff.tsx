/**
 * The differences between two versions of a convention (the domain's diffVersions output): article
 * by article with words added in <ins> and removed in <del> (each announced to screen readers, as
 * colour and strike-through are not read), the AE/CP schedule amount by amount, and the other
 * fields (dates, parties, services) as « avant / après ».
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { formatDateLongue, formatEuros } from "~/domain/convention";
import { InlineStyle } from "~/components/inline-style";

export type WordOp = { op: "=" | "+" | "-"; text: string };
export type ArticleDiffView = {
  numero: number;
  titreAvant?: string;
  titreApres?: string;
  change: "ajoute" | "supprime" | "modifie" | "inchange";
  words: WordOp[];
};
export type AmountDiffView = { annee: number; aeAvant?: number; aeApres?: number; cpAvant?: number; cpApres?: number; change?: "ajoute" | "supprime" | "modifie" | "inchange" };
export type FieldDiffView = { label: string; avant: string; apres: string };
export type VersionDiffView = { articles: ArticleDiffView[]; amounts: AmountDiffView[]; fields: FieldDiffView[] };

const CHANGE: Record<ArticleDiffView["change"], { label: string; severity: "success" | "error" | "info" | undefined }> = {
  ajoute: { label: "Article ajouté", severity: "success" },
  supprime: { label: "Article supprimé", severity: "error" },
  modifie: { label: "Article modifié", severity: "info" },
  inchange: { label: "Inchangé", severity: undefined },
};

/** Dark enough text on light tints: contrast above 4.5:1 in the light theme. */
const STYLES = `
.diff-words { white-space: pre-wrap; }
.diff-words ins { background: var(--background-contrast-success); color: var(--text-default-success); text-decoration: underline; }
.diff-words del { background: var(--background-contrast-error); color: var(--text-default-error); text-decoration: line-through; }
.diff-amount-changed { font-weight: 700; }
`;

export function DiffStyles() {
  return <InlineStyle css={STYLES} />;
}

/** Words as a paragraph: runs of added and removed words marked and announced. */
export function DiffWords({ words }: { words: WordOp[] }) {
  return (
    <p className="diff-words">
      {words.map((w, i) =>
        w.op === "+" ? (
          <ins key={i}>
            <span className={fr.cx("fr-sr-only")}>[ajouté : </span>
            {w.text}
            <span className={fr.cx("fr-sr-only")}>]</span>
          </ins>
        ) : w.op === "-" ? (
          <del key={i}>
            <span className={fr.cx("fr-sr-only")}>[supprimé : </span>
            {w.text}
            <span className={fr.cx("fr-sr-only")}>]</span>
          </del>
        ) : (
          <span key={i}>{w.text}</span>
        ),
      )}
    </p>
  );
}

const euros = (v: number | undefined) => (v === undefined ? "—" : formatEuros(v));
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const fieldValue = (v: string) => (v === "" ? "—" : isoDate.test(v) ? formatDateLongue(v) : v);

function ArticleHeading({ a }: { a: ArticleDiffView }) {
  const titre = a.change === "supprime" ? a.titreAvant : a.titreApres ?? a.titreAvant;
  const renamed = a.titreAvant !== undefined && a.titreApres !== undefined && a.titreAvant !== a.titreApres;
  return (
    <h3 className={fr.cx("fr-h6", "fr-mb-1w")}>
      Article {a.numero}
      {titre ? ` — ${titre}` : ""}{" "}
      <Badge as="span" small noIcon severity={CHANGE[a.change].severity}>
        {CHANGE[a.change].label}
      </Badge>
      {renamed ? <span className={fr.cx("fr-text--sm", "fr-ml-1w")}>(titre précédent : « {a.titreAvant} »)</span> : null}
    </h3>
  );
}

export function VersionDiff({ diff, fromLabel, toLabel }: { diff: VersionDiffView; fromLabel: string; toLabel: string }) {
  const changedArticles = diff.articles.filter((a) => a.change !== "inchange");
  const unchanged = diff.articles.length - changedArticles.length;
  // Every year is listed (the schedule reads whole); only a changed one counts as a difference.
  const changedAmounts = diff.amounts.filter((a) => a.change !== "inchange");
  const nothing = changedArticles.length === 0 && changedAmounts.length === 0 && diff.fields.length === 0;
  return (
    <div>
      <DiffStyles />
      {nothing ? <p>Aucune différence entre {fromLabel} et {toLabel}.</p> : null}
      {diff.fields.length ? (
        <section aria-labelledby="diff-champs" className={fr.cx("fr-mb-4w")}>
          <h2 id="diff-champs" className={fr.cx("fr-h4")}>
            Dates, parties et services
          </h2>
          <div className={fr.cx("fr-table")}>
            <table>
              <caption className={fr.cx("fr-sr-only")}>Champs modifiés entre {fromLabel} et {toLabel}</caption>
              <thead>
                <tr>
                  <th scope="col">Élément</th>
                  <th scope="col">Avant ({fromLabel})</th>
                  <th scope="col">Après ({toLabel})</th>
                </tr>
              </thead>
              <tbody>
                {diff.fields.map((f, i) => (
                  <tr key={i}>
                    <th scope="row">{f.label}</th>
                    <td>{fieldValue(f.avant)}</td>
                    <td>{fieldValue(f.apres)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {changedAmounts.length ? (
        <section aria-labelledby="diff-montants" className={fr.cx("fr-mb-4w")}>
          <h2 id="diff-montants" className={fr.cx("fr-h4")}>
            Échéancier (AE et CP)
          </h2>
          <div className={fr.cx("fr-table")}>
            <table>
              <caption className={fr.cx("fr-sr-only")}>Montants modifiés, année par année, entre {fromLabel} et {toLabel}</caption>
              <thead>
                <tr>
                  <th scope="col">Année</th>
                  <th scope="col">AE avant</th>
                  <th scope="col">AE après</th>
                  <th scope="col">CP avant</th>
                  <th scope="col">CP après</th>
                </tr>
              </thead>
              <tbody>
                {diff.amounts.map((a) => (
                  <tr key={a.annee}>
                    <th scope="row">{a.annee}</th>
                    <td>{euros(a.aeAvant)}</td>
                    <td className={a.aeAvant !== a.aeApres ? "diff-amount-changed" : undefined}>{euros(a.aeApres)}</td>
                    <td>{euros(a.cpAvant)}</td>
                    <td className={a.cpAvant !== a.cpApres ? "diff-amount-changed" : undefined}>{euros(a.cpApres)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className={fr.cx("fr-text--sm")}>« — » : année absente de la version.</p>
        </section>
      ) : null}
      {changedArticles.length ? (
        <section aria-labelledby="diff-articles">
          <h2 id="diff-articles" className={fr.cx("fr-h4")}>
            Articles
          </h2>
          <p className={fr.cx("fr-text--sm")}>
            Mots ajoutés <ins className="diff-words">soulignés sur fond vert</ins>, mots supprimés <del className="diff-words">barrés sur fond rouge</del>.
            {unchanged ? ` ${unchanged} article${unchanged > 1 ? "s" : ""} inchangé${unchanged > 1 ? "s" : ""} ne ${unchanged > 1 ? "sont" : "est"} pas repris.` : ""}
          </p>
          {changedArticles.map((a, i) => (
            <article key={`${a.numero}-${i}`} className={fr.cx("fr-mb-3w")}>
              <ArticleHeading a={a} />
              <DiffWords words={a.words} />
            </article>
          ))}
        </section>
      ) : null}
    </div>
  );
}
