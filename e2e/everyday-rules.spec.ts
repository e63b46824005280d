import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
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

/**
 * Abandoning a draft asks for confirmation; the draft is kept, read only, and listed under the
 * dashboard's « Annulées » tab, no longer among the drafts nor in the list shown by default.
 */
test("abandoning a draft: confirmed, then listed under « Annulées » only", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, CAMILLE);
  const title = `Brouillon abandonné ${Date.now().toString(36)}`;
  await newDraft(page, title);
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  const draftLink = page.locator("main").getByRole("link", { name: title, exact: true });
  // Before: among the drafts.
  await page.goto(`${SMTP_PORTAL}/tableau-de-bord?onglet=brouillons`);
  await expect(draftLink).toBeVisible();

  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await page.getByRole("link", { name: "Abandonner ce brouillon" }).click();
  await expect(page.locator("main h1")).toHaveText("Abandonner ce brouillon");
  await expect(page.getByText("sous l'onglet « Annulées » du tableau de bord")).toBeVisible();
  await expectAccessible(page);
  // « Non » keeps it.
  await page.getByRole("link", { name: "Non, garder le brouillon" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}$`));
  await page.getByRole("link", { name: "Abandonner ce brouillon" }).click();
  await page.getByLabel("Motif (facultatif)").fill("Créé par erreur");
  await page.getByRole("button", { name: "Confirmer l'abandon du brouillon" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}\\?abandonne=1$`));
  await expect(page.getByText("Brouillon abandonné : il est conservé, en lecture seule, sous le filtre « Annulées ».")).toBeVisible();
  await expect(page.getByRole("link", { name: "Abandonner ce brouillon" })).toHaveCount(0);

  // The default list does not show it, nor the drafts; « Annulées » does, with its badge.
  await page.goto(`${SMTP_PORTAL}/tableau-de-bord`);
  await expect(page.getByRole("link", { name: /^Annulées \(\d+\)$/ })).toBeVisible();
  await expect(page.locator("a.paraphe-onglet-actif")).not.toHaveText(/^Annulées/);
  await expect(draftLink).toHaveCount(0);
  await page.goto(`${SMTP_PORTAL}/tableau-de-bord?onglet=brouillons`);
  await expect(page.locator("a.paraphe-onglet-actif")).toHaveText(/^Brouillons \(\d+\)$/);
  await expect(draftLink).toHaveCount(0);
  await page.getByRole("link", { name: /^Annulées \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/onglet=annulees/);
  await expect(draftLink).toBeVisible();
  await expect(page.locator("main tr").filter({ hasText: title })).toContainText("Annulée");
  await expectAccessible(page);
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

/**
 * The article editor: a live preview beside each article (fields as the draft's values, a wrong
 * field said in French) and the help panel; leaving with unsaved changes asks « Quitter sans
 * enregistrer ? » (a link, the back button), closing the tab asks the browser's own question,
 * and saving is never held back.
 */
test("article preview and help; unsaved changes ask before leaving", async ({ page }) => {
  test.setTimeout(180_000);
  page.on("pageerror", (error) => console.log(`[everyday-rules] erreur dans la page : ${error.message}`));
  await signIn(page, CAMILLE);
  const title = `Aperçu et départ ${Date.now()}`;
  await newDraft(page, title);
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];

  // The preview follows what is typed, beside the article.
  const corps = page.locator('[name="articles[0].corps"]');
  const preview = page.getByRole("region", { name: /Aperçu de l'article 1/ });
  await corps.fill("Les crédits de l'UO **{{ financement.uo }}** sont délégués jusqu'au {{ dateFin | date }}.");
  await page.locator('[name="financement.uo"]').fill("0310-sgal-ssic");
  await page.locator('[name="dateFin"]').fill("2031-12-31");
  await expect(preview).toContainText("Les crédits de l'UO 0310-SGAL-SSIC sont délégués jusqu'au 31 décembre 2031.");
  await expect(preview.locator("strong")).toHaveText("0310-SGAL-SSIC");
  await corps.fill("{{ financement.inconnu }}");
  await expect(preview).toContainText("Le texte ne peut pas être mis en forme. Ligne 1 : champ inconnu (financement.inconnu)");
  await corps.fill("Article {{ article.numero | er }} : {{ preavisMois | lettres }} mois de préavis.");
  await expect(preview).toContainText("Article 1er : trois mois de préavis.");
  // The help panel: fields, filters and blocks, with what they print for this draft.
  await page.getByText("Champs et blocs disponibles dans le texte des articles").click();
  const help = page.locator("details.paraphe-aide-modele");
  await expect(help.getByRole("row").filter({ hasText: "Partie financière — code UO" })).toContainText("{{ financement.uo }}");
  await expect(help.getByRole("row").filter({ hasText: "une date en toutes lettres" })).toContainText("{{ dateFin | date }}");
  await expect(help.getByRole("row").filter({ hasText: "{% pour x dans liste %}" })).toBeVisible();
  await expectAccessible(page);
  if (process.env.PARAPHE_OUT_F) await page.locator("#titre-articles").locator("xpath=..").screenshot({ path: `${process.env.PARAPHE_OUT_F}/drafting-article-preview.png` });

  // A link elsewhere: the dialog; « Rester sur la page » keeps what was typed.
  await page.getByRole("link", { name: "Tableau de bord" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Quitter sans enregistrer ?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Rester sur la page" }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}/modifier$`));
  await expect(page.locator('[name="financement.uo"]')).toHaveValue("0310-sgal-ssic");
  // « Quitter sans enregistrer »: gone, nothing saved.
  await page.getByRole("link", { name: "Tableau de bord" }).first().click();
  await dialog.getByRole("button", { name: "Quitter sans enregistrer" }).click();
  await expect(page).toHaveURL(/\/tableau-de-bord$/);

  // The back button (an in-app navigation, held by the router's blocker).
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await page.getByRole("link", { name: "Modifier", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}/modifier$`));
  await expect(page.locator('[name="financement.uo"]')).toHaveValue("");
  await page.locator('[name="financement.uo"]').fill("0310-SGAL-SSIC");
  await page.goBack();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Rester sur la page" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}/modifier$`));

  // Closing the tab: the browser's own « beforeunload » question; dismissed, the page stays.
  const asked = page.waitForEvent("dialog");
  await page.close({ runBeforeUnload: true });
  const question = await asked;
  expect(question.type()).toBe("beforeunload");
  await question.dismiss();
  expect(page.isClosed()).toBe(false);

  // Saving is never held back.
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}\\?enregistre=`));
  await expect(dialog).toHaveCount(0);
});
