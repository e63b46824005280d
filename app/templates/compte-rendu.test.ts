import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compteRenduSchema, eurosFromCents, reportTotals } from "../domain/compte-rendu";
import { renderDocument } from "../pdf/rendering/render";
import { buildActDocument } from "./acts";
import { TEMPLATES_DIR } from "./files";

const example = JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, "examples", "compte-rendu-justice-dinum-2022.json"), "utf8"));
const text = (pdf: Uint8Array) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-cr-tpl-")), "cr.pdf");
  fs.writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ");
};
const plain = (s: string) => s.replace(/\u00a0/g, " ");

describe("templates/compte-rendu.tpl", () => {
  it("prints per year delegated, consumed and remaining, the lines in an annex on their own page, and totals equal to the sum of the lines", async () => {
    const report = compteRenduSchema.parse(example);
    const { pdf, pageCount, boxes } = await renderDocument(buildActDocument(example));
    expect(pageCount).toBeGreaterThanOrEqual(2);
    expect(boxes).toHaveLength(1); // the délégataire's signatory alone
    const pages = text(pdf).split("\f");
    const all = pages.join("\n");
    const sum = (credit: "ae" | "cp") => report.lignes.filter((l) => l.credit === credit).reduce((a, l) => a + l.montant, 0);
    expect(reportTotals(report).consomme).toEqual({ ae: sum("ae"), cp: sum("cp") });
    expect(all).toMatch(new RegExp(`Total AE\\s+${plain(eurosFromCents(sum("ae")))}`));
    expect(all).toMatch(new RegExp(`Total CP\\s+${plain(eurosFromCents(sum("cp")))}`));
    const y = report.annees[0];
    expect(all).toMatch(new RegExp(`${y.annee}\\s+${plain(eurosFromCents(y.delegue.ae))}\\s+${plain(eurosFromCents(y.consomme.ae))}\\s+${plain(eurosFromCents(y.restant.ae))}`));
    // The annex starts on a page of its own, with every line (a correction negative, with its reason).
    const annex = pages.findIndex((p) => p.includes("Annexe : lignes de dépense enregistrées"));
    expect(annex).toBeGreaterThan(0);
    expect(pages.slice(0, annex).join("")).not.toContain("EJ 1800012345");
    expect(pages[annex]).toContain("−15 000 €");
    expect(pages[annex]).toContain("Correction : Engagement");
    expect(pages[annex]).toContain("4 lignes enregistrées.");
  });
});
