import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link } from "@remix-run/react";
import { formatDateLongue, formatEuros, terminaisonAccord, type FieldError } from "~/domain/convention";
import { fieldId, fieldNameFor, type DraftData } from "~/domain/convention-draft";
import { missingItems, type MissingItem } from "~/domain/launch-rules";

/**
 * Why a draft cannot go further, each item once in plain words (« Code UO »): empty or wrong fields
 * and template errors (no preview, no PDF), then what only blocks the launch (end date past,
 * schedule years outside the period, no CBCM for the délégant's ministry).
 */
export function DraftProblems({ id, problems, launch = [], editable }: { id: string; problems: FieldError[]; launch?: MissingItem[]; editable: boolean }) {
  const items = missingItems(problems);
  const link = (item: MissingItem) =>
    !editable ? item.text : item.path === "transmission" ? <Link to={`/conventions/${id}/transmission`}>{item.text}</Link> : <Link to={`/conventions/${id}/modifier#${fieldId(fieldNameFor(item.path))}`}>{item.text}</Link>;
  if (items.length === 0 && launch.length === 0)
    return <Alert severity="success" small className={fr.cx("fr-mb-3w")} description="Ce brouillon est complet : il peut être prévisualisé, téléchargé en PDF et envoyé en signature." />;
  return (
    <div id="a-completer" className={fr.cx("fr-mb-3w")}>
      {items.length ? (
        <Alert
          severity="warning"
          title={`Brouillon incomplet : ${items.length === 1 ? "1 élément" : `${items.length} éléments`} à compléter`}
          description={
            <>
              <p>Tant qu'il est incomplet, ce brouillon ne peut pas être prévisualisé, téléchargé en PDF ni envoyé en signature.</p>
              <ul>
                {items.map((e) => (
                  <li key={e.path}>{link(e)}</li>
                ))}
              </ul>
            </>
          }
          className={fr.cx("fr-mb-2w")}
        />
      ) : null}
      {launch.length ? (
        <Alert
          severity="warning"
          title="À régler avant d'envoyer en signature"
          description={
            <ul>
              {launch.map((e) => (
                <li key={e.path + e.text}>{link(e)}</li>
              ))}
            </ul>
          }
        />
      ) : null}
    </div>
  );
}

const euros = (v: unknown) => (typeof v === "number" ? formatEuros(v) : "—");

/** Parties, amounts by year, end date and notice period of a convention. */
export function ConventionSummary({ data }: { data: DraftData }) {
  const parties: { role: string; p: any }[] = [{ role: "Délégant", p: data.delegant }, ...(data.delegataires ?? []).map((p: any, i: number, all: any[]) => ({ role: all.length > 1 ? `Délégataire ${i + 1}` : "Délégataire", p }))];
  const echeancier: any[] = data.financement?.echeancier ?? [];
  const total = (k: "ae" | "cp") => echeancier.reduce((s, e) => s + (typeof e[k] === "number" ? e[k] : 0), 0);
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
        <h2 className={fr.cx("fr-h4")}>Parties</h2>
        <dl className="paraphe-dl">
          {parties.map(({ role, p }, i) => (
            <div key={i} className={fr.cx("fr-mb-2w")}>
              <dt className={fr.cx("fr-text--bold")}>{role}</dt>
              <dd>
                {p?.nom || "—"}
                {p?.representant?.fonction || p?.representant?.nom ? (
                  <>
                    <br />
                    <span className={fr.cx("fr-text--sm")}>
                      Représenté{terminaisonAccord({ nom: p.nom ?? "", genre: p.genre || undefined, nombre: p.nombre || undefined })} par{" "}
                      {[p.representant.nom, p.representant.fonction].filter(Boolean).join(", ")}
                    </span>
                  </>
                ) : null}
              </dd>
            </div>
          ))}
        </dl>
        <h2 className={fr.cx("fr-h4")}>Durée</h2>
        <ul>
          <li>Prise d'effet : {data.debut?.regle === "date" && data.debut?.date ? `le ${formatDateLongue(data.debut.date)}` : "à la date de signature"}</li>
          <li>Date de fin : {data.dateFin ? formatDateLongue(data.dateFin) : "aucune (durée indéterminée)"}</li>
          <li>Préavis de résiliation : {typeof data.preavisMois === "number" ? `${data.preavisMois} mois` : "non renseigné"}</li>
          <li>Lieu de signature : {data.lieuSignature || "non renseigné"}</li>
        </ul>
      </div>
      <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
        <h2 className={fr.cx("fr-h4")}>Montants</h2>
        <p>Unité opérationnelle : {data.financement?.uo || "non renseignée"}</p>
        {echeancier.length ? (
          <div className={fr.cx("fr-table", "fr-table--no-caption")}>
            <table>
              <caption>Échéancier prévisionnel</caption>
              <thead>
                <tr>
                  <th scope="col">Année</th>
                  <th scope="col">AE</th>
                  <th scope="col">CP</th>
                </tr>
              </thead>
              <tbody>
                {echeancier.map((e, i) => (
                  <tr key={i}>
                    <td>{String(e.annee || "—")}</td>
                    <td>{euros(e.ae)}</td>
                    <td>{euros(e.cp)}</td>
                  </tr>
                ))}
                {echeancier.length > 1 ? (
                  <tr>
                    <th scope="row">Total</th>
                    <td>{formatEuros(total("ae"))}</td>
                    <td>{formatEuros(total("cp"))}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Aucun échéancier.</p>
        )}
        {data.services?.length ? <p>Services concernés : {data.services.join(", ")}</p> : null}
      </div>
    </div>
  );
}
