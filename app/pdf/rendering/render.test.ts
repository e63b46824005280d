import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, PDFString } from "@cantoo/pdf-lib";
import { conventionSchema, type Convention } from "../../domain/convention";
import type { DocumentTree } from "../../templates/document";
import { renderConventionHtml, renderConventionPdf } from "./convention";
import { PAGE_HEIGHT, PAGE_WIDTH, renderDocument } from "./render";
import { markdownToPrintedText, splitFootnotes, stripPageDecorations, stripSignatureStamps, wordSimilarity } from "./text-similarity";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-render-"));
const load = (name: string): Convention => conventionSchema.parse(JSON.parse(fs.readFileSync(`templates/examples/${name}.json`, "utf8")));
const write = (name: string, bytes: Uint8Array) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
};
/** Runs a poppler/qpdf tool and fails on any warning printed to stderr. */
function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  expect(r.stderr, `${cmd} ${args.join(" ")}`).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}
function wordsOutOfBounds(file: string): string[] {
  const html = tool("pdftotext", ["-bbox", file, "-"]);
  const bad: string[] = [];
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)) {
    const [x0, y0, x1, y1] = m.slice(1, 5).map(Number);
    if (x0 < 40 || x1 > PAGE_WIDTH - 40 || y0 < 20 || y1 > PAGE_HEIGHT - 20) bad.push(`${m[5]} ${x0},${y0},${x1},${y1}`);
  }
  return bad;
}

describe("rendu PDF de la convention de référence", () => {
  let file: string;
  let result: Awaited<ReturnType<typeof renderConventionPdf>>;
  beforeAll(async () => {
    result = await renderConventionPdf(load("convention-justice-dinum-2022"), { creationDate: new Date("2022-12-19T12:00:00Z") });
    file = write("reference.pdf", result.pdf);
  });

  it("passe qpdf --check, sans flux d'objets", () => {
    expect(tool("qpdf", ["--check", file])).toMatch(/No syntax or stream encoding errors/);
    expect(Buffer.from(result.pdf).includes("/ObjStm")).toBe(false);
  });

  it("embarque Marianne (TrueType, sous-ensemble, Unicode) sans avertissement", () => {
    const out = tool("pdffonts", [file]);
    const rows = out.split("\n").slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) expect(r).toMatch(/Marianne.*CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it("reproduit le texte de référence mot pour mot (≥ 99 %)", () => {
    const reference = splitFootnotes(markdownToPrintedText(stripSignatureStamps(fs.readFileSync("templates/examples/convention-justice-dinum-2022.reference.txt", "utf8"))));
    for (const mode of [[], ["-layout"]]) {
      const out = splitFootnotes(stripPageDecorations(tool("pdftotext", [...mode, file, "-"])));
      const sim = wordSimilarity(out.body, reference.body);
      expect(sim, `pdftotext ${mode.join(" ")}`).toBeGreaterThanOrEqual(0.99);
      expect(out.notes.map((n, i) => wordSimilarity(n, reference.notes[i]))).toEqual([1, 1, 1]);
    }
  });

  it("extrait le texte dans l'ordre de lecture, avec pieds de page et espaces insécables", () => {
    const text = tool("pdftotext", [file, "-"]);
    const order = ["Convention de délégation de gestion", "Préambule", "Article 1 : Objet", "Article 2 : Obligations du délégant", "Article 5 : Exécution", "Article 8 : Publication", "Fait à Paris", "Anne-Florence Canton", "Stéphanie Schaer"];
    let at = 0;
    for (const s of order) {
      const found = text.indexOf(s, at);
      expect(found, s).toBeGreaterThanOrEqual(at);
      at = found + s.length;
    }
    expect(text).toMatch(/Page 1 \/ \d/);
    // pdftotext prints U+00A0 as a space: check instead that no line starts with « : » or « » »
    // and none ends with « « » (the non-breaking spaces kept them together).
    expect(text).toContain("Il a été convenu ce qui suit :");
    expect(text).not.toMatch(/^[:;!?»]/m);
    expect(text).not.toMatch(/«$/m);
    expect(Buffer.from(result.pdf).length).toBeGreaterThan(0);
    expect(text).toContain("l'ANSSI¹");
    expect(wordsOutOfBounds(file)).toEqual([]);
  });

  it("porte les métadonnées", () => {
    const info = tool("pdfinfo", [file]);
    expect(info).toMatch(/Title:\s+Convention de délégation de gestion – Le Ministère de la Justice/);
    expect(info).toMatch(/Author:\s+Le Ministère de la Justice/);
    expect(info).toMatch(/Subject:\s+Convention de délégation de gestion \(décret/);
    expect(info).toMatch(/Page size:\s+595.28 x 841.89 pts \(A4\)/);
    expect(Buffer.from(result.pdf).includes("/Lang (fr-FR)")).toBe(true);
  });

  it("réserve un champ de signature vide par signataire", async () => {
    expect(result.boxes.map((b) => [b.fieldName, b.partyLabel, b.signatory.name])).toEqual([
      ["signature-1", "Le Ministère de la Justice,", "Anne-Florence Canton"],
      ["signature-2", "La DINUM,", "Stéphanie Schaer"],
    ]);
    const pdf = await PDFDocument.load(result.pdf);
    const acro = pdf.catalog.lookup(PDFName.of("AcroForm"), PDFDict);
    const fields = acro.lookup(PDFName.of("Fields"), PDFArray);
    expect(fields.size()).toBe(2);
    result.boxes.forEach((box, i) => {
      const ref = fields.get(i) as PDFRef;
      const f = pdf.context.lookup(ref, PDFDict);
      expect(f.get(PDFName.of("FT"))).toBe(PDFName.of("Sig"));
      expect(f.get(PDFName.of("Subtype"))).toBe(PDFName.of("Widget"));
      expect((f.get(PDFName.of("T")) as PDFString).decodeText()).toBe(box.fieldName);
      expect(f.get(PDFName.of("V"))).toBeUndefined();
      expect((f.get(PDFName.of("F")) as PDFNumber).asNumber()).toBe(4);
      const rect = f.lookup(PDFName.of("Rect"), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber());
      expect(rect).toEqual([box.rect.x, box.rect.y, box.rect.x + box.rect.width, box.rect.y + box.rect.height]);
      const page = pdf.getPage(box.pageIndex);
      expect(f.get(PDFName.of("P"))).toBe(page.ref);
      expect(page.node.Annots()!.asArray()).toContain(ref);
      expect(box.rect.width).toBe(220);
      expect(box.rect.height).toBe(70);
      expect(box.rect.y).toBeGreaterThan(40);
    });
  });

  it("rend le HTML du même contenu, échappé", () => {
    const html = renderConventionHtml(load("convention-justice-dinum-2022"));
    expect(html).toContain("<h2>Article 1\u00a0: Objet de la délégation</h2>");
    expect(html).toContain('<a href="https://beta.gouv.fr/approche/">');
    expect(html).toContain("<strong>0310-SGAL-SSIC</strong>");
    const text = html.replace(/<style>[\s\S]*?<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'");
    expect(wordSimilarity(text, markdownToPrintedText(fs.readFileSync("templates/examples/convention-justice-dinum-2022.reference.txt", "utf8")))).toBeGreaterThan(0.97);
  });
});

describe("autres formes de convention", () => {
  it("deux co-délégataires, trois blocs de signature", async () => {
    const r = await renderConventionPdf(load("convention-codelegataires"));
    const f = write("codelegataires.pdf", r.pdf);
    tool("qpdf", ["--check", f]);
    expect(r.boxes.map((b) => b.fieldName)).toEqual(["signature-1", "signature-2", "signature-3"]);
    expect(r.boxes.map((b) => b.signatory.organisation)).toEqual([
      "Le Ministère de l'Intérieur",
      "La Direction Interministérielle du Numérique (DINUM)",
      "L'Agence nationale de la sécurité des systèmes d'information (ANSSI)",
    ]);
    expect(r.boxes[2].signatory.email).toBeUndefined();
    expect(r.boxes[0].signatory.email).toBe("jean.dupont@interieur.gouv.fr");
    // Boxes never overlap.
    for (let i = 0; i < r.boxes.length; i++)
      for (let j = i + 1; j < r.boxes.length; j++) {
        const a = r.boxes[i].rect, b = r.boxes[j].rect;
        const overlap = r.boxes[i].pageIndex === r.boxes[j].pageIndex && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap).toBe(false);
      }
    const text = tool("pdftotext", [f, "-"]);
    expect(text).toContain("L'Agence nationale de la sécurité des systèmes d'information (ANSSI)");
    expect(text).toContain("2024");
    expect(text).toContain("120 000,50");
    expect(text).toContain("0216ACNU0102 Sécurité des systèmes");
  });

  it("sections numérotées « 1. », « 2. » avec une annexe", async () => {
    const r = await renderConventionPdf(load("convention-sections-numerotees"));
    const f = write("sections.pdf", r.pdf);
    const text = tool("pdftotext", [f, "-"]);
    expect(text).toMatch(/^1\. Objet de la délégation$/m);
    expect(text).toMatch(/(^|\f)2\. Exécution financière de la délégation$/m);
    expect(text).toMatch(/Annexe – Grille d'évaluation/);
    expect(text).toContain("prend effet le 1er mars 2023");
    expect(text).toContain("préavis de six mois");
    expect(text).toContain("NOR PRMX2300001X");
    expect(text).not.toMatch(/Article \d/);
    const pages = text.split("\f");
    expect(pages.findIndex((p) => p.includes("Annexe –"))).toBe(pages.length - 2);
  });

  it("parties désignées par leur seule fonction, sans adresse", async () => {
    const r = await renderConventionPdf(load("convention-fonctions-sans-adresse"));
    const text = tool("pdftotext", [write("fonctions.pdf", r.pdf), "-"]);
    expect(text).not.toContain("Adresse");
    // « Le Secrétariat général … » is masculine: the frame agrees (was always « Représentée »).
    expect(text).toContain("Représenté par la secrétaire générale du ministère de la Culture");
    expect(text).toMatch(/^Article 1er – Objet de la délégation$/m);
    expect(text).toMatch(/^Article 2 – /m);
    expect(r.boxes.map((b) => b.signatory.name)).toEqual(["La secrétaire générale", "Le directeur interministériel du numérique"]);
  });
});

describe("entrées difficiles", () => {
  it("pagine un paragraphe de 10 000 caractères et un mot sans espace", async () => {
    const long = "Lorem ipsum dolor sit amet, « consectetur » adipiscing : elit ; ".repeat(160).slice(0, 10_000);
    const doc: DocumentTree = {
      meta: { title: "Long" },
      blocks: [
        { type: "paragraph", runs: [{ kind: "text", text: long }] },
        { type: "paragraph", runs: [{ kind: "text", text: "x".repeat(10_000) }] },
      ],
    };
    const r = await renderDocument(doc);
    const f = write("long.pdf", r.pdf);
    expect(r.pageCount).toBeGreaterThan(4);
    expect(wordsOutOfBounds(f)).toEqual([]);
    const text = tool("pdftotext", [f, "-"]).replace(/\s+/g, "");
    expect(text).toContain("x".repeat(10_000).slice(0, 500));
  });

  it("coupe sur plusieurs pages une ligne de tableau plus haute qu'une page, sans déborder", async () => {
    const phrase = "Libellé d'activité très long pour vérifier la pagination d'une cellule ; ";
    const doc: DocumentTree = {
      meta: { title: "Ligne haute" },
      blocks: [
        { type: "paragraph", runs: [{ kind: "text", text: "Avant le tableau." }] },
        {
          type: "table",
          header: [[[{ kind: "text", text: "Code" }], [{ kind: "text", text: "Libellé" }]]],
          rows: [
            [[{ kind: "text", text: "A1" }], [{ kind: "text", text: phrase.repeat(140) }]],
            [[{ kind: "text", text: "A2" }], [{ kind: "text", text: "court" }]],
          ],
        },
        { type: "paragraph", runs: [{ kind: "text", text: "Après le tableau." }] },
      ],
    };
    const r = await renderDocument(doc);
    const f = write("ligne-haute.pdf", r.pdf);
    expect(r.pageCount).toBeGreaterThanOrEqual(3);
    // Body text stays above the bottom margin (62 pt); only the « Page x / y » footer sits below it.
    const bbox = tool("pdftotext", ["-bbox", f, "-"]);
    const pages = bbox.split("<page ").slice(1);
    for (const page of pages) {
      const words = [...page.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</g)].map((m) => ({ y0: Number(m[1]), y1: Number(m[2]), w: m[3] }));
      const footerTop = Math.min(...words.filter((w) => w.w === "Page").map((w) => w.y0));
      for (const w of words.filter((w) => w.y0 < footerTop)) expect(w.y1, w.w).toBeLessThanOrEqual(PAGE_HEIGHT - 62 + 1);
    }
    const text = tool("pdftotext", [f, "-"]);
    // Nothing lost: every phrase is there once page footers and repeated headers are taken out.
    const flowing = text.replace(/Page \d+ \/ \d+/g, "").replace(/\f\s*Code\s+Libellé/g, "").replace(/\s+/g, " ");
    expect(flowing.split("pagination d'une cellule").length - 1).toBe(140);
    // Every page after the first starts with the repeated header row.
    for (const p of text.split("\f").slice(1, -1).filter((p) => p.includes("cellule"))) expect(p.trimStart()).toMatch(/^Code\s+Libellé/);
    expect(text).toContain("Après le tableau.");
  });

  it("pagine un document de 100 pages : tableaux coupés avec en-tête répété, notes en bas de page", async () => {
    const blocks: DocumentTree["blocks"] = [];
    for (let i = 1; i <= 150; i++) {
      blocks.push({ type: "heading", level: 2, runs: [{ kind: "text", text: `Article ${i} : Titre ${i}` }] });
      blocks.push({ type: "paragraph", runs: [{ kind: "text", text: "Texte d'article assez long pour remplir la page. ".repeat(45) }, { kind: "footnote", runs: [{ kind: "text", text: `Note ${i}` }] }] });
      if (i % 10 === 0)
        blocks.push({ type: "table", header: [[[{ kind: "text", text: "Année" }], [{ kind: "text", text: "AE" }]]], rows: Array.from({ length: 60 }, (_, k) => [[{ kind: "text" as const, text: String(2000 + k) }], [{ kind: "text" as const, text: "1 000" }]]) });
    }
    const r = await renderDocument({ meta: { title: "Cent pages" }, blocks });
    const f = write("cent.pdf", r.pdf);
    expect(r.pageCount).toBeGreaterThanOrEqual(100);
    tool("qpdf", ["--check", f]);
    expect(wordsOutOfBounds(f)).toEqual([]);
    const pages = tool("pdftotext", [f, "-"]).split("\f");
    // A page that starts inside a table starts with its header row.
    const cont = pages.filter((p) => /^\s*20\d\d\s/.test(p.replace(/^\s*Année\s+AE\s+/, "")) && p.includes("2059") && !p.includes("Article"));
    for (const p of cont) expect(p.trimStart().startsWith("Année")).toBe(true);
    // Every footnote sits on the page of its marker: the note « ⁱ Note i » at the foot of the page
    // whose text carries the superscript marker ⁱ after the paragraph's last word.
    const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    const sup = (n: number) => String(n).replace(/\d/g, (d) => SUP[Number(d)]);
    for (let i = 1; i <= 150; i++) {
      const notePage = pages.findIndex((p) => p.split("\n").some((l) => l.trim() === `${sup(i)} Note ${i}` || l.trim() === `${sup(i)}\u00a0Note ${i}`));
      const marker = new RegExp(`page\\.\\s*${sup(i)}(?![${SUP}])`);
      const markerPage = pages.findIndex((p) => marker.test(p));
      expect(notePage, `Note ${i}`).toBeGreaterThanOrEqual(0);
      expect(markerPage, `marqueur ${i}`).toBeGreaterThanOrEqual(0);
      expect(notePage, `Note ${i} : page de la note / page du marqueur`).toBe(markerPage);
    }
    // Headings are never the last line of a page.
    for (const p of pages) {
      const lines = p.split("\n").filter((l) => l.trim() && !/^Page \d+ \/ \d+$/.test(l.trim()) && !/^\S+ Note \d+$/.test(l.trim()));
      expect(lines[lines.length - 1] ?? "").not.toMatch(/^Article \d+ : Titre/);
    }
  });

  it("affiche le HTML et le script saisis comme du texte", async () => {
    const c = load("convention-justice-dinum-2022");
    c.delegant.nom = "<script>alert('x')</script> <b>Ministère</b>";
    c.lieuSignature = "**Paris** [clic](javascript:alert(1))";
    const r = await renderConventionPdf(c);
    const text = tool("pdftotext", [write("xss.pdf", r.pdf), "-"]);
    expect(text).toContain("<script>alert('x')</script> <b>Ministère</b>");
    expect(text).toContain("Fait à **Paris** [clic](javascript:alert(1)),");
    expect(Buffer.from(r.pdf).includes("javascript")).toBe(false);
    const html = renderConventionHtml(c);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &lt;b&gt;Ministère&lt;/b&gt;");
    expect(html).not.toContain('href="javascript');
  });
});

/** Page `page` of `file` as 8-bit grey pixels at 40 dpi (pdftoppm PGM). */
function grayPixels(file: string, page: number): Uint8Array {
  const r = spawnSync("pdftoppm", ["-f", String(page), "-l", String(page), "-r", "40", "-gray", file], { maxBuffer: 1 << 26 });
  expect(r.status).toBe(0);
  const out = r.stdout as Buffer;
  // Header: P5\n<w> <h>\n255\n
  const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(out.subarray(0, 40).toString("latin1"))!;
  return new Uint8Array(out.subarray(m[0].length));
}

describe("marquage des pages (option marking)", () => {
  it("porte l'en-tête gris en haut de chaque page et le filigrane sous le texte, sans rien masquer", async () => {
    const c = load("convention-justice-dinum-2022");
    const plain = await renderConventionPdf(c, { creationDate: new Date("2022-12-19T12:00:00Z") });
    const marked = await renderConventionPdf(c, {
      creationDate: new Date("2022-12-19T12:00:00Z"),
      marking: { header: "Version consolidée — document informatif non signé", watermark: "PROJET" },
    });
    const f = write("marked.pdf", marked.pdf);
    tool("qpdf", ["--check", f]);
    expect(marked.pageCount).toBe(plain.pageCount);
    expect(marked.pageCount).toBeGreaterThan(1);
    // The same boxes: the marking takes no room from the content.
    expect(marked.boxes).toEqual(plain.boxes);
    const pages = tool("pdftotext", [f, "-"]).split("\f").slice(0, marked.pageCount);
    for (const [i, p] of pages.entries()) {
      expect(p, `page ${i + 1}`).toContain("Version consolidée — document informatif non signé");
    }
    // The header is the topmost text of every page, above the top margin, in the page's width.
    const bbox = tool("pdftotext", ["-bbox", f, "-"]);
    const perPage = bbox.split("<page ").slice(1);
    expect(perPage).toHaveLength(marked.pageCount);
    for (const p of perPage) {
      const words = [...p.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)].map((m) => ({ y: Number(m[2]), t: m[5] }));
      const version = words.find((w) => w.t === "Version");
      expect(version).toBeDefined();
      expect(version!.y).toBeLessThan(30);
      expect(Math.min(...words.map((w) => w.y))).toBe(version!.y);
    }
    expect(wordsOutOfBounds(f)).toEqual([]);
    // The body text is all still there (the watermark is painted first, in light grey).
    // pdftotext may cut the diagonal watermark into pieces (« PR », « OJ », « E », « T ») between words.
    const body = (s: string) =>
      stripPageDecorations(s)
        .replace(/PROJET|Version consolidée — document informatif non signé/g, " ")
        .replace(/(?<=\s|^)(?:P|PR|PRO|PROJ|R|RO|ROJ|O|OJ|OJE|J|JE|JET|E|ET|T)(?=\s|$)/g, " ");
    expect(wordSimilarity(body(tool("pdftotext", [f, "-"])), stripPageDecorations(tool("pdftotext", [write("plain.pdf", plain.pdf), "-"])))).toBeGreaterThanOrEqual(0.99);
    // The watermark (diagonal, which pdftotext leaves out) seen on the rasters: every page gains
    // light-grey pixels, and the dark pixels of the text stay where they were.
    const plainFile = write("plain.pdf", plain.pdf);
    for (let page = 1; page <= marked.pageCount; page++) {
      const a = grayPixels(plainFile, page);
      const b = grayPixels(f, page);
      const light = (px: Uint8Array) => px.filter((v) => v >= 200 && v <= 240).length;
      expect(light(b), `page ${page}`).toBeGreaterThan(light(a) + 2000);
      let darkLost = 0;
      for (let k = 0; k < a.length; k++) if (a[k] < 100 && b[k] >= 100) darkLost++;
      expect(darkLost, `page ${page}`).toBe(0);
    }
  });

  it("sans option, aucun marquage", async () => {
    const r = await renderConventionPdf(load("convention-justice-dinum-2022"));
    const text = tool("pdftotext", [write("unmarked.pdf", r.pdf), "-"]);
    expect(text).not.toContain("PROJET");
    expect(text).not.toContain("Version consolidée");
  });
});
