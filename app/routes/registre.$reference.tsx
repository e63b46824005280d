import { fr } from "@codegouvfr/react-dsfr";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { StatusBadge } from "~/components/status-badge";
import { formatEuros } from "~/domain/convention";
import { typeLabel } from "~/domain/public-act";
import { showRegisterEntry } from "~/services/list-register.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data && data.kind === "un" ? `${typeLabel(data.item)} ${data.item.reference ?? ""}`.trim() : "Acte"} — Registre public — Paraphe` },
];

/** Public, without account: one published act at its stable address (/registre/<référence>). */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const found = await showRegisterEntry(context.db, params.reference ?? "");
  if (found.kind === "absent") throw new Response("Aucun acte publié ne porte cette référence.", { status: 404 });
  return found;
}

const dateFr = (iso: string | null) => (iso ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`)) : "—");

export default function RegisterEntry() {
  const found = useLoaderData<typeof loader>();
  const trail = [{ label: "Registre public", href: "/registre" }];
  if (found.kind === "plusieurs")
    return (
      <Page title="Plusieurs actes portent cette référence" trail={trail}>
        <ul>
          {found.items.map((a) => (
            <li key={a.identifiant}>
              <Link to={`/registre/${a.identifiant}`}>
                {typeLabel(a)} — {a.objet ?? a.intitule} (signé le {dateFr(a.dateSignature)})
              </Link>
            </li>
          ))}
        </ul>
      </Page>
    );
  const { item: a, related } = found;
  const title = `${typeLabel(a)}${a.reference ? ` ${a.reference}` : ""}`;
  return (
    <Page title={title} trail={trail}>
      <p className={fr.cx("fr-text--lead")}>{a.objet ?? a.intitule}</p>
      <p>
        <StatusBadge status={a.statut} />
      </p>
      <dl className="paraphe-register-facts">
        <dt>Intitulé</dt>
        <dd>{a.intitule}</dd>
        {a.nor ? (
          <>
            <dt>NOR</dt>
            <dd>{a.nor}</dd>
          </>
        ) : null}
        <dt>Délégant</dt>
        <dd>{a.delegant ?? "—"}</dd>
        <dt>{a.delegataires.length > 1 ? "Délégataires" : "Délégataire"}</dt>
        <dd>{a.delegataires.join(", ") || "—"}</dd>
        {a.services.length ? (
          <>
            <dt>Services concernés</dt>
            <dd>{a.services.join(", ")}</dd>
          </>
        ) : null}
        {a.uo ? (
          <>
            <dt>Unité opérationnelle</dt>
            <dd>{a.uo}</dd>
          </>
        ) : null}
        {a.type === "convention" ? (
          <>
            <dt>Période</dt>
            <dd>
              du {dateFr(a.dateDebut)} {a.dateFin ? `au ${dateFr(a.dateFin)}` : "(durée indéterminée)"}
              {a.preavisMois !== null ? `, préavis de résiliation de ${a.preavisMois} mois` : ""}
            </dd>
          </>
        ) : null}
        <dt>Signatures</dt>
        <dd>
          {a.signataires.map((s) => (s.fonction ? `${s.nom}, ${s.fonction}` : s.nom)).join(" ; ") || "—"}
          {a.datesSignature.length ? ` — signé le ${[...new Set(a.datesSignature)].map(dateFr).join(" et le ")}` : a.dateSignature ? ` — signé le ${dateFr(a.dateSignature)}` : ""}
        </dd>
      </dl>

      {a.echeancier.length ? (
        <div className={fr.cx("fr-table")}>
          <table>
            <caption>Crédits délégués par année</caption>
            <thead>
              <tr>
                <th scope="col">Année</th>
                <th scope="col">Autorisations d'engagement</th>
                <th scope="col">Crédits de paiement</th>
              </tr>
            </thead>
            <tbody>
              {a.echeancier.map((e) => (
                <tr key={e.annee}>
                  <td>{e.annee}</td>
                  <td>{formatEuros(e.ae)}</td>
                  <td>{formatEuros(e.cp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <h2 className={fr.cx("fr-h4")}>Acte signé</h2>
      <p>
        <a
          className={fr.cx("fr-link", "fr-link--download")}
          href={`/registre/${a.identifiant}/acte-signe.pdf`}
          download
        >
          Télécharger le PDF signé <span className={fr.cx("fr-link__detail")}>PDF signé électroniquement et horodaté</span>
        </a>
      </p>
      <p>
        Empreinte SHA-256 du fichier : <code data-testid="sha256">{a.sha256}</code>
        <br />
        <span className={fr.cx("fr-text--sm")}>
          Comparez-la à celle du fichier téléchargé (par exemple <code>sha256sum</code>), ou <Link to="/verifier">vérifiez ses signatures</Link>.
        </span>
      </p>

      <h2 className={fr.cx("fr-h4")}>Actes liés</h2>
      {related.length ? (
        <ul>
          {related.map((r) => (
            <li key={r.identifiant}>
              <Link to={`/registre/${encodeURIComponent(r.cle)}`}>
                {typeLabel(r)}
                {r.reference ? ` ${r.reference}` : ""}
              </Link>{" "}
              — signé le {dateFr(r.dateSignature)}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun autre acte publié pour cette convention.</p>
      )}
    </Page>
  );
}
