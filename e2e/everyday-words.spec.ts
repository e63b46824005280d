import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { SMTP_PORTAL } from "../playwright.config";
import { openInvitation, signingLink, launch } from "./support/circuit";
import { expectAccessible, signIn, sinkMessages, waitForMail } from "./support/helpers";

/**
 * Issue 13, « Words »: after a refusal the circuit says « Refusée », the rédactrice has a portal
 * alert as well as the e-mail and the page names who acted last; the 409 page says what happened and
 * what to do; breadcrumbs start with « Conventions »; one visible heading per list; the
 * administration confirms each save and welcomes a new person by e-mail.
 */

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SOPHIE = "sophie.petit@dinum.example";
const RUN = Date.now().toString(36);
const INTITULE = `Convention de délégation de gestion — Mots ${RUN}`;
const MOTIF = "L'article 3 doit citer le programme 352.";

async function shot(page: Page, name: string) {
  if (!process.env.PARAPHE_SHOTS) return;
  await page.screenshot({ path: `${process.env.PARAPHE_SHOTS}/${name}-bureau.png`, fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${process.env.PARAPHE_SHOTS}/${name}-390.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
}
const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

async function breadcrumbStartsWithConventions(page: Page) {
  const crumbs = page.locator(".fr-breadcrumb__list");
  // « Accueil », then « Conventions », then the act (and the page itself).
  await expect(crumbs.locator("li").nth(0)).toHaveText("Accueil");
  await expect(crumbs.locator("li").nth(1)).toHaveText("Conventions");
  await expect(crumbs.getByRole("link", { name: "Conventions", exact: true })).toHaveAttribute("href", "/conventions");
}

test("after a refusal: « Refusée » in the circuit, a portal alert, « mise à jour … par » the signatory; 409 page; breadcrumbs", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/nouvelle`);
  await page.getByLabel("Intitulé").fill(INTITULE);
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  await field(page, "financement.uo").fill("0310-SGAL-SSIC");
  await field(page, "financement.echeancier[0].annee").fill("2027");
  await field(page, "financement.echeancier[0].ae").fill("150 000");
  await field(page, "financement.echeancier[0].cp").fill("150 000");
  await field(page, "financement.chorus.domaineFonctionnel").fill("0310-09-03");
  await field(page, "financement.chorus.centreFinancier").fill("0310-SGAL-SSIC");
  await field(page, "financement.chorus.centreDeCout").fill("SEGSSMM075");
  await field(page, "financement.chorus.activites[0].code").fill("0310ACAE0701");
  await field(page, "financement.chorus.activites[0].libelle").fill("Gouvernance DSI");
  await field(page, "services").fill("Info Parquet");
  await field(page, "dateFin").fill("2027-12-31");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page.getByText("Ce brouillon est complet")).toBeVisible();
  await breadcrumbStartsWithConventions(page);

  await page.getByRole("link", { name: "Circuit de signature", exact: true }).click();
  await breadcrumbStartsWithConventions(page);
  await page.getByRole("button", { name: "Enregistrer le circuit" }).click();
  await expect(page.getByText("Circuit enregistré.", { exact: true })).toBeVisible();
  await launch(page, id);

  // The act is frozen: opening the drafting form answers 409, in words, with what to do.
  const frozen = await page.goto(`${SMTP_PORTAL}/conventions/${id}/modifier`);
  expect(frozen?.status()).toBe(409);
  await expect(page.locator("main h1")).toHaveText("Cette convention a changé");
  await expect(page.getByText(/Rechargez la page pour voir son état actuel/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Recharger la page" })).toHaveAttribute("href", `/conventions/${id}/modifier`);
  await expect(page.getByRole("link", { name: "Retour à la convention" })).toHaveAttribute("href", `/conventions/${id}`);
  await expectAccessible(page);
  await shot(page, "mots-409");

  // The Justice signatory refuses at the first step.
  const invitation = await waitForMail(CANTON, (await sinkMessages(CANTON)).length - 1, new RegExp(`À signer : ${INTITULE}`));
  await openInvitation(page, CANTON, signingLink(invitation.text), INTITULE);
  await page.getByLabel(/Motif du refus/).fill(MOTIF);
  await page.getByRole("button", { name: "Refuser" }).click();
  await expect(page.getByText("Votre refus est enregistré")).toBeVisible();

  // The rédactrice: e-mail, portal alert, the act's page.
  const declined = await waitForMail(CAMILLE, 0, new RegExp(`Signature refusée : ${INTITULE}`));
  expect(declined.text).toContain(MOTIF);
  await page.context().clearCookies();
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/alertes`);
  const alert = page.locator("main li").filter({ hasText: `Anne-Florence Canton a refusé de signer « ${INTITULE} »` });
  await expect(alert).toContainText(MOTIF);
  await expect(alert).toContainText("Nouveau");
  await expectAccessible(page);
  await shot(page, "mots-alertes");
  await alert.getByRole("link", { name: "Ouvrir la convention" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}$`));
  await expect(page.getByText(/mise à jour le .+ par Anne-Florence Canton/)).toBeVisible();
  const circuit = page.locator(".paraphe-circuit");
  await expect(circuit.getByText("Refusée").first()).toBeVisible();
  await expect(circuit.getByText("A refusé")).toBeVisible();
  await expect(circuit).not.toContainText("En cours");
  await breadcrumbStartsWithConventions(page);
  await expectAccessible(page);
  await shot(page, "mots-refus");

  for (const sub of ["transmission", "historique", "versions", "circuit"]) {
    await page.goto(`${SMTP_PORTAL}/conventions/${id}/${sub}`);
    await breadcrumbStartsWithConventions(page);
  }

  // One visible heading per list: the page's headings are distinct and table captions are for screen readers.
  await page.goto(`${SMTP_PORTAL}/conventions`);
  const headings = (await page.locator("main h1, main h2").allTextContents()).map((t) => t.replace(/\s*\(\d+\)$/, "").trim());
  expect(new Set(headings).size).toBe(headings.length);
  for (const caption of await page.locator("main table caption").all()) await expect(caption).toHaveClass(/fr-sr-only/);
});

test("administration: a success message after each save, and a welcome e-mail to a new person", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, SOPHIE);
  await page.goto(`${SMTP_PORTAL}/admin/organisations/nouvelle`);
  await page.locator("input[name=name]").fill(`Incubateur des territoires ${RUN}`);
  await page.getByLabel("Sigle").fill("IDT");
  await page.getByLabel("Ministère de rattachement").fill("Ministère de la Cohésion des territoires");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.locator(".fr-alert--success")).toHaveText(`Organisation « Incubateur des territoires ${RUN} » ajoutée.`);
  await expectAccessible(page);

  const email = `elodie.arnaud.${RUN}@territoires.example`;
  await page.goto(`${SMTP_PORTAL}/admin/personnes/nouvelle`);
  await page.getByLabel("Prénom").fill("Élodie");
  await page.locator("input[name=lastName]").fill("Arnaud");
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByLabel("Organisation").selectOption({ label: `Incubateur des territoires ${RUN}` });
  await page.getByText("Rédacteur ou juriste").click();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.locator(".fr-alert--success")).toContainText(`Élodie Arnaud a été ajouté(e). Un e-mail de bienvenue part à ${email}`);
  await expectAccessible(page);
  await shot(page, "mots-admin-personne");

  const welcome = await waitForMail(email, 0, /Votre accès à Paraphe/);
  expect(welcome.text).toContain(`${SMTP_PORTAL}/connexion`);
  expect(welcome.text).toContain("Vos rôles : rédacteur ou juriste.");
  expect(welcome.text).toContain(`pour l'organisation « Incubateur des territoires ${RUN} »`);

  // Editing her: the message says so, and no second welcome.
  await page.goto(`${SMTP_PORTAL}/admin/personnes?q=${encodeURIComponent(email)}`);
  await page.getByRole("link", { name: "Élodie Arnaud" }).click();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.locator(".fr-alert--success")).toHaveText("Fiche d'Élodie Arnaud enregistrée.");
  expect((await sinkMessages(email)).length).toBe(1);

  await page.goto(`${SMTP_PORTAL}/admin/cbcm`);
  await page.getByRole("link", { name: "CBCM du ministère de la Justice" }).click();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.locator(".fr-alert--success")).toHaveText("« CBCM du ministère de la Justice » enregistré dans l'annuaire des CBCM.");
  await expectAccessible(page);
});
