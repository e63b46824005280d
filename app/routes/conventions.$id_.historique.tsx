import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { VersionDiff } from "~/components/version-diff";
import { formatDateLongue } from "~/domain/convention";
import { compare, history } from "~/services/convention-history.server";
import { requireUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Historique — ${data?.title ?? "Convention"} — Paraphe` }];

/** A version number from the query string (0 = the initial act), or null. */
const versionParam = (v: string | null) => (v !== null && /^\d{1,4}$/.test(v) ? Number(v) : null);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const h = await history(context.db, user, params.id ?? "");
  const url = new URL(request.url);
  const numbers = h.versions.map((v) => v.number);
  const last = numbers.length ? Math.max(...numbers) : 0;
  // By default: the version before the last one against the last one.
  const from = versionParam(url.searchParams.get("de")) ?? Math.max(0, last - 1);
  const to = versionParam(url.searchParams.get("a")) ?? last;
  const known = numbers.includes(from) && numbers.includes(to);
  const diff = numbers.length > 1 && known && from !== to ? await compare(context.db, user, h.convention.id, from, to) : null;
  return {
    id: h.convention.id,
    title: h.convention.title,
    versions: h.versions,
    from,
    to,
    diff,
    unknownVersion: !known && numbers.length > 0,
  };
}

const versionLabel = (v: { number: number; avenantNumber: number | null }) => (v.number === 0 ? "Version initiale" : `Version après l'avenant n° ${v.avenantNumber ?? v.number}`);

export default function History() {
  const { id, title, versions, from, to, diff, unknownVersion } = useLoaderData<typeof loader>();
  const label = (n: number) => {
    const v = versions.find((x) => x.number === n);
    return v ? versionLabel(v) : `version ${n}`;
  };
  return (
    <Page
      title="Historique de la convention"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: title, href: `/conventions/${id}` },
      ]}
    >
      <p className={fr.cx("fr-text--lead")}>{title}</p>
      {versions.length === 0 ? (
        <p>La convention n'est pas encore signée : son historique commencera à sa signature.</p>
      ) : (
        <>
          <h2 className={fr.cx("fr-h4")}>Actes signés</h2>
          <div className={fr.cx("fr-table")}>
            <table>
              <caption className={fr.cx("fr-sr-only")}>Acte initial et avenants, avec leurs documents signés</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Acte</th>
                  <th scope="col">Signé le</th>
                  <th scope="col">Document signé</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.number}>
                    <th scope="row">{versionLabel(v)}</th>
                    <td>
                      {v.actId === id ? (
                        v.actLabel
                      ) : (
                        <Link to={`/conventions/${v.actId}`}>{v.actLabel}</Link>
                      )}
                    </td>
                    <td>{v.signedOn ? formatDateLongue(v.signedOn) : "—"}</td>
                    <td>
                      <a href={`/conventions/${v.actId}/signe.pdf`} download>
                        Télécharger le PDF signé<span className={fr.cx("fr-sr-only")}> ({v.actLabel})</span>
                      </a>
                      {v.sha256 ? (
                        <>
                          <br />
                          <span className={fr.cx("fr-text--xs")}>
                            SHA-256 : <code style={{ wordBreak: "break-all" }}>{v.sha256}</code>
                          </span>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a className={fr.cx("fr-link", "fr-icon-file-pdf-line", "fr-link--icon-left")} href={`/conventions/${id}/consolidee.pdf`}>
              Version consolidée (PDF, document informatif non signé)
            </a>
          </p>
          {versions.length > 1 ? (
            <>
              <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Comparer deux versions</h2>
              <Form method="get" className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom", "fr-mb-3w")}>
                <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                  <Select label="De" nativeSelectProps={{ name: "de", defaultValue: String(from) }}>
                    {versions.map((v) => (
                      <option key={v.number} value={v.number}>
                        {versionLabel(v)}
                      </option>
                    ))}
                  </Select>
                </div>
                <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                  <Select label="À" nativeSelectProps={{ name: "a", defaultValue: String(to) }}>
                    {versions.map((v) => (
                      <option key={v.number} value={v.number}>
                        {versionLabel(v)}
                      </option>
                    ))}
                  </Select>
                </div>
                <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                  <Button type="submit" className={fr.cx("fr-mb-3w")}>
                    Comparer
                  </Button>
                </div>
              </Form>
              {unknownVersion ? <p className={fr.cx("fr-error-text")}>Cette version n'existe pas : choisissez-en une dans la liste.</p> : null}
              {from === to && !unknownVersion ? <p>Choisissez deux versions différentes.</p> : null}
              {diff ? (
                <section aria-label={`Différences entre ${label(from)} et ${label(to)}`}>
                  <p className={fr.cx("fr-text--bold")}>
                    Différences entre la {label(from).toLowerCase()} et la {label(to).toLowerCase()}
                  </p>
                  <VersionDiff diff={diff} fromLabel={label(from).toLowerCase()} toLabel={label(to).toLowerCase()} />
                </section>
              ) : null}
            </>
          ) : null}
        </>
      )}
    </Page>
  );
}
