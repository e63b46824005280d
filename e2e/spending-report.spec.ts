import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SMTP_PORTAL } from "../playwright.config";
import { parisDate } from "../app/domain/dates";
import { field, idIn, importConvention, shot, signedElsewhere } from "./support/acts";
import { launch, openInvitation, signingLink, signWithCode } from "./support/circuit";
import { expectAccessible, signIn, sinkMessages, waitForMail } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";
const LOUIS = "louis.bernard@dinum.example";
const CBCM_JUSTICE = "cbcm-justice@cbcm.example";

const pdfText = (bytes: Buffer) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "paraphe-cr-e2e-")), "compte-rendu.pdf");
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ").replace(/[ \t]+/g, " ");
};

/** Runs the scheduler once through the test clock, without moving it (« avancer de 0 jour »). */
async function runScheduler(page: Page) {
  const r = await page.request.post(`${SMTP_PORTAL}/dev/horloge`, { form: { jours: "0" } });
  expect(r.status()).toBe(200);
}

async function recordLine(page: Page, line: { credit: "ae" | "cp"; montant: string; chorus: string; commentaire?: string }) {
  await field(page, "annee").selectOption("2027");
  await field(page, "credit").selectOption(line.credit);
  await field(page, "date").fill("2027-02-15");
  await field(page, "montant").fill(line.montant);
  await field(page, "chorus").fill(line.chorus);
  await field(page, "commentaire").fill(line.commentaire ?? "");
  await page.getByRole("button", { name: "Enregistrer la ligne" }).click();
}

/**
 * The délégataire's rédacteur records what was consumed (an over-consumption refused with the year
 * and the excess); the convention ends (terminated by common accord, effective the day it is signed:
 * the test clock need not move); the scheduler prepares the compte rendu d'exécution, « Échéances »
 * lists it as due, the DINUM's signatory signs it alone, and the délégant and its CBCM receive it.
 */
test("spending recorded by the délégataire, the compte rendu d'exécution prepared at the end, signed by the DINUM and received by the délégant", async ({ page }) => {
  test.setTimeout(420_000);
  const signed = await signedElsewhere();
  await signIn(page, CAMILLE);
  const intitule = `Compte rendu e2e ${Date.now().toString(36)}`;
  const id = await importConvention(page, { intitule, file: signed.file, dateSignature: "2026-11-02", dateFin: "2028-12-31", annee: 2027 });

  // The délégant reads the spending page but does not record.
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/depenses`);
  await expect(page.locator("main h1")).toHaveText("Suivi des dépenses");
  await expect(page.getByText("Seuls les rédacteurs du délégataire enregistrent les dépenses.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Enregistrer la ligne" })).toHaveCount(0);

  // The DINUM's rédacteur records; an over-consumption is refused beside the amount, naming the year and the excess.
  await page.context().clearCookies();
  await signIn(page, LOUIS);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/depenses`);
  await expectAccessible(page);
  await recordLine(page, { credit: "ae", montant: "100 000", chorus: "EJ 1800012345", commentaire: "Marché de développement" });
  await expect(page.getByText("Ligne enregistrée.")).toBeVisible();
  await recordLine(page, { credit: "ae", montant: "60 000", chorus: "EJ 1800012399" });
  await expect(page.getByText("Dépassement refusé : les AE consommés en 2027 atteindraient 160 000 € pour 150 000 € délégués, soit 10 000 € de trop")).toBeVisible();
  await expectAccessible(page);
  await recordLine(page, { credit: "cp", montant: "40 000", chorus: "DP 2100000001" });
  await expect(page.getByText("Ligne enregistrée.")).toBeVisible();
  const table = page.getByRole("table", { name: "Crédits délégués, consommés et restants par année" });
  await expect(table.getByRole("row", { name: /2027/ })).toContainText("100 000 €");
  await expect(table.getByRole("row", { name: /2027/ })).toContainText("50 000 €");
  await expect(page.getByRole("img", { name: "Part consommée des crédits délégués, par année" })).toBeVisible();
  await shot(page, "depenses");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "depenses-390");
  await page.setViewportSize({ width: 1280, height: 720 });

  // The convention ends: termination by common accord, effective the day it is signed.
  // No spec before this one moves the portal's clock: its date is today's in Paris.
  const today = parisDate(new Date());
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/resiliation`);
  await page.getByRole("button", { name: "Préparer la notification" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const noticeId = idIn(page.url());
  await field(page, "motif").fill("Le projet est achevé plus tôt que prévu.");
  await field(page, "dateEffetDemandee").fill(today);
  await page.locator("label", { hasText: "Les deux parties signent la notification" }).click();
  await field(page, "lieuSignature").fill("Paris");
  await page.getByRole("button", { name: "Enregistrer la notification" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${noticeId}(\\?.*)?$`));
  const noticeTitle = (await page.locator("main h1").textContent())!.trim();
  await launch(page, noticeId);
  const cantonInvite = await waitForMail(CANTON, (await sinkMessages(CANTON)).length - 1, new RegExp(`À signer : ${noticeTitle.slice(0, 20)}`));
  await openInvitation(page, CANTON, signingLink(cantonInvite.text), noticeTitle);
  await signWithCode(page, CANTON);
  const schaerInvite = await waitForMail(SCHAER, (await sinkMessages(SCHAER)).length - 1, new RegExp(`À signer : ${noticeTitle.slice(0, 20)}`));
  await openInvitation(page, SCHAER, signingLink(schaerInvite.text), noticeTitle);
  await signWithCode(page, SCHAER);

  // The scheduler (run once here; it also runs every minute) prepares the compte rendu.
  await runScheduler(page);
  await page.context().clearCookies();
  await signIn(page, LOUIS);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.locator("main .fr-badge").first()).toHaveText("Résiliée");
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/depenses`);
  await expect(page.getByText("préparé, à faire signer par le délégataire")).toBeVisible();
  await expect(page.getByText("à son terme, elles forment le compte rendu d'exécution")).toBeVisible();
  await page.getByRole("link", { name: "Compte rendu d'exécution", exact: true }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}$/);
  const reportId = idIn(page.url());
  expect(reportId).not.toBe(id);
  const title = (await page.locator("main h1").textContent())!.trim();
  expect(title).toBe(`Compte rendu d'exécution — ${intitule}`);
  await expect(page.getByText("2027 : AE consommées 100 000 € sur 150 000 € ; CP consommés 40 000 € sur 150 000 €.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Modifier", exact: true })).toHaveCount(0);
  await expectAccessible(page);
  await shot(page, "compte-rendu");

  // « Échéances » lists it as due.
  await page.goto(`${SMTP_PORTAL}/echeances`);
  const due = page.getByRole("table", { name: "Comptes rendus d'exécution à signer et transmettre" });
  await expect(due.getByRole("row", { name: new RegExp(intitule) })).toContainText("Faire signer le compte rendu");
  await expectAccessible(page);
  await shot(page, "echeances");

  // A one-step circuit: the DINUM's signatory alone.
  await page.goto(`${SMTP_PORTAL}/conventions/${reportId}/circuit`);
  await expect(page.getByLabel("Personne 1 de l'étape 1").locator("option:checked")).toContainText("Stéphanie Schaer");
  await expect(page.getByLabel("Personne 1 de l'étape 2")).toHaveCount(0);
  const camilleBefore = (await sinkMessages(CAMILLE)).length;
  const cbcmBefore = (await sinkMessages(CBCM_JUSTICE)).length;
  await launch(page, reportId);
  const invite = await waitForMail(SCHAER, (await sinkMessages(SCHAER)).length - 1, new RegExp(`À signer : ${title.slice(0, 20)}`));
  await openInvitation(page, SCHAER, signingLink(invite.text), title);
  await signWithCode(page, SCHAER);

  // The délégant's rédacteur and its CBCM receive the signed report; its totals are the recorded lines.
  const received = await waitForMail(CAMILLE, camilleBefore, /Votre exemplaire signé/);
  expect(received.subject).toBe(`Votre exemplaire signé : ${title}`);
  const pdf = received.attachments.find((a) => a.filename.endsWith("-signee.pdf"));
  expect(pdf).toBeTruthy();
  const text = pdfText(Buffer.from(pdf!.base64, "base64"));
  if (process.env.PARAPHE_SHOTS) writeFileSync(path.join(process.env.PARAPHE_SHOTS, "compte-rendu-signe.pdf"), Buffer.from(pdf!.base64, "base64"));
  expect(text).toContain("Compte rendu d'exécution");
  expect(text).toMatch(/Total AE 100 000 €/);
  expect(text).toMatch(/Total CP 40 000 €/);
  expect(text).toContain("EJ 1800012345");
  expect(text).not.toContain("EJ 1800012399");
  await waitForMail(CBCM_JUSTICE, cbcmBefore, /Compte rendu d'exécution/);

  // Signed: no longer due.
  await page.context().clearCookies();
  await signIn(page, LOUIS);
  await page.goto(`${SMTP_PORTAL}/echeances`);
  await expect(page.getByRole("row", { name: new RegExp(intitule) })).toHaveCount(0);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/depenses`);
  await expect(page.getByText("signé et transmis au délégant")).toBeVisible();
});
