import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderConventionPdf } from "../pdf/rendering/convention";
import { renderDraftPdf, templateSource } from "./render-draft.server";
import { conventionSchema } from "../domain/convention";

const reference = JSON.parse(readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8"));
const work = mkdtempSync(path.join(tmpdir(), "paraphe-marking-"));
const pagesText = (pdf: Uint8Array, name: string) => {
  const file = path.join(work, name);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").filter((p) => p.trim());
};

describe("a draft's PDF", () => {
  it("carries « PROJET — document non signé » on every page", async () => {
    const result = await renderDraftPdf(reference);
    if (!result.ok) throw new Error("rendu refusé");
    const pages = pagesText(result.pdf, "draft.pdf");
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain("PROJET — document non signé");
  });

  it("is the only one: the document frozen for signature is rendered without the marking", async () => {
    const convention = conventionSchema.parse(reference);
    const { pdf } = await renderConventionPdf(convention, { templateSource: templateSource(convention.modele) });
    expect(pagesText(pdf, "frozen.pdf").join("\n")).not.toContain("PROJET");
  });
});

describe("the default template's publication URL", () => {
  it("prints www.gouvernement.fr/publications-officielles/delegations-de-gestion (not « publications[1]officielles »)", async () => {
    const convention = conventionSchema.parse(reference);
    const { pdf } = await renderConventionPdf(convention, { templateSource: templateSource("convention") });
    const text = pagesText(pdf, "url.pdf").join("\n").replace(/\s+/g, "");
    expect(text).toContain("www.gouvernement.fr/publications-officielles/delegations-de-gestion");
    expect(text).not.toContain("[1]");
    // The template itself (a new draft's articles come from it) has the right address.
    expect(templateSource("convention")).toContain("publications-officielles/delegations-de-gestion");
    expect(templateSource("convention")).not.toMatch(/publications\\?\[1/);
  });
});
