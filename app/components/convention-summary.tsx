import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link } from "@remix-run/react";
import { formatDateLongue, formatEuros, terminaisonAccord, type FieldError } from "~/domain/convention";
import { fieldId, fieldLabel, fieldNameFor, type DraftData } from "~/domain/convention-draft";

/** Why a draft cannot go further (empty required fields, or an error in a text). */
export function DraftProblems({ id, problems, editable }: { id: string; problems: FieldError[]; editable: boolean }) {
  if (problems.length === 0)
    return <Alert severity="success" small className={fr.cx("fr-mb-3w")} description="Ce brouillon est complet : il peut être prévisualisé et téléchargé en PDF." />;
  return (
    <div id="a-completer" className={fr.cx("fr-mb-3w")}>
      <Alert
        severity="warning"
        title={`Brouillon incomplet : ${problems.length === 1 ? "1 élément" : `${problems.length} éléments`} à compléter`}
        description={
          <>
            <p>Tant qu'il est incomplet, ce brouillon ne peut pas être prévisualisé, téléchargé en PDF ni envoyé en signature.</p>
            <ul>
              {problems.map((e, i) => (
                <li key={i}>
                  {editable ? <Link to={`/conventions/${id}/modifier#${fieldId(fieldNameFor(e.path))}`}>{fieldLabel(e.path)}</Link> : fieldLabel(e.path)} : {e.message}
                </li>
              ))}
            </ul>
          </>
        }
      />
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
