import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DraftProblems } from "~/components/convention-summary";
import { Page } from "~/components/page";
import type { FieldError } from "~/domain/convention";
import { requireConventionAccess } from "~/services/convention-access.server";
import { renderDraftHtml } from "~/services/render-draft.server";
import { requireUser } from "~/session.server";
import { InlineStyle } from "~/components/inline-style";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Aperçu — ${data?.title ?? "Convention"} — Paraphe` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, params.id ?? "", "read");
  const editable = convention.status === "brouillon" && user.roles.includes("redacteur");
  // The renderer escapes every value: text typed in a field is shown as text, never as HTML.
  const result = renderDraftHtml(convention.data, 2);
  return {
    id: convention.id,
    title: convention.title,
    version: convention.version,
    editable,
    html: result.ok ? result.html : null,
    problems: result.ok ? ([] as FieldError[]) : result.problems,
  };
}

const PREVIEW_CSS = `
.paraphe-apercu{background:var(--background-alt-grey);padding:2rem 1rem}
.paraphe-apercu .paraphe-doc{background:#fff;color:#161616;max-width:50rem;margin:auto;padding:3rem 3.5rem;box-shadow:0 2px 6px rgba(0,0,18,.16);font-size:.95rem;line-height:1.55}
.paraphe-apercu .paraphe-doc h3{font-size:1.6rem;text-align:center;margin:1.5rem 0}
.paraphe-apercu .paraphe-doc h4{font-size:1.1rem;margin:1.5rem 0 .5rem}
.paraphe-apercu .paraphe-doc h5{font-size:1rem;margin:1rem 0 .25rem}
.paraphe-apercu .paraphe-doc p{text-align:justify;margin:0 0 .75rem}
.paraphe-apercu .paraphe-doc p.center{text-align:center}.paraphe-apercu .paraphe-doc p.right{text-align:right}.paraphe-apercu .paraphe-doc p.left{text-align:left}
.paraphe-apercu .paraphe-doc table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem;display:table;width:auto}
.paraphe-apercu .paraphe-doc th,.paraphe-apercu .paraphe-doc td{border:1px solid #8c8c99;padding:.3rem .5rem;text-align:left;vertical-align:top}
.paraphe-apercu .paraphe-doc th{background:#ededf5}.paraphe-apercu .paraphe-doc .right{text-align:right}
.paraphe-apercu .paraphe-doc .marque .rf{font-weight:700;line-height:1.1;margin:0;text-align:left}
.paraphe-apercu .paraphe-doc .marque .devise{font-style:italic;font-size:.75rem;line-height:1.1;text-align:left}
.paraphe-apercu .paraphe-doc .marque .note{text-align:right;font-size:.8rem}
.paraphe-apercu .paraphe-doc .signatures{display:flex;flex-wrap:wrap;gap:2rem;margin-top:1rem}
.paraphe-apercu .paraphe-doc .box{width:16rem;height:5rem;border:1px dashed #8c8c99}
.paraphe-apercu .paraphe-doc .notes{font-size:.8rem;border-top:1px solid #8c8c99;padding-top:.5rem;margin-top:2rem}
.paraphe-apercu .paraphe-doc .page-break{border-top:1px dashed #cecece;margin:2rem 0}
.paraphe-pdf{width:100%;height:80vh;border:1px solid var(--border-default-grey)}
`;

export default function Preview() {
  const { id, title, version, html, problems, editable } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Aperçu du document"
      trail={[
        { label: "Conventions", href: "/conventions" },
        { label: title, href: `/conventions/${id}` },
      ]}
    >
      <p className={fr.cx("fr-text--lead")}>
        {title} — version {version}
      </p>
      {html === null ? (
        <DraftProblems id={id} problems={problems} editable={editable} />
      ) : (
        <>
          <InlineStyle css={PREVIEW_CSS} />
          <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left", "fr-mb-3w")}>
            <li>
              <a className={fr.cx("fr-btn", "fr-btn--icon-left", "fr-icon-download-line")} href={`/conventions/${id}/document.pdf?telecharger=1`} download>
                Télécharger le PDF
              </a>
            </li>
            {editable ? (
              <li>
                <Button priority="secondary" iconId="fr-icon-edit-line" linkProps={{ to: `/conventions/${id}/modifier` }}>
                  Modifier
                </Button>
              </li>
            ) : null}
          </ul>
          <h2 className={fr.cx("fr-h4")}>Le document en HTML</h2>
          <div className="paraphe-apercu" dangerouslySetInnerHTML={{ __html: html }} />
          <h2 className={fr.cx("fr-h4", "fr-mt-6w")}>Le document en PDF</h2>
          <p className={fr.cx("fr-text--sm")}>Le PDF est le document qui sera signé.</p>
          <iframe className="paraphe-pdf" title={`PDF de la convention « ${title} »`} src={`/conventions/${id}/document.pdf`} />
        </>
      )}
    </Page>
  );
}
