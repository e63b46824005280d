/**
 * The four examples of issue 12 (conventions as other ministries write them), rendered and checked
 * by pdftotext and qpdf. PNG pages for looking at them: PARAPHE_PNG_DIR=/some/dir.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { conventionSchema } from "../../domain/convention";
import { keepNumbersTogether } from "../../templates/document";
import { renderConventionPdf } from "./convention";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-examples-"));
function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  expect(r.stderr, `${cmd} ${args.join(" ")}`).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}
async function render(name: string) {
  const c = conventionSchema.parse(JSON.parse(fs.readFileSync(`templates/examples/${name}.json`, "utf8")));
  const r = await renderConventionPdf(c, { creationDate: new Date("2026-01-01T00:00:00Z") });
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, r.pdf);
  expect(tool("qpdf", ["--check", file])).toMatch(/No syntax or stream encoding errors/);
  if (process.env.PARAPHE_PNG_DIR) tool("pdftoppm", ["-png", "-r", "60", file, path.join(process.env.PARAPHE_PNG_DIR, name)]);
  const pages = tool("pdftotext", [file, "-"]).replace(/[\u00a0\u202f]/g, " ").split("\f");
  return { r, pages, text: pages.join("\f") };
}

describe("exemples du ticket 12", () => {
  it("partie masculine désignée par sa fonction, sans adresse ; publication, NOR, date de signature, pièces jointes", async () => {
    const { text, pages, r } = await render("convention-president-tribunal");
    expect(text).toContain("Le président du tribunal judiciaire de Melun, ci-après dénommé « le délégant »,");
    expect(text).not.toMatch(/représenté|Adresse/i);
    expect(text).toContain("BOMJ n° 2023-04 du 28 avril 2023");
    expect(pages[0]).toContain("NOR JUSB2301234X");
    expect(text).toContain("Fait à Melun, le 14 mars 2023,");
    const signaturePage = pages[r.boxes[0].pageIndex];
    expect(signaturePage).toContain("Pièces jointes : annexe 1 – Liste des mémoires concernés ; annexe 2 – Circuit de validation");
    // The visas come before the parties in this template.
    expect(text.indexOf("Vu le code de procédure pénale")).toBeLessThan(text.indexOf("Entre"));
  });

  it("co-délégataires sous une désignation commune, délégant pluriel, dénomination telle qu'écrite, « convenu » avant le préambule", async () => {
    const { text, r } = await render("convention-co-delegataires-designation");
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("Les services du Premier ministre, 56 rue de Varenne 75007 Paris, représentés par Claire Landais, secrétaire générale du Gouvernement, ci-après dénommés « le délégant »,");
    expect(flat).toContain("ci-après dénommée « la DINUM » ou le « délégataire » ;");
    expect(flat).toContain("ci-après désignées ensemble sous le terme de « co-délégataires »,");
    expect(flat.indexOf("Il a été convenu ce qui suit")).toBeLessThan(flat.indexOf("Préambule"));
    // A year's CP above its AE is accepted when the totals agree.
    expect(flat).toMatch(/2025 50 000 € 250 000 €/);
    expect(r.boxes).toHaveLength(3);
  });

  it("durée indéterminée, sans partie financière ni échéancier ; intertitres en ligne", async () => {
    const { text } = await render("convention-duree-indeterminee");
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("Elle est conclue pour une durée indéterminée.");
    expect(flat).toContain("préavis de six mois");
    expect(flat).not.toMatch(/\bAE\b|\bCP\b|jusqu'au/);
    expect(flat).toContain("représentée par le directeur régional, ci-après dénommée « la DREETS »");
    expect(flat).toContain("représenté par la secrétaire générale pour les affaires régionales, ci-après dénommé « le SGAR »");
    expect(text).toMatch(/^Contexte\. Les deux services achètent/m);
  });

  it("blocs de signature côte à côte : libellés sur une même ligne de base, cadres alignés quand un libellé passe à la ligne", async () => {
    const { r } = await render("convention-duree-indeterminee");
    const [a, b] = r.boxes;
    expect(a.pageIndex).toBe(b.pageIndex);
    expect(a.rect.y).toBe(b.rect.y);
    const bbox = tool("pdftotext", ["-bbox", path.join(dir, "convention-duree-indeterminee.pdf"), "-"]);
    // Last occurrence: the signature blocks close the document.
    const yOf = (word: string) => Number([...bbox.matchAll(new RegExp(`yMax="([\\d.]+)">${word}<`, "g"))].pop()![1]);
    // « Le directeur régional, » (one line) and « La secrétaire générale pour les affaires régionales, » (two lines).
    expect(yOf("directeur")).toBe(yOf("secrétaire"));
    expect(yOf("Marc")).toBe(yOf("Sophie"));
  });

  it("typographie : pas de coupure après « n° », « art. », « p. », ni dans un montant ou une date", async () => {
    expect(keepNumbersTogether("le décret n° 2004-1085 du 14 octobre 2004, art. 5, p. 2, 25 000 € et 1 234 567 euros, le 1er mars 2023")).toBe(
      "le décret n°\u00a02004-1085 du 14\u00a0octobre\u00a02004, art.\u00a05, p.\u00a02, 25\u00a0000\u00a0€ et 1\u00a0234\u00a0567\u00a0euros, le 1er\u00a0mars\u00a02023",
    );
    // « p. » only as a word: « cap. 5 » keeps its space.
    expect(keepNumbersTogether("cap. 5")).toBe("cap. 5");
    const { text } = await render("convention-president-tribunal");
    // Every line break of the PDF falls outside these groups.
    for (const kept of ["n° 2004-1085", "art. 2", "25 000 €", "p. 2", "14 mars 2023", "31 décembre 2023"]) expect(text, kept).toContain(kept);
    // In the reference, « 28 février 2023 » ends a line: without the rule it was cut before « 2023 ».
    const reference = await render("convention-justice-dinum-2022");
    expect(reference.text).toContain("28 février 2023.");
  });

  it("« Article 1er » puis le titre en capitales sur sa ligne, intertitres en ligne, publication", async () => {
    const { text } = await render("convention-article-premier");
    expect(text).toMatch(/^Article 1er\nOBJET DE LA DÉLÉGATION\n/m);
    expect(text).toMatch(/^Article 2\nEXÉCUTION FINANCIÈRE\n/m);
    expect(text).toMatch(/^Contexte\. Le délégant développe/m);
    expect(text).toContain("JORF n° 0052 du 2 mars 2023, texte n° 12");
    expect(text).toContain("Représenté par Sophie Lemaire, secrétaire générale");
    expect(text).toContain("Fait à Paris, le 9 janvier 2023,");
  });
});
