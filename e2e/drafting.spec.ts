import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { SMTP_PORTAL } from "../playwright.config";
import { expectAccessible, signIn } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const INTITULE = `Incubateur de la Justice ${Date.now().toString(36)}`;
const XSS = `<img src=x onerror="window.__xss=1"><b>gras</b>`;

/** Screenshots to look at the pages (PARAPHE_SHOTS=/some/dir). */
async function shot(page: Page, name: string, fullPage = true) {
  if (process.env.PARAPHE_SHOTS) await page.screenshot({ path: `${process.env.PARAPHE_SHOTS}/${name}.png`, fullPage });
}
const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

test("a rédactrice drafts a convention from the template, fixes an error, saves, reopens, previews and downloads the PDF", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, CAMILLE);

  // The list of my organisation's drafts (searched: it is paginated), with the button to start one.
  await page.goto(`${SMTP_PORTAL}/conventions?q=incubateur`);
  await expect(page.getByRole("heading", { name: "Brouillons" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Incubateur de la Justice \(2022\)/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Nouvelle convention" }).click();

  // New: intitulé and délégataire (DINUM ticked by default).
  await expect(page.locator("main h1")).toHaveText("Nouvelle convention");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
  await expect(page.getByText("L'intitulé est obligatoire")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Intitulé").fill(INTITULE);
  await expect(page.getByLabel(/Direction interministérielle du numérique/)).toBeChecked();
  await shot(page, "01-nouvelle");
  await page.getByRole("button", { name: "Créer le brouillon" }).click();

  // Edit: the template's articles are there, the parties are filled from the directory.
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  await expect(page.locator("main h1")).toHaveText("Modifier le brouillon");
  await expect(field(page, "articles[0].titre")).toHaveValue("Objet de la délégation");
  await expect(field(page, "delegant.representant.nom")).toHaveValue("Anne-Florence Canton");
  await expectAccessible(page);
  await shot(page, "02-modifier");
  // The form's table of contents leads to each section.
  const sections = page.getByRole("navigation", { name: "Sections du formulaire" });
  await expect(sections.getByRole("link")).toHaveCount(9);
  await sections.getByRole("link", { name: "Partie financière" }).click();
  await expect(page).toHaveURL(/#financement$/);

  // Adding an article is a submit button: it works before JavaScript and keeps what was typed.
  const articles = await page.locator('[name$="].titre"][name^="articles["]').count();
  await field(page, "lieuSignature").fill("Paris");
  await page.getByRole("button", { name: "Ajouter un article" }).click();
  await expect(field(page, `articles[${articles}].titre`)).toBeFocused();
  await field(page, `articles[${articles}].titre`).fill("Suivi du projet");
  await field(page, `articles[${articles}].corps`).fill("Un comité de suivi se réunit chaque trimestre.");

  // Fill the financial part, with a wrong UO code.
  await field(page, "financement.uo").fill("0310-XX");
  await field(page, "financement.echeancier[0].annee").fill("2026");
  await field(page, "financement.echeancier[0].ae").fill("150 000");
  await field(page, "financement.echeancier[0].cp").fill("120 000,50");
  await field(page, "financement.chorus.domaineFonctionnel").fill("0310-09-03");
  await field(page, "financement.chorus.centreFinancier").fill("0310-SGAL-SSIC");
  await field(page, "financement.chorus.centreDeCout").fill("SEGSSMM075");
  await field(page, "financement.chorus.activites[0].code").fill("0310ACAE0701");
  await field(page, "financement.chorus.activites[0].libelle").fill("Gouvernance DSI");
  await field(page, "services").fill(`Info Parquet\n${XSS}`);
  await field(page, "dateFin").fill("2026-12-31");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();

  // The message is beside the field, and in the summary at the top; nothing was saved.
  const uoGroup = page.locator(".fr-input-group", { has: field(page, "financement.uo") });
  await expect(uoGroup.getByText("Le code UO doit avoir la forme 0310-SGAL-SSIC")).toBeVisible();
  await expect(page.getByText(/Le brouillon n'a pas été enregistré/)).toBeVisible();
  await expect(page).toHaveURL(/\/modifier$/);
  await expectAccessible(page);
  await shot(page, "03-erreur", false);
  await field(page, "financement.echeancier[0].ae").scrollIntoViewIfNeeded();
  await shot(page, "03-erreur-financement", false);
  await field(page, "articles[1].titre").scrollIntoViewIfNeeded();
  await shot(page, "03-articles", false);

  await field(page, "financement.uo").fill("0310-sgal-ssic");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();

  // The convention page: saved as version 2, complete, with the summary.
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}\\?enregistre=2$`), { timeout: 30_000 });
  await expect(page.getByText("Version 2 enregistrée")).toBeVisible();
  await expect(page.locator(".fr-alert--success").first()).toContainText(/Modifié : .*UO.*échéancier/);
  await expect(page.getByText("Ce brouillon est complet")).toBeVisible();
  await expect(page.getByRole("cell", { name: "150 000 €" })).toBeVisible();
  await expect(page.getByText(`Info Parquet, ${XSS}`)).toBeVisible();
  await expectAccessible(page);
  await shot(page, "04-convention");

  // Reopen: what was saved is there, amounts in French notation.
  await page.getByRole("link", { name: "Modifier", exact: true }).click();
  await expect(field(page, "financement.uo")).toHaveValue("0310-SGAL-SSIC");
  await expect(field(page, "financement.echeancier[0].ae")).toHaveValue("150 000");
  await expect(field(page, "financement.echeancier[0].cp")).toHaveValue("120 000,50");
  await expect(field(page, `articles[${articles}].titre`)).toHaveValue("Suivi du projet");
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);

  // Preview: HTML and the embedded PDF; typed HTML is shown as text.
  await page.getByRole("link", { name: "Aperçu" }).click();
  await expect(page.locator("main h1")).toHaveText("Aperçu du document");
  const doc = page.locator(".paraphe-doc");
  await expect(doc.getByRole("heading", { name: "Convention de délégation de gestion" })).toBeVisible();
  await expect(doc.getByText("Suivi du projet")).toBeVisible();
  await expect(doc).toContainText(XSS);
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  await expect(page.locator(`iframe[src="/conventions/${id}/document.pdf"]`)).toHaveAttribute("title", /PDF de la convention/);
  await expectAccessible(page);
  await shot(page, "05-apercu");
  await doc.scrollIntoViewIfNeeded();
  await shot(page, "05-apercu-haut", false);

  // Download the PDF.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Télécharger le PDF" }).click()]);
  const file = testInfo.outputPath("convention.pdf");
  await download.saveAs(file);
  expect(download.suggestedFilename()).toMatch(/^convention-.*-v2\.pdf$/);
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  expect(text).toContain("Convention de délégation de gestion");
  expect(text).toContain("0310-SGAL-SSIC");
  expect(text).toContain("Suivi du projet");
  expect(text.replace(/\s+/g, " ")).toContain("150 000");

  // Versions: who, when, what changed.
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/versions`);
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("Camille Durand");
  await expect(rows.first()).toContainText("article");
  await expect(rows.last()).toContainText("Création depuis le modèle");
  await expectAccessible(page);
  await shot(page, "06-versions");

  // Restoring version 1 makes it version 3; versions 1 and 2 stay.
  await page.getByRole("button", { name: "Restaurer la version 1" }).click();
  await expect(page).toHaveURL(`${SMTP_PORTAL}/conventions/${id}?enregistre=3`);
  await expect(page.getByText("Version 3 enregistrée")).toBeVisible();
  await expect(page.locator(".fr-alert").getByText(/Restauration de la version 1 : Modifié/)).toBeVisible();
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/versions`);
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText("3 (actuelle)");
  await expect(page.getByRole("button", { name: "Restaurer la version 2" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Restaurer la version 3" })).toHaveCount(0);
  await expectAccessible(page);

  // The draft is in my organisation's list.
  await page.goto(`${SMTP_PORTAL}/conventions`);
  await expect(page.getByRole("link", { name: INTITULE })).toBeVisible();
  await shot(page, "07-liste");

  // Another organisation sees neither the page nor the PDF.
  await page.context().clearCookies();
  await signIn(page, "paul.girard@culture.example");
  for (const path of ["", "/apercu", "/versions", "/document.pdf", "/modifier"]) {
    const response = await page.request.get(`${SMTP_PORTAL}/conventions/${id}${path}`);
    expect(response.status(), path).toBe(404);
  }
});

test.describe("without JavaScript", () => {
  // (axe needs JavaScript: the same pages are checked with JavaScript above.)
  test.use({ javaScriptEnabled: false });

  test("the server validates with the same schema and shows the message beside the field", async ({ page }) => {
    await signIn(page, CAMILLE);
    await page.goto(`${SMTP_PORTAL}/conventions/nouvelle`);
    await page.getByLabel("Intitulé").fill(`${INTITULE} sans JS`);
    await page.getByRole("button", { name: "Créer le brouillon" }).click();
    await expect(page).toHaveURL(/\/modifier$/);
    await field(page, "financement.uo").fill("0310-XX");
    await field(page, "financement.echeancier[0].ae").fill("cent mille");
    await page.getByRole("button", { name: "Ajouter une année" }).click();
    // The add button kept what was typed.
    await expect(field(page, "financement.uo")).toHaveValue("0310-XX");
    await expect(field(page, "financement.echeancier[1].annee")).toBeVisible();
    await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
    const uoGroup = page.locator(".fr-input-group", { has: field(page, "financement.uo") });
    await expect(uoGroup.getByText("Le code UO doit avoir la forme 0310-SGAL-SSIC")).toBeVisible();
    const aeGroup = page.locator(".fr-input-group", { has: field(page, "financement.echeancier[0].ae") });
    await expect(aeGroup.getByText(/Le montant doit être un nombre en euros/)).toBeVisible();

    // An incomplete draft (no end date) is saved but says why it cannot go further.
    await field(page, "financement.uo").fill("0310-SGAL-SSIC");
    await field(page, "financement.echeancier[0].ae").fill("");
    await page.getByRole("button", { name: "Supprimer l'année de la ligne 2" }).click();
    await expect(field(page, "financement.echeancier[1].annee")).toHaveCount(0);
    await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
    await expect(page.getByText("Version 2 enregistrée")).toBeVisible();
    await expect(page.getByText(/Brouillon incomplet/)).toBeVisible();
    await expect(page.getByText(/Date de fin/).first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Aperçu" })).toHaveCount(0);
    const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
    const pdf = await page.request.get(`${SMTP_PORTAL}/conventions/${id}/document.pdf`);
    expect(pdf.status()).toBe(409);
    expect(await pdf.text()).toContain("incomplet");
    await page.goto(`${SMTP_PORTAL}/conventions/${id}/apercu`);
    await expect(page.getByText(/Brouillon incomplet/)).toBeVisible();
  });
});
