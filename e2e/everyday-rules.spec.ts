import { expect, test, type Page } from "@playwright/test";
import { SMTP_PORTAL } from "../playwright.config";
import { expectAccessible, signIn } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const GIRARD = "paul.girard@culture.example";
const DEMO_TITLE = "Convention de délégation de gestion — Incubateur de la Justice (2022)";

async function newDraft(page: Page, title: string) {
  await page.goto(`${SMTP_PORTAL}/conventions/nouvelle`);
  await page.getByLabel("Intitulé").fill(title);
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
}

/** A second draft with the same title and parties is warned about; an end date already past is flagged and listed before the launch. */
test("duplicate warning and an end date past", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, CAMILLE);
  await newDraft(page, `  ${DEMO_TITLE.toUpperCase()} `);
  await expect(page.getByText("Un brouillon porte déjà cet intitulé, avec les mêmes parties")).toBeVisible();
  await expect(page.getByRole("link", { name: DEMO_TITLE })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Créer quand même un second brouillon" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];

  // An end date already past: saved (a draft), then listed in plain words on the convention page.
  await page.getByLabel("Date de fin (facultative)").fill("2024-01-31");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}\\?enregistre=`));
  const launchList = page.locator("#a-completer");
  await expect(launchList.getByRole("link", { name: "La date de fin est passée" })).toBeVisible();
  await expect(launchList.getByRole("link", { name: "Code UO", exact: true })).toBeVisible();
  await expect(launchList).not.toContainText("Partie financière — code UO :");
  await expectAccessible(page);

  // Back in the form: the field says it.
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/modifier`);
  await expect(page.locator(".fr-input-group").filter({ hasText: "Date de fin (facultative)" })).toContainText("La date de fin est passée");
});

test("no CBCM for the délégant's ministry: said on the transmission and circuit pages", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, GIRARD);
  await newDraft(page, `Appui numérique de la Culture ${Date.now()}`);
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  const message = "Aucun CBCM n'est enregistré pour le ministère de la Culture : l'acte ne lui sera pas transmis";
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/transmission`);
  await expect(page.getByText(message)).toBeVisible();
  await expect(page.getByLabel(/Ce destinataire reçoit l'acte en tant que CBCM du ministère de la Culture/)).toBeVisible();
  await expectAccessible(page);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/circuit`);
  await expect(page.getByText("Le circuit ne peut pas encore être lancé")).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(message) })).toBeVisible();
  await expectAccessible(page);
});
