import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { SMTP_PORTAL } from "../playwright.config";
import { field } from "./support/acts";
import { launch, openInvitation, signingLink, signWithCode } from "./support/circuit";
import { expectAccessible, signIn, sinkMessages, waitForMail } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";
const LOUIS = "louis.bernard@dinum.example";
const RUN = Date.now().toString(36).toUpperCase();
const INTITULE = `Convention de délégation de gestion — Registre public ${RUN}`;
const REFERENCE = `DG-REG-${RUN}`;
const OUT = process.env.PARAPHE_OUT_G;

/** A complete draft from the template, signed by both parties through the circuit; returns its id. */
async function signedConvention(page: Page): Promise<string> {
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/nouvelle`);
  await page.getByLabel("Intitulé").fill(INTITULE);
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  await field(page, "reference").fill(REFERENCE);
  await field(page, "financement.uo").fill("0310-SGAL-SSIC");
  await field(page, "financement.echeancier[0].annee").fill("2027");
  await field(page, "financement.echeancier[0].ae").fill("150 000");
  await field(page, "financement.echeancier[0].cp").fill("120 000");
  await field(page, "financement.chorus.domaineFonctionnel").fill("0310-09-03");
  await field(page, "financement.chorus.centreFinancier").fill("0310-SGAL-SSIC");
  await field(page, "financement.chorus.centreDeCout").fill("SEGSSMM075");
  await field(page, "financement.chorus.activites[0].code").fill("0310ACAE0701");
  await field(page, "financement.chorus.activites[0].libelle").fill("Gouvernance DSI");
  await field(page, "services").fill("Info Parquet");
  await field(page, "dateFin").fill("2027-12-31");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page.getByText("Ce brouillon est complet")).toBeVisible();
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/circuit`);
  await page.getByRole("button", { name: "Enregistrer le circuit" }).click();
  await expect(page.getByText("Circuit enregistré.", { exact: true })).toBeVisible();
  await launch(page, id);
  for (const signer of [CANTON, SCHAER]) {
    const mail = await waitForMail(signer, (await sinkMessages(signer)).length - 1, new RegExp(`À signer : ${INTITULE.slice(0, 30)}`));
    await openInvitation(page, signer, signingLink(mail.text), INTITULE);
    await signWithCode(page, signer);
  }
  await page.context().clearCookies();
  return id;
}

test("the public register without account: search, filter, the act's page, its signed PDF and SHA-256, the open data; taken off with a reason", async ({ page }) => {
  test.setTimeout(300_000);
  const id = await signedConvention(page);

  // No account: the register lists the signed act; search and filters.
  await page.goto(`${SMTP_PORTAL}/registre`);
  await expect(page.locator("main h1")).toHaveText("Registre public des conventions de délégation de gestion");
  await expectAccessible(page);
  await page.getByRole("searchbox").fill(RUN);
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page.getByText("1 acte", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: REFERENCE })).toBeVisible();
  await page.getByLabel("Statut", { exact: true }).selectOption("resiliee");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page.getByText("Aucun acte ne correspond.")).toBeVisible();
  await page.getByLabel("Statut", { exact: true }).selectOption("en_vigueur");
  await page.getByLabel("Type d'acte", { exact: true }).selectOption("convention");
  await page.getByLabel(/Année/).fill("2027");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page.getByRole("link", { name: REFERENCE })).toBeVisible();
  await expectAccessible(page);
  if (OUT) {
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: `${OUT}/registre.png`, fullPage: true });
  }

  // The act at its stable address, the signed PDF downloaded and its SHA-256 checked.
  await page.getByRole("link", { name: REFERENCE }).click();
  await expect(page).toHaveURL(`${SMTP_PORTAL}/registre/${REFERENCE}`);
  await expect(page.locator("main h1")).toHaveText(`Convention ${REFERENCE}`);
  await expect(page.getByText("Anne-Florence Canton, Cheffe de Service Numérique")).toBeVisible();
  await expect(page.locator("main")).not.toContainText("@");
  await expect(page.locator("main")).not.toContainText("Camille");
  await expectAccessible(page);
  if (OUT) await page.screenshot({ path: `${OUT}/registre-acte.png`, fullPage: true });
  const shown = (await page.getByTestId("sha256").textContent())!.trim();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Télécharger le PDF signé/ }).click()]);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(shown);

  // The open data: one row for the act, in the schema's columns.
  const csv = await (await page.request.get(`${SMTP_PORTAL}/donnees/conventions.csv`)).text();
  const [header, ...rows] = csv.trim().split("\r\n");
  expect(header.split(";").slice(0, 3)).toEqual(["identifiant", "type", "numero_avenant"]);
  const row = rows.find((r) => r.startsWith(id));
  expect(row).toContain(`;${REFERENCE};`);
  expect(row).toContain(shown);
  if (OUT) writeFileSync(`${OUT}/sample-row.csv`, `${header}\r\n${row}\r\n`);
  const schema = (await (await page.request.get(`${SMTP_PORTAL}/donnees/schema.json`)).json()) as { fields: { name: string; title: string }[] };
  expect(schema.fields.map((f) => f.name)).toEqual(header.split(";"));

  // The rédactrice takes it off the register: a reason is required, then the act is gone from it.
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.getByTestId("publication")).toContainText("publié au registre public");
  await page.getByTestId("publication").getByRole("link", { name: "modifier" }).click();
  await expect(page.locator("main h1")).toHaveText("Publication au registre public");
  await expectAccessible(page);
  await page.getByText("Ne pas publier (motif obligatoire)").click();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByText("Le motif est obligatoire pour retirer un acte du registre public")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel(/Motif de la non-publication/).fill("Annexe couverte par le secret des affaires");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByTestId("publication")).toContainText("non publié (motif : Annexe couverte par le secret des affaires)");
  await page.context().clearCookies();
  expect((await page.request.get(`${SMTP_PORTAL}/registre/${REFERENCE}`)).status()).toBe(404);
  expect((await page.request.get(`${SMTP_PORTAL}/registre/${id}/acte-signe.pdf`)).status()).toBe(404);
  expect(await (await page.request.get(`${SMTP_PORTAL}/donnees/conventions.csv`)).text()).not.toContain(id);

  // The délégataire's rédacteur records spending on the convention in force.
  await signIn(page, LOUIS);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/depenses`);
  await expect(page.locator("main h1")).toHaveText("Suivi des dépenses");
  await expectAccessible(page);
  const record = async (montant: string, extra: { credit?: string; motif?: string } = {}) => {
    await page.getByLabel("Crédits", { exact: true }).selectOption(extra.credit ?? "ae");
    await page.getByLabel(/^Date/).fill("2027-02-15");
    await page.getByLabel(/Montant/).fill(montant);
    await page.getByLabel(/Référence Chorus/).fill("EJ 1800012345");
    await page.getByLabel(/Motif de la correction/).fill(extra.motif ?? "");
    await page.getByRole("button", { name: "Enregistrer la ligne" }).click();
  };
  await record("100 000");
  await expect(page.getByText("Ligne enregistrée.")).toBeVisible();
  await record("60 000");
  await expect(page.getByText(/Dépassement refusé : les AE consommés en 2027 atteindraient 160\s000\s€ pour 150\s000\s€ délégués, soit 10\s000\s€ de trop/)).toBeVisible();
  await expectAccessible(page);
  await record("-10 000", { motif: "Engagement réduit" });
  await expect(page.getByText("Ligne enregistrée.")).toBeVisible();
  const year = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "2027" }) });
  await expect(year).toContainText(/150\s000\s€\s*90\s000\s€\s*60\s000\s€/);
  await expect(page.getByText("Correction : Engagement réduit")).toBeVisible();
  if (OUT) await page.screenshot({ path: `${OUT}/depenses.png`, fullPage: true });
});
