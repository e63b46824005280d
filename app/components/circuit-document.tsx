import { fr } from "@codegouvfr/react-dsfr";
import { InlineStyle } from "~/components/inline-style";

const DOC_CSS = `
.paraphe-pdf-frame{width:100%;height:78vh;min-height:32rem;border:1px solid var(--border-default-grey);background:var(--background-alt-grey)}
.paraphe-texte summary{cursor:pointer;font-weight:700;padding:.75rem 1rem;border:1px solid var(--border-default-grey);background:var(--background-alt-blue-france);color:var(--text-action-high-blue-france)}
.paraphe-texte[open] summary{border-bottom:none}
.paraphe-texte .paraphe-apercu{background:var(--background-alt-grey);padding:1.5rem 1rem;border:1px solid var(--border-default-grey)}
.paraphe-texte .paraphe-doc{background:#fff;color:#161616;max-width:50rem;margin:auto;padding:2.5rem 3rem;box-shadow:0 2px 6px rgba(0,0,18,.16);font-size:.95rem;line-height:1.55}
.paraphe-texte .paraphe-doc h1{font-size:1.6rem;text-align:center;margin:1.5rem 0}
.paraphe-texte .paraphe-doc h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.paraphe-texte .paraphe-doc h3{font-size:1rem;margin:1rem 0 .25rem}
.paraphe-texte .paraphe-doc p{text-align:justify;margin:0 0 .75rem}
.paraphe-texte .paraphe-doc p.center{text-align:center}.paraphe-texte .paraphe-doc p.right{text-align:right}.paraphe-texte .paraphe-doc p.left{text-align:left}
.paraphe-texte .paraphe-doc table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem;display:table;width:auto}
.paraphe-texte .paraphe-doc th,.paraphe-texte .paraphe-doc td{border:1px solid #8c8c99;padding:.3rem .5rem;text-align:left;vertical-align:top}
.paraphe-texte .paraphe-doc th{background:#ededf5}.paraphe-texte .paraphe-doc .right{text-align:right}
.paraphe-texte .paraphe-doc .marque .rf{font-weight:700;line-height:1.1;margin:0;text-align:left}
.paraphe-texte .paraphe-doc .marque .devise{font-style:italic;font-size:.75rem;line-height:1.1;text-align:left}
.paraphe-texte .paraphe-doc .marque .note{text-align:right;font-size:.8rem}
.paraphe-texte .paraphe-doc .signatures{display:flex;flex-wrap:wrap;gap:2rem;margin-top:1rem}
.paraphe-texte .paraphe-doc .box{width:16rem;height:5rem;border:1px dashed #8c8c99}
.paraphe-texte .paraphe-doc .notes{font-size:.8rem;border-top:1px solid #8c8c99;padding-top:.5rem;margin-top:2rem}
.paraphe-texte .paraphe-doc .page-break{border-top:1px dashed #cecece;margin:2rem 0}
.paraphe-action{border:1px solid var(--border-default-grey);border-top:4px solid var(--border-plain-blue-france);padding:1.5rem;background:var(--background-default-grey)}
@media (min-width:62em){.paraphe-action{position:sticky;top:1rem}}
.paraphe-step-cell{min-width:14rem}
.paraphe-etape{border:1px solid var(--border-default-grey);border-left:4px solid var(--border-plain-blue-france);padding:1rem 1rem .5rem;margin-left:0;margin-right:0;background:var(--background-default-grey)}
.paraphe-etape .fr-fieldset__legend{display:flex;align-items:center;gap:.75rem;padding-top:.25rem}
.paraphe-etape .fr-fieldset__legend .fr-h5{margin:0}
.paraphe-etape__numero{display:inline-flex;align-items:center;justify-content:center;width:2rem;height:2rem;border-radius:50%;background:var(--background-action-high-blue-france);color:var(--text-inverted-blue-france);font-weight:700}
.paraphe-step-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0 1rem}
.paraphe-step-actions__spacer{flex:1}
@media (min-width:62em){.paraphe-action-col{order:2}}
.paraphe-place{margin:0 0 1rem}
.paraphe-place__page{position:relative;border:1px solid var(--border-default-grey);background:#fff;max-width:100%}
.paraphe-place__page img{display:block;width:100%;height:auto}
.paraphe-place__box{position:absolute;border:2px dashed #6a6af4;background:rgba(106,106,244,.08)}
.paraphe-place__box--signed{border:2px solid #18753c;background:rgba(24,117,60,.08)}
.paraphe-place__box--mine{border:3px solid #ce0500;background:rgba(255,233,115,.45);box-shadow:0 0 0 3px rgba(206,5,0,.25)}
.paraphe-place__box span{position:absolute;left:0;bottom:100%;font-size:.7rem;line-height:1.1;background:#fff;color:#161616;padding:0 .2rem;white-space:nowrap}
@media (max-width:47.99em){
.paraphe-circuit .fr-table table,.paraphe-circuit .fr-table tbody,.paraphe-circuit .fr-table tr,.paraphe-circuit .fr-table th,.paraphe-circuit .fr-table td{display:block;width:auto;max-width:100%;box-sizing:border-box;white-space:normal;overflow-wrap:anywhere}
.paraphe-circuit .fr-table{overflow:visible}
.paraphe-circuit .fr-table table{overflow:visible;min-width:0}
.paraphe-circuit .fr-table .fr-badge{white-space:normal;max-width:100%}
.paraphe-circuit .fr-table thead,.paraphe-circuit .fr-table[data-fr-js-table] > table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.paraphe-circuit .fr-table tr{border-bottom:1px solid var(--border-default-grey);padding:.5rem 0}
.paraphe-circuit .fr-table td[data-label]::before{content:attr(data-label) " : ";font-weight:700}
.paraphe-step-cell{min-width:0}
}
`;

/** The PDF as it will be signed, framed from our own path, and its accessible HTML text below. */
export function CircuitDocument({ title, pdfUrl, html }: { title: string; pdfUrl: string; html: string | null }) {
  return (
    <>
      <InlineStyle css={DOC_CSS} />
      <iframe className="paraphe-pdf-frame" title={`Document PDF à signer : ${title}`} src={pdfUrl} />
      <p className={fr.cx("fr-text--sm", "fr-mt-1w")}>
        Le document ne s'affiche pas ?{" "}
        <a href={pdfUrl} target="_blank" rel="noreferrer" title={`Ouvrir le PDF dans un nouvel onglet — ${title}`}>
          Ouvrir le PDF dans un nouvel onglet
        </a>
        .
      </p>
      {html ? (
        <details className={`paraphe-texte ${fr.cx("fr-mt-2w")}`}>
          <summary>Lire la version texte accessible du document</summary>
          <div className="paraphe-apercu" dangerouslySetInnerHTML={{ __html: html }} />
        </details>
      ) : null}
    </>
  );
}

/** Styles shared by the circuit pages (action panel, step cells) when no document is shown. */
export function CircuitStyles() {
  return <InlineStyle css={DOC_CSS} />;
}
