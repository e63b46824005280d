import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { demoScheduleYear } from "../db/seed";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dataDir, SMTP_PORTAL } from "../playwright.config";
import { atProvider, expectAccessible, PROCONNECT_BUTTON, openConvention, signIn, sinkMessages, waitForMail } from "./support/helpers";
import { readSigningCode } from "../app/email/messages";
import { launch, openInvitation as openInvitationFor, signingLink, signWithCode } from "./support/circuit";

const openInvitation = (page: Page, email: string, link: string) => openInvitationFor(page, email, link, INTITULE);

/**
 * The signature circuit, end to end with the real SMTP sink: a rédactrice launches the circuit,
 * the Justice signatory signs with the code read from her e-mail, the DINUM signatory declines,
 * the rédactrice edits and relaunches, both sign, the signed PDF and the certificate are checked
 * with tools the project did not write.
 */

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";
const GIRARD = "paul.girard@culture.example";
const INTITULE = `Circuit de signature ${Date.now().toString(36)}`;
const MOTIF = "Le montant des CP 2027 doit être de 120 000 €.";

async function shot(page: Page, name: string) {
  if (process.env.PARAPHE_SHOTS) await page.screenshot({ path: `${process.env.PARAPHE_SHOTS}/${name}.png`, fullPage: true });
}
const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

test("launch, sign with an e-mailed code, decline, relaunch, sign twice, download the signed PDF and the certificate", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const work = mkdtempSync(path.join(tmpdir(), "paraphe-circuit-"));

  // The rédactrice creates a complete draft from the template.
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

  // The circuit proposed from the signature blocks: Justice first, DINUM last. Kept as is.
  await page.getByRole("link", { name: "Circuit de signature", exact: true }).click();
  await expect(page.getByLabel("Personne 1 de l'étape 1").locator("option:checked")).toContainText("Anne-Florence Canton");
  await expect(page.getByLabel("Personne 1 de l'étape 2").locator("option:checked")).toContainText("Stéphanie Schaer");
  await expect(page.getByText("Voici le circuit proposé")).toBeVisible();
  // Editing buttons work on the server: add a visa step, see the problem, remove it again.
  await page.getByRole("button", { name: "Ajouter une étape de visa" }).click();
  await expect(page.getByText("Étape 3 : ajoutez au moins une personne.")).toBeVisible();
  await expect(page.getByText(/Modifications non enregistrées/)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Supprimer l'étape 3" }).click();
  await expect(page.getByRole("group", { name: /Étape 3/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Enregistrer le circuit" }).click();
  await expect(page.getByText("Circuit enregistré.", { exact: true })).toBeVisible();
  await shot(page, "circuit-01-edition");
  await launch(page, id);
  await shot(page, "circuit-02-lance");
  // Frozen: the convention page offers the document being signed, no longer a fresh render of the draft.
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.getByRole("link", { name: "Document à signer" })).toHaveAttribute("href", `/conventions/${id}/a-signer.pdf`);
  await expect(page.getByRole("link", { name: "Télécharger le PDF" })).toHaveCount(0);
  // Frozen: the draft can no longer be edited.
  expect((await page.request.get(`${SMTP_PORTAL}/conventions/${id}/modifier`)).status()).toBe(409);

  // The Justice signatory: invitation at the SMTP sink, sign-in, the signing page.
  const invitation = await waitForMail(CANTON, 0, new RegExp(`À signer : ${INTITULE}`));
  const link = signingLink(invitation.text);
  expect(link).toBe(`${SMTP_PORTAL}/conventions/${id}/signer`);
  await openInvitation(page, CANTON, link);
  await expect(page.locator(`iframe[src="/conventions/${id}/a-signer.pdf"]`)).toHaveAttribute("title", /Document PDF à signer/);
  await expect(page.getByText("Lire la version texte accessible du document")).toBeVisible();
  await page.getByText("Lire la version texte accessible du document").click();
  await expect(page.locator(".paraphe-doc").getByRole("heading", { name: "Convention de délégation de gestion" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "150 000 €" }).first()).toBeVisible();
  await expect(page.getByText("Préavis de résiliation : 3 mois")).toBeVisible();
  const pdf = await page.request.get(`${SMTP_PORTAL}/conventions/${id}/a-signer.pdf`);
  expect(pdf.headers()["content-disposition"]).toMatch(/^inline/);
  expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await expectAccessible(page);
  await shot(page, "circuit-03-signer-avant");

  // A wrong code costs a try and says so, in French.
  const before = (await sinkMessages(CANTON)).length;
  await page.getByRole("button", { name: "Recevoir mon code" }).click();
  const codeMail = await waitForMail(CANTON, before, /code de signature/);
  const good = readSigningCode(codeMail.text)!;
  await page.getByLabel(/Code de signature/).fill(good === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Signer", exact: true }).click();
  await expect(page.getByText("Code incorrect. Il vous reste 4 essais.")).toBeVisible();
  await expectAccessible(page);

  // A second tab holds the same form: once signed in the first, it changes nothing.
  const stale = await page.context().newPage();
  await stale.goto(link);
  await page.getByLabel(/Code de signature/).fill(good);
  await page.getByRole("button", { name: "Signer", exact: true }).click();
  await expect(page.getByText("Votre signature a été apposée")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("link", { name: "Télécharger le document signé (PDF)" })).toBeVisible();
  await expectAccessible(page);
  await shot(page, "circuit-04-signer-apres");
  await stale.getByLabel(/Code de signature/).fill(good);
  await stale.getByRole("button", { name: "Signer", exact: true }).click();
  await expect(stale.locator(".fr-error-text, .fr-alert--error")).toContainText(/code|traité/);
  await stale.close();

  // The DINUM signatory declines with a reason.
  const dinumInvitation = await waitForMail(SCHAER, 0, new RegExp(`À signer : ${INTITULE}`));
  await openInvitation(page, SCHAER, signingLink(dinumInvitation.text));
  await expect(page.getByRole("cell", { name: /Anne-Florence Canton/ })).toBeVisible();
  await expect(page.getByText("A signé")).toBeVisible();
  await page.getByRole("button", { name: "Refuser" }).click();
  // The browser keeps an empty reason from being sent; the server refuses it too.
  await expect(page.getByText("Votre refus est enregistré")).toHaveCount(0);
  await page.getByLabel(/Motif du refus/).fill(MOTIF);
  await page.getByRole("button", { name: "Refuser" }).click();
  await expect(page.getByText("Votre refus est enregistré")).toBeVisible();
  await expectAccessible(page);

  // The rédactrice gets the reason by e-mail and on the draft, edits, relaunches.
  const declined = await waitForMail(CAMILLE, 0, /Signature refusée/);
  expect(declined.text).toContain(MOTIF);
  await page.context().clearCookies();
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.getByText("Signature refusée : le document est revenu en brouillon")).toBeVisible();
  await expect(page.getByText(MOTIF).first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Modifier", exact: true }).click();
  await field(page, "financement.echeancier[0].cp").fill("120 000");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page.getByText("Version 3 enregistrée")).toBeVisible();
  const cantonBefore = (await sinkMessages(CANTON)).length;
  const schaerBefore = (await sinkMessages(SCHAER)).length;
  await launch(page, id);

  // Both sign again, Justice first.
  await waitForMail(CANTON, cantonBefore, new RegExp(`À signer : ${INTITULE}`));
  await page.context().clearCookies();
  await signIn(page, CANTON);
  await page.getByRole("link", { name: INTITULE }).first().click();
  await expect(page).toHaveURL(`${SMTP_PORTAL}/conventions/${id}/signer`);
  await signWithCode(page, CANTON);
  // The DINUM signatory follows her invitation and signs in with ProConnect (the local provider).
  const relaunched = await waitForMail(SCHAER, schaerBefore, new RegExp(`À signer : ${INTITULE}`));
  await page.context().clearCookies();
  await page.goto(signingLink(relaunched.text));
  await expect(page).toHaveURL(/\/connexion\?retour=%2Fconventions%2F/);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  await atProvider(page, SCHAER);
  await expect(page).toHaveURL(`${SMTP_PORTAL}/conventions/${id}/signer`);
  await page.goto(`${SMTP_PORTAL}/a-signer`);
  await expectAccessible(page);
  await page.getByRole("link", { name: INTITULE }).click();
  await signWithCode(page, SCHAER);
  await expect(page.getByText(/Toutes les signatures sont recueillies/)).toBeVisible();
  await shot(page, "circuit-05-signee");

  // The signed PDF: two valid signatures and the final document timestamp, per pdfsig through NSS.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Télécharger le document signé (PDF)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/-signee\.pdf$/);
  const signedFile = testInfo.outputPath("signee.pdf");
  await download.saveAs(signedFile);
  const signed = readFileSync(signedFile);
  expect(signed.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const trust = path.join(work, "trust.pem");
  execFileSync(process.execPath, ["bin/paraphe.mjs", "pki", "export-trust", "-o", trust], { env: { ...process.env, DATA_DIR: dataDir("smtp"), DATABASE_URL: "" } });
  const nss = path.join(work, "nss");
  mkdirSync(nss);
  execFileSync("certutil", ["-N", "-d", `sql:${nss}`, "--empty-password"]);
  const pems = readFileSync(trust, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  expect(pems.length).toBeGreaterThan(0);
  pems.forEach((pem, i) => {
    const f = path.join(work, `trust-${i}.pem`);
    writeFileSync(f, `${pem}\n`);
    execFileSync("certutil", ["-A", "-n", `paraphe-${i}`, "-t", "CT,C,C", "-i", f, "-d", `sql:${nss}`]);
  });
  const report = spawnSync("pdfsig", ["-nssdir", `sql:${nss}`, signedFile], { encoding: "utf8" });
  const blocks = `${report.stdout}`.split(/\nSignature #\d+:/).slice(1);
  testInfo.attach("pdfsig", { body: report.stdout, contentType: "text/plain" });
  // pdfsig 22.12 lists the document timestamp (ETSI.RFC3161) as a signature of unknown type that covers the whole file.
  const signatures = blocks.filter((b) => b.includes("Signature Type: ETSI.CAdES.detached"));
  const timestamps = blocks.filter((b) => b.includes("horodatage du portail") && b.includes("Total document signed"));
  expect(signatures, report.stdout).toHaveLength(2);
  for (const b of signatures) {
    expect(b).toContain("Signature is Valid");
    expect(b).toContain("Certificate is Trusted");
  }
  expect(signatures[0]).toContain("Anne-Florence Canton");
  expect(signatures[1]).toContain("Stéphanie Schaer");
  expect(timestamps, report.stdout).toHaveLength(1);
  expect(signed.toString("latin1")).toContain("/SubFilter /ETSI.RFC3161");

  // The convention page: progress, every event, and the certificate.
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.getByText("Toutes les signatures recueillies")).toBeVisible();
  await expect(page.getByText(/Signature refusée par Stéphanie Schaer/)).toBeVisible();
  await expect(page.getByText(/Document consulté par Anne-Florence Canton/).first()).toBeVisible();
  await expect(page.getByText(/Code de signature erroné par Anne-Florence Canton/)).toBeVisible();
  await expectAccessible(page);
  await shot(page, "circuit-06-convention");
  const [cert] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Certificat de signature" }).click()]);
  const certFile = testInfo.outputPath("certificat.pdf");
  await cert.saveAs(certFile);
  expect(readFileSync(certFile).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const certText = execFileSync("pdftotext", [certFile, "-"], { encoding: "utf8" });
  expect(certText).toContain("Certificat de signature");
  expect(certText).toContain("Stéphanie Schaer");
  // How each signatory authenticated: Justice by e-mailed link, DINUM through ProConnect.
  expect(certText.replace(/\s+/g, " ")).toMatch(/ProConnect \+ code par e-mail/);
  expect(certText.replace(/\s+/g, " ")).toMatch(/lien de connexion \+ code par e-mail/);

  // A signatory of a third organisation sees neither the convention nor its signing page nor its files.
  await page.context().clearCookies();
  await signIn(page, GIRARD);
  for (const p of ["", "/signer", "/circuit", "/a-signer.pdf", "/signe.pdf", "/certificat.pdf"]) {
    const response = await page.request.get(`${SMTP_PORTAL}/conventions/${id}${p}`);
    expect(response.status(), p).toBe(404);
  }
  const response = await page.goto(`${SMTP_PORTAL}/conventions/${id}/signer`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText("ne concerne pas votre organisation")).toBeVisible();
  await expectAccessible(page);
});

test("a signataire declares a delegate and revokes it", async ({ page }) => {
  await signIn(page, CANTON);
  await expect(page.getByRole("link", { name: "Délégations", exact: true }).first()).toBeVisible();
  await page.goto(`${SMTP_PORTAL}/delegations`);
  await expect(page.locator("main h1")).toHaveText("Délégations de signature");
  // The help names the signataire herself, as her delegate's stamp will (issue 13: real names, not placeholders).
  await expect(page.locator("main")).toContainText("« Pour Anne-Florence Canton et par délégation, »");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Déclarer la délégation" }).click();
  await expect(page.getByText("Adresse électronique invalide.")).toBeVisible();
  await expectAccessible(page);
  // Tomorrow: a delegation never starts in the past (and today in Paris may be tomorrow in UTC).
  const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
  await page.getByLabel("Adresse électronique du délégué ou de la déléguée de signature").fill(GIRARD);
  await page.getByLabel("Date de début").fill(tomorrow);
  await page.getByLabel("Date de fin").fill("2099-12-31");
  await page.getByLabel("Référence de l'acte de délégation").fill("Décision n° 2026-42 du 2 janvier 2026");
  await page.getByRole("button", { name: "Déclarer la délégation" }).click();
  // Another organisation and a rédactrice of one's own get the same answer.
  const refusal = "Aucun signataire actif de votre organisation ne correspond à cette adresse dans Paraphe.";
  await expect(page.getByText(refusal)).toBeVisible();
  await page.getByLabel("Adresse électronique du délégué ou de la déléguée de signature").fill(CAMILLE);
  await page.getByRole("button", { name: "Déclarer la délégation" }).click();
  await expect(page.getByText(refusal)).toBeVisible();
  await page.getByLabel("Adresse électronique du délégué ou de la déléguée de signature").fill("marc.lemaire@justice.example");
  await page.getByRole("button", { name: "Déclarer la délégation" }).click();
  await expect(page.getByText("Délégation enregistrée.")).toBeVisible();
  await expect(page.getByRole("cell", { name: /marc\.lemaire@justice\.example/ })).toBeVisible();
  // A signature delegate is « délégué(e) de signature », never « délégataire » (the DINUM party's word).
  await expect(page.getByRole("columnheader", { name: "Délégué(e) de signature" })).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/délégataire/i);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Révoquer la délégation à Marc Lemaire" }).click();
  await expect(page.getByText("Délégation révoquée.")).toBeVisible();
  await expect(page.getByText("Vous n'avez délégué votre signature à personne.")).toBeVisible();
});

test("the dashboard filters by title, status, party and year", async ({ page }) => {
  await signIn(page, CAMILLE);
  // One tab of the organisation's conventions at a time, each tab with its count (issue 14).
  await expect(page.getByRole("link", { name: /Brouillons \(\d+\)/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Rechercher un intitulé").fill("incubateur");
  await page.getByLabel("Statut").selectOption({ label: "Brouillon" });
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/q=incubateur/);
  await expect(page.getByRole("link", { name: /Incubateur de la Justice \(2022\)/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Signées (0)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Brouillons \(\d+\)/ })).toBeVisible();
  await page.getByLabel("Année").selectOption(String(demoScheduleYear()));
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page.getByRole("link", { name: /Incubateur de la Justice \(2022\)/ })).toBeVisible();
  await page.goto(`${SMTP_PORTAL}/tableau-de-bord?q=aucun-intitule-ainsi`);
  await expect(page.getByText("Aucune convention ne correspond aux filtres.").first()).toBeVisible();
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the circuit editor's buttons work on the server and keep the form", async ({ page }) => {
    await signIn(page, CAMILLE);
    await openConvention(page);
    await page.goto(`${page.url()}/circuit`);
    await expect(page.locator("main h1")).toHaveText("Circuit de signature");
    await page.getByLabel("Libellé de l'étape 1").fill("Signature du ministère");
    await page.getByRole("button", { name: "Ajouter une étape de visa" }).click();
    await expect(page.getByRole("group", { name: "Étape 3 — visa" })).toBeVisible();
    await expect(page.getByLabel("Libellé de l'étape 1")).toHaveValue("Signature du ministère");
    await page.getByRole("button", { name: "Monter l'étape 3" }).click();
    await expect(page.getByRole("group", { name: "Étape 2 — visa" })).toBeVisible();
    await expect(page.getByText("Étape 2 : ajoutez au moins une personne.")).toBeVisible();
    await page.getByRole("button", { name: "Supprimer l'étape 2" }).click();
    await expect(page.getByRole("group", { name: /visa/ })).toHaveCount(0);
    // Nothing was saved: reloading shows the stored or proposed circuit.
    await page.goto(page.url());
    await expect(page.getByLabel("Libellé de l'étape 1")).not.toHaveValue("Signature du ministère");
  });
});
