import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { formatDate, Page } from "~/components/page";
import { formatEuros } from "~/domain/convention";
import { fromFormEntries } from "~/domain/form-entries";
import { CREDITS, type Credit, type YearRow } from "~/domain/spending";
import { CircuitError } from "~/services/circuit-shared.server";
import { requireConventionAccess } from "~/services/convention-access.server";
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

/** A small bar chart of the share consumed, per year and credit; the same figures are in the table. */
function Chart({ table }: { table: YearRow[] }) {
  return (
    <figure className={fr.cx("fr-mb-4w")} aria-labelledby="chart-caption">
      <figcaption id="chart-caption" className={fr.cx("fr-text--sm")}>
        Part consommée des crédits délégués, par année (les montants sont dans le tableau ci-dessus)
      </figcaption>
      {table.map((row) =>
        CREDITS.map((c) => {
          const share = row.delegue[c] > 0 ? Math.max(0, Math.min(1, row.consomme[c] / row.delegue[c])) : 0;
          const pct = Math.round(share * 100);
          return (
            <div key={`${row.annee}-${c}`} style={{ display: "flex", alignItems: "center", gap: "0.75rem", marginBottom: "0.25rem" }}>
              <span style={{ width: "6rem" }}>
                {row.annee} {SHORT[c]}
              </span>
              <span aria-hidden="true" style={{ flex: 1, maxWidth: "24rem", height: "1rem", background: "var(--background-contrast-grey)", display: "block" }}>
                <span style={{ display: "block", height: "100%", width: `${pct}%`, background: "var(--background-action-high-blue-france)" }} />
              </span>
              <span>{pct}&nbsp;%</span>
            </div>
          );
        }),
      )}
    </figure>
  );
}

export default function Spending() {
  const { convention, canRecord, inForce, table, lines, recorded } = useLoaderData<typeof loader>();
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
                <Input label="Date" {...field("date")} nativeInputProps={{ name: "date", type: "date", defaultValue: values.date ?? "", required: true }} />
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
          {inForce ? "Seuls les rédacteurs du délégataire enregistrent les dépenses." : "Les dépenses s'enregistrent pendant que la convention est en vigueur."}
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
