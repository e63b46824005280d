import { expect, test } from "./support/fixtures";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { SMTP_PORTAL } from "../playwright.config";
import { formatDateLongue } from "../app/domain/convention";
import { lastNoticeDate } from "../app/domain/dates";
import { actDates, field, idIn, importConvention, shot, shotPdf, signedElsewhere } from "./support/acts";
import { launch, openInvitation, signingLink, signWithCode } from "./support/circuit";
import { expectAccessible, signIn, sinkMessages, waitForMail } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";
const CBCM_JUSTICE = "cbcm-justice@cbcm.example";
const CBCM_SPM = "cbcm-spm@cbcm.example";
const NEW_ARTICLE = "Le délégataire rend compte chaque trimestre de l'avancement des services au délégant, par un tableau de bord partagé.";

const pdfText = (file: string) => execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");

/**
 * Avenant n° 1 to a convention in force: it adds a year to the schedule, replaces an article and
 * extends the end date; both parties sign; the CBCMs receive it; the version consolidée reads the
 * new schedule and article; the history shows the differences word by word and amount by amount.
 */
test("avenant n° 1: a year added, an article replaced, the end date extended, signed by both parties, consolidated and compared", async ({ page }, testInfo) => {
  test.setTimeout(360_000);
  const signed = await signedElsewhere();
  await signIn(page, CAMILLE);
  const intitule = `Avenant e2e ${Date.now().toString(36)}`;
  // Signed a month ago, in force until 13 months from now; the avenant adds the next year and a year of validity.
  const dates = actDates();
  const added = String(dates.annee + 1);
  const newEnd = formatDateLongue(dates.nouvelleFin);
  const id = await importConvention(page, { intitule, file: signed.file, ...dates });

  // From the convention in force: « Préparer un avenant ».
  await page.getByRole("link", { name: "Préparer un avenant" }).click();
  await expect(page.locator("main h1")).toHaveText("Préparer un avenant");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Créer l'avenant" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const avenantId = idIn(page.url());
  expect(avenantId).not.toBe(id);
  await expect(page.getByText(/Avenant n° 1/).first()).toBeVisible();

  // A second avenant while this one is in preparation is refused, with a link to it.
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/avenant`);
  await page.getByRole("button", { name: "Créer l'avenant" }).click();
  await expect(page.locator(".fr-alert--error")).toContainText("Avenant impossible");
  await expect(page.getByRole("link", { name: "Ouvrir l'avenant en préparation" })).toHaveAttribute("href", `/conventions/${avenantId}`);
  await page.goto(`${SMTP_PORTAL}/conventions/${avenantId}/modifier`);

  // Three operations, added with the form's buttons (no script needed).
  await page.getByRole("button", { name: "Ajouter une année à l'échéancier" }).click();
  await expect(field(page, "operations[0].annee")).toHaveValue(added);
  await page.getByRole("button", { name: "Remplacer un article" }).click();
  await page.getByRole("button", { name: "Modifier la date de fin" }).click();
  await expect(page.getByRole("group", { name: /Modification 3 : Modifier la date de fin/ })).toBeVisible();
  await field(page, "operations[0].ae").fill("200 000");
  await field(page, "operations[0].cp").fill("180 000");
  const articles = await field(page, "operations[1].article").locator("option").allTextContents();
  const target = articles.find((a) => /Article \d+ — /.test(a))!;
  const numero = Number(/Article (\d+)/.exec(target)![1]);
  await field(page, "operations[1].article").selectOption(String(numero));
  await expect(page.getByText(`Texte actuel de l'article ${numero}`)).toBeVisible();
  // The article as it reads in the convention: its fields shown as their values, never the template's syntax.
  const current = page.locator(".fr-callout", { hasText: `Texte actuel de l'article ${numero}` });
  await expect(current).not.toContainText("{%");
  await expect(current).not.toContainText("{{");
  await expect(current).not.toContainText("**");
  await field(page, "operations[1].titre").fill("Compte rendu");
  await field(page, "operations[2].dateFin").fill(dates.nouvelleFin);
  // Bad input: the new article's text left empty is refused beside the field and at the top.
  await page.getByRole("button", { name: "Enregistrer l'avenant" }).click();
  await expect(page.locator(".fr-alert--error")).toContainText("Modification 2 — texte : Le texte de l'article est obligatoire");
  await expect(page.locator(`#champ-operations-1-corps`)).toBeVisible();
  await expectAccessible(page);
  await field(page, "operations[1].corps").fill(NEW_ARTICLE);
  await field(page, "lieuSignature").fill("Paris");
  await shot(page, "avenant-editeur");
  await page.getByRole("button", { name: "Enregistrer l'avenant" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${avenantId}(\\?.*)?$`));
  await expect(page.locator(".fr-alert--error")).toHaveCount(0);
  // The avenant page links to its convention.
  await expect(page.getByRole("link", { name: intitule }).first()).toHaveAttribute("href", `/conventions/${id}`);
  await expectAccessible(page);
  const title = (await page.locator("main h1").textContent())!.trim();

  // The same circuit as a convention: Justice signs, then the DINUM.
  await launch(page, avenantId);
  const invitation = await waitForMail(CANTON, (await sinkMessages(CANTON)).length - 1, new RegExp(`À signer : ${title.slice(0, 20)}`));
  await openInvitation(page, CANTON, signingLink(invitation.text), title);
  await signWithCode(page, CANTON);
  const dinum = await waitForMail(SCHAER, (await sinkMessages(SCHAER)).length - 1, new RegExp(`À signer : ${title.slice(0, 20)}`));
  await openInvitation(page, SCHAER, signingLink(dinum.text), title);
  await signWithCode(page, SCHAER);

  // Both CBCMs receive the signed avenant.
  for (const cbcm of [CBCM_JUSTICE, CBCM_SPM]) {
    await expect
      .poll(async () => (await sinkMessages(cbcm)).filter((m) => m.subject === `Copie signée : ${title}`).length, { timeout: 30_000 })
      .toBe(1);
  }

  // The convention now reads as amended: new end date, history, version consolidée.
  await page.context().clearCookies();
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.getByText(`En vigueur jusqu'au ${newEnd}.`)).toBeVisible();
  const consolidated = await page.request.get(`${SMTP_PORTAL}/conventions/${id}/consolidee.pdf`);
  expect(consolidated.status()).toBe(200);
  const pdfFile = testInfo.outputPath("version-consolidee.pdf");
  writeFileSync(pdfFile, await consolidated.body());
  const text = pdfText(pdfFile);
  expect(text).toContain("Version consolidée");
  expect(text).toContain("intègre l'avenant n° 1");
  expect(text).toContain(NEW_ARTICLE.replace(/\s+/g, " ").slice(0, 60));
  expect(text).toMatch(new RegExp(`${added}\\s200\\s000\\s(€\\s)?180\\s000`));
  expect(text).toContain(newEnd);
  await shotPdf(await consolidated.body(), "version-consolidee");
  const avenantPdf = await page.request.get(`${SMTP_PORTAL}/conventions/${avenantId}/signe.pdf`);
  expect(avenantPdf.status()).toBe(200);
  await shotPdf(await avenantPdf.body(), "avenant-signe");

  await page.getByRole("link", { name: "Historique" }).click();
  await expect(page.locator("main h1")).toHaveText("Historique de la convention");
  await expect(page.getByRole("rowheader", { name: "Version initiale" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Version après l'avenant n° 1" })).toBeVisible();
  // By default the last two versions are compared.
  await expect(page.getByText("Différences entre la version initiale et la version après l'avenant n° 1")).toBeVisible();
  await expect(page.locator("ins").filter({ hasText: "trimestre" }).first()).toBeVisible();
  await expect(page.locator("del").first()).toBeVisible();
  const rowAdded = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: added }) });
  await expect(rowAdded).toContainText("200 000 €");
  await expect(rowAdded).toContainText("180 000 €");
  await expect(page.getByRole("row").filter({ hasText: "Date de fin" })).toContainText(newEnd);
  await expectAccessible(page);
  await shot(page, "historique-differences");
  // The same comparison asked the other way, through the form.
  await page.getByLabel("De", { exact: true }).selectOption("1");
  await page.getByLabel("À", { exact: true }).selectOption("0");
  await page.getByRole("button", { name: "Comparer" }).click();
  await expect(page).toHaveURL(/de=1&a=0/);
  await expect(page.locator("del").filter({ hasText: "trimestre" }).first()).toBeVisible();

  // « Échéances »: the convention by its new end date, with the last day to notify a termination (3 months' notice).
  await page.getByRole("link", { name: "Échéances" }).first().click();
  await expect(page.locator("main h1")).toHaveText("Échéances");
  const row = page.getByRole("row").filter({ hasText: intitule });
  await expect(row).toContainText(newEnd);
  await expect(row).toContainText(formatDateLongue(lastNoticeDate(dates.nouvelleFin, 3)));
  await expectAccessible(page);
  await shot(page, "echeances-par-fin"); // not "echeances": spending-report.spec.ts's image
  // The other order: by the last date a termination notice can be sent.
  await page.getByRole("link", { name: "Par date limite de résiliation" }).click();
  await expect(page).toHaveURL(/\/echeances\?tri=preavis$/);
  await expect(page.getByRole("link", { name: "Par date limite de résiliation" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("table", { name: "Conventions en vigueur par date limite de résiliation" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: intitule })).toContainText(newEnd);
  await expectAccessible(page);
  await shot(page, "echeances-par-preavis");
});
