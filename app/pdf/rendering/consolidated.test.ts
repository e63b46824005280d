import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { applyAvenant, avenantSchema } from "../../domain/avenant";
import { CONSOLIDATED_HEADER, consolidationNote, renderConsolidatedPdf } from "./consolidated";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-consolidated-"));
function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  expect(r.stderr, `${cmd} ${args.join(" ")}`).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

describe("version consolidée", () => {
  it("la convention de référence modifiée par l'avenant de l'exemple : nouvel article, nouvelle année, nouvelle date ; marquée sur chaque page", async () => {
    const avenant = avenantSchema.parse(JSON.parse(fs.readFileSync("templates/examples/avenant-justice-dinum-2022.json", "utf8")));
    const applied = applyAvenant(avenant.base, avenant.operations);
    if (!applied.ok) throw new Error("avenant");
    const pdf = await renderConsolidatedPdf({ data: applied.data, avenants: [{ numero: 1, signeLe: "2023-02-10" }] }, { creationDate: new Date("2023-02-10T12:00:00Z") });
    const file = path.join(dir, "consolidee.pdf");
    fs.writeFileSync(file, pdf);
    if (process.env.PARAPHE_PNG_DIR) tool("pdftoppm", ["-png", "-r", "60", file, path.join(process.env.PARAPHE_PNG_DIR, "consolidee")]);
    expect(tool("qpdf", ["--check", file])).toMatch(/No syntax or stream encoding errors/);
    const pages = tool("pdftotext", [file, "-"]).replace(/[\u00a0\u202f]/g, " ").split("\f").filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, p] of pages.entries()) expect(p.trimStart().startsWith(CONSOLIDATED_HEADER), `page ${i + 1}`).toBe(true);
    const flat = pages.join(" ").replace(/\s+/g, " ");
    expect(pages[0].replace(/\s+/g, " ")).toContain(
      "Version consolidée : intègre l'avenant n° 1 signé le 10 février 2023. Document informatif non signé : seuls la convention et ses avenants signés font foi.",
    );
    expect(flat).toContain("ainsi que l'accélération des Startups d'État de la promotion 2022 de l'incubateur de la Justice et l'investigation de la promotion 2024");
    expect(flat).toContain("Elle est conclue jusqu'au 31 décembre 2024.");
    const layout = tool("pdftotext", ["-layout", file, "-"]).replace(/[\u00a0\u202f]/g, " ");
    expect(layout).toMatch(/^\s*2023\s+150 000 €\s+150 000 €\s*$/m);
    expect(layout).toMatch(/^\s*Total\s+\d[\d  ]* €\s+\d[\d  ]* €\s*$/m);
    expect(layout).toMatch(/^\s*2024\s+200 000 €\s+180 000 €\s*$/m);
    // No signature field in an informative document: the signatories are named instead.
    expect(Buffer.from(pdf).includes("/FT /Sig")).toBe(false);
    expect(flat).toContain("Signataires de la convention : Le Ministère de la Justice, Anne-Florence Canton ; La DINUM, Stéphanie Schaer.");
    expect(tool("pdfinfo", [file])).toMatch(/Title:\s+Version consolidée – Convention de délégation de gestion/);
  });

  it("la mention des avenants intégrés", () => {
    expect(consolidationNote([])).toMatch(/^Version consolidée : la convention n'a été modifiée par aucun avenant\./);
    expect(
      consolidationNote([
        { numero: 1, signeLe: "2023-02-10" },
        { numero: 2, signeLe: "2024-01-01" },
        { numero: 3, signeLe: "2024-06-30" },
      ]),
    ).toMatch(/^Version consolidée : intègre l'avenant n° 1 signé le 10 février 2023, l'avenant n° 2 signé le 1er janvier 2024 et l'avenant n° 3 signé le 30 juin 2024\./);
  });
});
