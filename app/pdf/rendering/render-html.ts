/**
 * Document tree -> self-contained HTML (web preview, and the Chromium comparison in the bench).
 * Every string is escaped; links are kept only for http(s) and mailto URLs.
 */
import { frenchSpacing, type Block, type DocumentTree, type Run, type TextRun } from "../../templates/document";
import { withTotalRow } from "./table-totals";

export interface HtmlOptions {
  /** URL of the folder holding Marianne-*.woff2 (e.g. « /dsfr/fonts »); system fonts otherwise. */
  fontBaseUrl?: string;
  /** Only the <article> fragment, without <html>/<head> (to embed in a page). */
  fragment?: boolean;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const SAFE_URL = /^(https?:|mailto:)/i;

function runHtml(r: TextRun): string {
  let h = escapeHtml(r.text);
  if (r.bold) h = `<strong>${h}</strong>`;
  if (r.italic) h = `<em>${h}</em>`;
  if (r.href && SAFE_URL.test(r.href)) h = `<a href="${escapeHtml(r.href)}">${h}</a>`;
  return h;
}

class Html {
  notes: string[] = [];
  runs(runs: Run[]): string {
    return frenchSpacing(runs)
      .map((r) => {
        if (r.kind === "text") return runHtml(r);
        const n = this.notes.length + 1;
        this.notes.push(`<li id="note-${n}">${frenchSpacing(r.runs).map((x) => runHtml(x as TextRun)).join("")}</li>`);
        return `<sup><a href="#note-${n}">${n}</a></sup>`;
      })
      .join("");
  }
  /** A run-in heading waiting for the paragraph it starts. */
  runIn: string | null = null;
  block(b: Block): string {
    // A run-in heading starts the next paragraph; anything else gets it on its own.
    const pending = this.runIn !== null && b.type !== "paragraph" ? `<p>${this.runIn}</p>` : "";
    if (pending) this.runIn = null;
    return pending + this.blockHtml(b);
  }
  blockHtml(b: Block): string {
    switch (b.type) {
      case "heading":
        if (b.level === 4) {
          this.runIn = `<strong class="run-in" role="heading" aria-level="4">${this.runs(b.runs)}</strong>`;
          return "";
        }
        return `<h${b.level}>${this.runs(b.runs)}${b.titleLine ? `<br>${this.runs(b.titleLine)}` : ""}</h${b.level}>`;
      case "paragraph": {
        const runIn = this.runIn ? `${this.runIn} ` : "";
        this.runIn = null;
        return `<p${b.align && b.align !== "justify" ? ` class="${b.align}"` : ""}>${runIn}${this.runs(b.runs)}</p>`;
      }
      case "list":
        return `<ul>${b.items.map((i) => `<li>${this.runs(i)}</li>`).join("")}</ul>`;
      case "table": {
        const t = withTotalRow(b);
        const cell = (tag: string, c: Run[], i: number) => `<${tag}${t.aligns?.[i] === "right" ? ' class="right"' : ""}>${this.runs(c)}</${tag}>`;
        const head = t.header.map((r) => `<tr>${r.map((c, i) => cell("th", c, i)).join("")}</tr>`).join("");
        const body = t.rows.map((r) => `<tr>${r.map((c, i) => cell("td", c, i)).join("")}</tr>`).join("");
        return `<table>${head ? `<thead>${head}</thead>` : ""}<tbody>${body}</tbody></table>`;
      }
      case "signatures":
        return `<div class="signatures">${b.blocks
          .map((s, i) => `<div class="signature"><p><strong>${escapeHtml(s.partyLabel)}</strong><br>${escapeHtml(s.name)}</p><div class="box" data-field="signature-${i + 1}"></div></div>`)
          .join("")}</div>`;
      case "pageBreak":
        return `<div class="page-break"></div>`;
    }
  }
}

export function renderHtml(doc: DocumentTree, options: HtmlOptions = {}): string {
  const h = new Html();
  const body = doc.blocks.map((b) => h.block(b)).join("\n") + (h.runIn ? `<p>${h.runIn}</p>` : "");
  const notes = h.notes.length ? `<ol class="notes">${h.notes.join("")}</ol>` : "";
  const marque = doc.blocMarque ? `<header class="marque"><p class="rf">RÉPUBLIQUE<br>FRANÇAISE</p><p class="devise">Liberté<br>Égalité<br>Fraternité</p>${doc.headerNote ? `<p class="note">${escapeHtml(doc.headerNote)}</p>` : ""}</header>` : "";
  const article = `<article class="paraphe-doc" lang="${escapeHtml(doc.meta.lang ?? "fr-FR")}">${marque}${body}${notes}</article>`;
  if (options.fragment) return article;
  const font = options.fontBaseUrl
    ? ["Regular:400:normal", "Bold:700:normal", "Regular_Italic:400:italic", "Bold_Italic:700:italic"]
        .map((v) => {
          const [file, weight, style] = v.split(":");
          return `@font-face{font-family:Marianne;src:url("${escapeHtml(options.fontBaseUrl!)}/Marianne-${file}.woff2") format("woff2");font-weight:${weight};font-style:${style}}`;
        })
        .join("")
    : "";
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(doc.meta.title)}</title><style>${font}
@page{size:A4;margin:22mm 24mm}
body{font-family:Marianne,Arial,sans-serif;font-size:10pt;line-height:1.42;color:#161616}
.paraphe-doc{max-width:160mm;margin:auto}
h1{font-size:17pt;text-align:center;margin:18pt 0 16pt}h2{font-size:11pt;margin:14pt 0 6pt;break-after:avoid}h3{font-size:10pt;margin:8pt 0 3pt;break-after:avoid}
p{margin:0 0 7pt;text-align:justify}p.center{text-align:center}p.right{text-align:right}p.left{text-align:left}
ul{margin:0 0 7pt;padding-left:22pt}li{text-align:justify;margin-bottom:2.5pt}
table{border-collapse:collapse;margin:4pt 0 10pt;font-size:9.5pt}th,td{border:.5pt solid #8c8c99;padding:4pt;text-align:left;vertical-align:top}th{background:#ededf5}.right{text-align:right}
thead{display:table-header-group}tr{break-inside:avoid}
.marque .rf{font-weight:700;font-size:10.5pt;line-height:1.1;margin:0 0 3pt;text-align:left}.marque .devise{font-style:italic;font-size:7.5pt;line-height:1.1;text-align:left}.marque .note{text-align:right;font-size:8pt}
.signatures{display:flex;flex-wrap:wrap;gap:16pt;break-inside:avoid}.signature{width:220pt}.box{width:220pt;height:70pt;border:.6pt dashed #b3b3bf}
.notes{font-size:7.5pt;border-top:.5pt solid #888;padding-top:4pt}.page-break{break-after:page}
a{color:#000091;text-decoration:none}
</style></head><body>${article}</body></html>`;
}
