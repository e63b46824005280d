import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatDate, Page } from "~/components/page";
import { DateInput } from "~/components/date-input";
import { formatEuros } from "~/domain/convention";
import { fromFormEntries } from "~/domain/form-entries";
import { CREDITS, type Credit, type YearRow } from "~/domain/spending";
import { CircuitError } from "~/services/circuit-shared.server";
import { requireConventionAccess } from "~/services/convention-access.server";
import { findReport } from "~/models/spending.server";
import { isDelegataireRedacteur, recordSpending, SPENDING_STATUSES, spendingSummary } from "~/services/record-spending.server";
import { requestMeta, requireUser } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Suivi des dépenses — Paraphe" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "read");
  if (convention.kind !== "convention") throw new Response("Les dépenses se suivent sur la convention.", { status: 404 });
  const { lines, table } = await spendingSummary(context.db, convention.id, convention.data);
  const inForce = SPENDING_STATUSES.includes(convention.status);
  return {
    convention: { id: convention.id, title: convention.title },
    canRecord: inForce && (await isDelegataireRedacteur(context.db, user.id, convention.id)),
    inForce,
    table,
    recorded: new URL(request.url).searchParams.has("enregistre"),
    report: (await findReport(context.db, convention.id)) ?? null,
    lines: lines.map((l) => ({
      id: l.id,
      year: l.year,
      credit: l.credit,
      date: l.line_date,
      amountCents: l.amountCents,
      chorus: l.chorus_reference,
      comment: l.comment,
      reason: l.correction_reason,
      by: `${l.first_name} ${l.last_name}`,
    })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "edit");
  const form = fromFormEntries((await request.formData()).entries());
  try {
    const actor = { id: user.id, authMethod: user.auth_method, ...requestMeta(request, context) };
    const result = await recordSpending(context.db, actor, convention.id, form);
    if (!result.ok) return { errors: Object.fromEntries(result.errors.map((e) => [e.path, e.message])) as Record<string, string>, values: form as Record<string, string> };
  } catch (error) {
    if (error instanceof CircuitError) return { errors: { _: error.message } as Record<string, string>, values: form as Record<string, string> };
    throw error;
  }
  return redirect(`/conventions/${convention.id}/depenses?enregistre=1`);
}

const SHORT: Record<Credit, string> = { ae: "AE", cp: "CP" };
const euros = (cents: number) => (cents < 0 ? `−${formatEuros(-cents / 100)}` : formatEuros(cents / 100));

/**
 * A small bar chart (SVG): per year and credit, the delegated amount as a grey bar and the consumed
 * share over it. Its text alternative (the <desc>) says the same figures in words; the table above has them all.
 */
function Chart({ table }: { table: YearRow[] }) {
  const bars = table.flatMap((row) =>
    CREDITS.map((c) => {
      const share = row.delegue[c] > 0 ? Math.max(0, Math.min(1, row.consomme[c] / row.delegue[c])) : 0;
      return { key: `${row.annee}-${c}`, label: `${row.annee} ${SHORT[c]}`, share, pct: Math.round(share * 100), consomme: row.consomme[c], delegue: row.delegue[c] };
    }),
  );
  const rowH = 28;
  const height = bars.length * rowH + 8;
  const [labelW, barW] = [80, 240];
  const description = bars.map((b) => `${b.label} : ${euros(b.consomme)} consommés sur ${euros(b.delegue)} délégués (${b.pct} %)`).join(" ; ");
  return (
    <figure className={fr.cx("fr-mb-4w")} style={{ margin: 0 }}>
      <svg role="img" aria-labelledby="chart-title chart-desc" viewBox={`0 0 ${labelW + barW + 70} ${height}`} style={{ width: "100%", maxWidth: "28rem", height: "auto", display: "block" }}>
        <title id="chart-title">Part consommée des crédits délégués, par année</title>
        <desc id="chart-desc">{description}.</desc>
        {bars.map((b, i) => {
          const y = 4 + i * rowH;
          return (
            <g key={b.key}>
              <text x={0} y={y + 16} style={{ fill: "var(--text-default-grey)", fontSize: 14 }}>
                {b.label}
              </text>
              <rect x={labelW} y={y + 4} width={barW} height={16} style={{ fill: "var(--background-contrast-grey)" }} />
              <rect x={labelW} y={y + 4} width={Math.round(barW * b.share)} height={16} style={{ fill: "var(--background-action-high-blue-france)" }} />
              <text x={labelW + barW + 8} y={y + 16} style={{ fill: "var(--text-default-grey)", fontSize: 14 }}>
                {b.pct} %
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className={fr.cx("fr-text--sm", "fr-mt-1w")}>
        Part consommée des crédits délégués, par année (en bleu ; les montants sont dans le tableau ci-dessus).
      </figcaption>
    </figure>
  );
}

/** Where the compte rendu d'exécution stands, once the convention has ended. */
function ReportLine({ report }: { report: { id: string; status: string } | null }) {
  if (!report) return null;
  const state = report.status === "brouillon" ? "préparé, à faire signer par le délégataire" : report.status === "en_signature" ? "en cours de signature" : "signé et transmis au délégant";
  return (
    <p>
      <Link to={`/conventions/${report.id}`}>Compte rendu d'exécution</Link> : {state}.
    </p>
  );
}

export default function Spending() {
  const { convention, canRecord, inForce, table, lines, recorded, report } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const field = (name: string) => ({ state: errors[name] ? ("error" as const) : ("default" as const), stateRelatedMessage: errors[name] });
  return (
    <Page title="Suivi des dépenses" trail={[{ label: "Conventions", href: "/conventions" }, { label: convention.title, href: `/conventions/${convention.id}` }]}>
      <p>
        Ce que le délégataire a engagé (AE) et payé (CP), par année, au regard des crédits délégués par la convention. Une ligne ne se
        modifie pas : une correction est une nouvelle ligne d'un montant négatif, avec son motif.
      </p>
      {recorded ? <Alert severity="success" small description="Ligne enregistrée." className={fr.cx("fr-mb-3w")} /> : null}
      <ReportLine report={report} />
      <div className={fr.cx("fr-table")}>
        <table>
          <caption>Crédits délégués, consommés et restants par année</caption>
          <thead>
            <tr>
              <th scope="col">Année</th>
              <th scope="col">AE déléguées</th>
              <th scope="col">AE consommées</th>
              <th scope="col">AE restantes</th>
              <th scope="col">CP délégués</th>
              <th scope="col">CP consommés</th>
              <th scope="col">CP restants</th>
            </tr>
          </thead>
          <tbody>
            {table.map((r) => (
              <tr key={r.annee}>
                <th scope="row">{r.annee}</th>
                <td>{euros(r.delegue.ae)}</td>
                <td>{euros(r.consomme.ae)}</td>
                <td>{euros(r.restant.ae)}</td>
                <td>{euros(r.delegue.cp)}</td>
                <td>{euros(r.consomme.cp)}</td>
                <td>{euros(r.restant.cp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.length ? <Chart table={table} /> : null}

      {canRecord ? (
        <>
          <h2 className={fr.cx("fr-h4")}>Enregistrer une dépense</h2>
          {errors._ ? <Alert severity="error" small description={errors._} className={fr.cx("fr-mb-2w")} /> : null}
          {/* Keyed by the number of lines: the fields empty once a line is recorded. */}
          <Form key={lines.length} method="post" className={fr.cx("fr-mb-4w")}>
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-6", "fr-col-md-2")}>
                <Select label="Année" {...field("annee")} nativeSelectProps={{ name: "annee", defaultValue: values.annee ?? String(table[0]?.annee ?? "") }}>
                  {table.map((r) => (
                    <option key={r.annee} value={r.annee}>
                      {r.annee}
                    </option>
                  ))}
                </Select>
              </div>
              <div className={fr.cx("fr-col-6", "fr-col-md-2")}>
                <Select label="Crédits" {...field("credit")} nativeSelectProps={{ name: "credit", defaultValue: values.credit ?? "ae" }}>
                  <option value="ae">AE (engagé)</option>
                  <option value="cp">CP (payé)</option>
                </Select>
              </div>
              <div className={fr.cx("fr-col-6", "fr-col-md-2")}>
                <DateInput label="Date" error={errors.date} nativeInputProps={{ name: "date", defaultValue: values.date ?? "", required: true }} />
              </div>
              <div className={fr.cx("fr-col-6", "fr-col-md-3")}>
                <Input label="Montant (€)" hintText="Négatif pour une correction" {...field("montant")} nativeInputProps={{ name: "montant", defaultValue: values.montant ?? "", required: true, maxLength: 40, inputMode: "decimal" }} />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
                <Input label="Référence Chorus" hintText="Engagement juridique ou demande de paiement" {...field("chorus")} nativeInputProps={{ name: "chorus", defaultValue: values.chorus ?? "", required: true, maxLength: 40 }} />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <Input label="Commentaire (facultatif)" {...field("commentaire")} nativeInputProps={{ name: "commentaire", defaultValue: values.commentaire ?? "", maxLength: 500 }} />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <Input label="Motif de la correction" hintText="Obligatoire pour un montant négatif" {...field("motif")} nativeInputProps={{ name: "motif", defaultValue: values.motif ?? "", maxLength: 500 }} />
              </div>
            </div>
            <button type="submit" className={fr.cx("fr-btn")}>
              Enregistrer la ligne
            </button>
          </Form>
        </>
      ) : (
        <p className={fr.cx("fr-text--sm")}>
          {inForce
            ? "Seuls les rédacteurs du délégataire enregistrent les dépenses."
            : "Les dépenses s'enregistrent pendant que la convention est en vigueur ; à son terme, elles forment le compte rendu d'exécution."}
        </p>
      )}

      <h2 className={fr.cx("fr-h4")}>Lignes enregistrées</h2>
      {lines.length ? (
        <div className={fr.cx("fr-table")}>
          <table>
            <caption>Historique des lignes de dépense</caption>
            <thead>
              <tr>
                <th scope="col">Année</th>
                <th scope="col">Crédits</th>
                <th scope="col">Date</th>
                <th scope="col">Montant</th>
                <th scope="col">Référence Chorus</th>
                <th scope="col">Commentaire ou motif</th>
                <th scope="col">Saisie par</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.year}</td>
                  <td>{SHORT[l.credit]}</td>
                  <td>{formatDate(`${l.date}T12:00:00Z`)}</td>
                  <td>{euros(l.amountCents)}</td>
                  <td>{l.chorus}</td>
                  <td>{l.reason ? `Correction : ${l.reason}` : (l.comment ?? "")}</td>
                  <td>{l.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Aucune dépense enregistrée.</p>
      )}
    </Page>
  );
}
