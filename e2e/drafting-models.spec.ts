import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { SMTP_PORTAL } from "../playwright.config";
import { signIn } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const EXAMPLE = "convention-duree-indeterminee";
const example = JSON.parse(readFileSync(`templates/examples/${EXAMPLE}.json`, "utf8"));

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const pdfText = (file: string) => execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });

/** Removes items from the end of a list with its « Supprimer … » submit buttons until `want` remain. */
async function trim(page: Page, count: () => Promise<number>, want: number, button: (n: number) => string) {
  for (let n = await count(); n > want; n = await count()) {
    await page.getByRole("button", { name: button(n), exact: true }).click();
    await expect.poll(count).toBe(n - 1);
  }
}

async function fillPartie(page: Page, prefix: string, p: any) {
  await field(page, `${prefix}.nom`).fill(p.nom);
  await field(page, `${prefix}.genre`).selectOption(p.genre ?? "");
  await field(page, `${prefix}.nombre`).selectOption(p.nombre ?? "");
  await field(page, `${prefix}.adresse`).fill(p.adresse ?? "");
  await field(page, `${prefix}.alias`).fill((p.alias ?? []).join("\n"));
  await field(page, `${prefix}.representant.nom`).fill(p.representant?.nom ?? "");
  await field(page, `${prefix}.representant.fonction`).fill(p.representant?.fonction ?? "");
}

test("a rédactrice picks the generic template and enters a published open-ended convention through the form: its PDF reads as the one rendered from the JSON", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/nouvelle`);
  await page.getByLabel("Intitulé").fill(`Formation Occitanie ${Date.now().toString(36)}`);
  // The templates are listed with their title, version and description.
  await expect(page.getByText(/Convention DINUM \/ beta\.gouv\.fr .*\(version 2\)/)).toBeVisible();
  // DSFR draws the radio over its label: click the label, as a user does.
  await page.locator("label", { hasText: "modèle générique" }).click();
  await expect(page.getByLabel(/modèle générique/)).toBeChecked();
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  await expect(page.getByText("Modèle : Convention de délégation de gestion (modèle générique) (version 1)")).toBeVisible();

  // As many visas, articles and signature blocks as the example.
  const count = (re: RegExp) => () => page.locator("[name]").evaluateAll((els, src) => els.filter((e) => new RegExp(src).test((e as HTMLInputElement).name)).length, re.source);
  await trim(page, count(/^visas\[\d+\]$/), example.visas.length, (n) => `Supprimer le visa ${n}`);
  await trim(page, count(/^articles\[\d+\]\.titre$/), example.articles.length, (n) => `Supprimer l'article ${n}`);
  await trim(page, count(/^signatures\[\d+\]\.nom$/), example.signatures.length, (n) => `Supprimer le signataire ${n}`);

  await field(page, "titre").fill(example.titre);
  await field(page, "nor").fill(example.nor ?? "");
  await field(page, "publication").fill(example.publication ?? "");
  await field(page, "dateSignature").fill(example.dateSignature ?? "");
  await fillPartie(page, "delegant", example.delegant);
  for (const [i, d] of example.delegataires.entries()) await fillPartie(page, `delegataires[${i}]`, d);
  await field(page, "designationCommune").fill((example.designationCommune ?? []).join("\n"));
  for (const [i, v] of example.visas.entries()) await field(page, `visas[${i}]`).fill(v);
  await field(page, "preambule").fill(example.preambule ?? "");
  await field(page, "numerotation").selectOption(example.numerotation);
  for (const [i, a] of example.articles.entries()) {
    await field(page, `articles[${i}].titre`).fill(a.titre);
    await field(page, `articles[${i}].corps`).fill(a.corps);
  }
  // No financial part: the pre-filled year is left without amounts.
  expect(example.financement).toBeUndefined();
  await field(page, "services").fill((example.services ?? []).join("\n"));
  await field(page, "debut.regle").selectOption(example.debut.regle);
  await field(page, "debut.date").fill(example.debut.date ?? "");
  await field(page, "dateFin").fill(example.dateFin ?? "");
  await field(page, "preavisMois").fill(String(example.preavisMois));
  await field(page, "lieuSignature").fill(example.lieuSignature);
  for (const [i, s] of example.signatures.entries()) {
    await field(page, `signatures[${i}].partie`).selectOption(s.partie === "delegant" ? "delegant" : `delegataire:${s.indexDelegataire ?? 0}`);
    await field(page, `signatures[${i}].libelle`).fill(s.libelle);
    await field(page, `signatures[${i}].nom`).fill(s.nom);
    await field(page, `signatures[${i}].fonction`).fill(s.fonction ?? "");
    await field(page, `signatures[${i}].email`).fill(s.email ?? "");
  }
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page.locator(".fr-alert--success").first()).toBeVisible();
  await expect(page.locator(".fr-alert--error")).toHaveCount(0);

  // The draft's PDF against the PDF of the example's JSON, rendered by the CLI.
  const response = await page.request.get(`${SMTP_PORTAL}/conventions/${id}/document.pdf`);
  expect(response.status()).toBe(200);
  const fromForm = testInfo.outputPath("formulaire.pdf");
  writeFileSync(fromForm, await response.body());
  const fromJson = testInfo.outputPath("json.pdf");
  execFileSync(process.execPath, ["--disable-proto=delete", "bin/paraphe.mjs", "render", `templates/examples/${EXAMPLE}.json`, "-o", fromJson]);
  // The draft's PDF is marked « PROJET — document non signé » (header and diagonal watermark, issue 13): the same text without them.
  expect(pdfText(fromForm)).toContain("PROJET — document non signé");
  const unmarked = execFileSync("pdftotext", ["-layout", "-nodiag", fromForm, "-"], { encoding: "utf8" }).replace(/^[ \t]*(PROJET )?— document non signé[ \t]*\n/gm, "");
  expect(unmarked).toBe(pdfText(fromJson));
  expect(pdfText(fromForm).replace(/\s+/g, " ")).toContain("Elle est conclue pour une durée indéterminée.");
});
