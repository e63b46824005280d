import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { formatEuros } from "~/domain/convention";
import { ACT_TYPES, PUBLIC_STATUSES, PUBLIC_STATUS_LABELS, TYPE_LABELS, typeLabel } from "~/domain/public-act";
import { listRegister } from "~/services/list-register.server";

export const meta: MetaFunction = () => [
  { title: "Registre public des conventions de délégation de gestion — Paraphe" },
  { name: "description", content: "Les conventions de délégation de gestion signées, leurs avenants et résiliations, avec le PDF signé et son empreinte SHA-256." },
];

/** Public, without account: the signed acts that are publishable. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return listRegister(context.db, new URL(request.url).searchParams);
}

const dateFr = (iso: string | null) => (iso ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`)) : "—");

export default function Register() {
  const { query, errors, page, pageCount, total, items, ministries } = useLoaderData<typeof loader>();
  const params = (p: number) => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== "page") s.set(k, String(v));
    if (p > 1) s.set("page", String(p));
    const qs = s.toString();
    return qs ? `/registre?${qs}` : "/registre";
  };
  return (
    <Page title="Registre public des conventions de délégation de gestion">
      <p className={fr.cx("fr-text--lead")}>
        Les conventions de délégation de gestion signées dans Paraphe, leurs avenants et leurs résiliations (décret n°&nbsp;2004-1085 du
        14&nbsp;octobre&nbsp;2004). Chaque acte se télécharge signé, avec son empreinte SHA-256 pour vérifier le fichier.
      </p>
      <p>
        Données ouvertes : <a href="/donnees/conventions.csv">CSV</a> · <a href="/donnees/conventions.json">JSON</a> ·{" "}
        <a href="/donnees/schema.json">schéma (Table Schema)</a>
      </p>
      {errors.length ? <Alert severity="warning" small description={`Filtre ignoré : ${errors.join(" ; ")}`} className={fr.cx("fr-mb-2w")} /> : null}
      <Form method="get" role="search" aria-label="Rechercher dans le registre" className={fr.cx("fr-mb-3w")}>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Input label="Rechercher" hintText="Référence, NOR, partie, service, UO, objet" nativeInputProps={{ name: "q", defaultValue: query.q ?? "", type: "search", maxLength: 200 }} />
          </div>
          <div className={fr.cx("fr-col-6", "fr-col-md-2")}>
            <Input label="Année" hintText="Échéancier ou signature" nativeInputProps={{ name: "annee", defaultValue: query.annee ?? "", inputMode: "numeric", pattern: "[0-9]{4}", maxLength: 4 }} />
          </div>
          <div className={fr.cx("fr-col-6", "fr-col-md-2")}>
            <Select label="Ministère" nativeSelectProps={{ name: "ministere", defaultValue: query.ministere ?? "" }}>
              <option value="">Tous</option>
              {ministries.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx("fr-col-6", "fr-col-md-2")}>
            <Select label="Statut" nativeSelectProps={{ name: "statut", defaultValue: query.statut ?? "" }}>
              <option value="">Tous</option>
              {PUBLIC_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {PUBLIC_STATUS_LABELS[s]}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx("fr-col-6", "fr-col-md-2")}>
            <Select label="Type d'acte" nativeSelectProps={{ name: "type", defaultValue: query.type ?? "" }}>
              <option value="">Tous</option>
              {ACT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm")}>
          <li>
            <button type="submit" className={fr.cx("fr-btn")}>
              Rechercher
            </button>
          </li>
          <li>
            <Link to="/registre" className={fr.cx("fr-btn", "fr-btn--tertiary")}>
              Effacer les filtres
            </Link>
          </li>
        </ul>
      </Form>

      <p role="status">{total === 0 ? "Aucun acte ne correspond." : total === 1 ? "1 acte" : `${total} actes`}</p>
      {items.length ? (
        <div className={fr.cx("fr-table", "fr-table--no-caption")}>
          <table>
            <caption>Actes publiés</caption>
            <thead>
              <tr>
                <th scope="col">Référence</th>
                <th scope="col">Type</th>
                <th scope="col">Parties</th>
                <th scope="col">Objet et services</th>
                <th scope="col">UO, AE / CP</th>
                <th scope="col">Période</th>
                <th scope="col">Statut</th>
                <th scope="col">Signé le</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.identifiant}>
                  <td>
                    <Link to={`/registre/${encodeURIComponent(a.cle)}`}>{a.reference ?? "Sans référence"}</Link>
                    {a.nor ? <div className={fr.cx("fr-text--xs")}>NOR {a.nor}</div> : null}
                  </td>
                  <td>{typeLabel(a)}</td>
                  <td>
                    {a.delegant ?? "—"}
                    <br />→ {a.delegataires.join(", ") || "—"}
                  </td>
                  <td>
                    {a.objet ?? a.intitule}
                    {a.services.length ? <div className={fr.cx("fr-text--xs")}>{a.services.join(", ")}</div> : null}
                  </td>
                  <td>
                    {a.uo ?? "—"}
                    {a.echeancier.map((e) => (
                      <div key={e.annee} className={fr.cx("fr-text--xs")}>
                        {e.annee} : {formatEuros(e.ae)} / {formatEuros(e.cp)}
                      </div>
                    ))}
                  </td>
                  <td>
                    {a.dateDebut || a.dateFin ? (
                      <>
                        {dateFr(a.dateDebut)} → {a.dateFin ? dateFr(a.dateFin) : "durée indéterminée"}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    <StatusBadge status={a.statut} />
                  </td>
                  <td>{dateFr(a.dateSignature)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pageCount > 1 ? <Pagination count={pageCount} defaultPage={page} getPageLinkProps={(p) => ({ to: params(p) })} className={fr.cx("fr-mt-3w")} /> : null}
    </Page>
  );
}
