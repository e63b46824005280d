import { expect, test } from "./support/fixtures";
import { createHash } from "node:crypto";
import { SMTP_PORTAL } from "../playwright.config";
import { formatDateLongue } from "../app/domain/convention";
import { actDates, field, importConvention, shot, signedElsewhere } from "./support/acts";
import { expectAccessible, signIn } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";

/**
 * A convention signed in another tool enters the portal: its PDF is refused when it is not one,
 * then kept byte for byte with its SHA-256; its signatures, valid but from an authority the portal
 * does not know, are said to be so; its data goes through the drafting form; registered, it is in
 * force by its dates, and offers what a convention signed in the portal offers.
 */
test("a rédactrice registers a convention signed elsewhere: the file kept as is, its signatures shown as they are, in force by its dates", async ({ page }) => {
  test.setTimeout(240_000);
  const signed = await signedElsewhere();
  await signIn(page, CAMILLE);

  await page.goto(`${SMTP_PORTAL}/conventions`);
  await page.getByRole("link", { name: "Enregistrer une convention signée hors du portail" }).click();
  await expect(page.locator("main h1")).toHaveText("Enregistrer une convention signée hors du portail");
  await expectAccessible(page);

  // Not a PDF: refused beside the field and at the top, nothing created.
  await page.getByLabel("PDF signé de la convention").setInputFiles({ name: "note.pdf", mimeType: "application/pdf", buffer: Buffer.from("Ceci n'est pas un PDF.") });
  await page.getByLabel("Intitulé").fill("Incubateur importé (refusé)");
  await page.getByRole("button", { name: "Déposer le PDF et saisir les données" }).click();
  await expect(page.locator(".fr-upload-group .fr-error-text, .fr-upload-group--error")).toContainText("Ce fichier n'est pas un PDF");
  await expect(page.locator(".fr-alert--error")).toContainText("1 erreur à corriger");
  await expect(page).toHaveURL(/\/conventions\/importer$/);
  await expectAccessible(page);
  // No file at all; then the file without a title: each said by its field.
  await page.getByLabel("PDF signé de la convention").setInputFiles([]);
  await page.getByRole("button", { name: "Déposer le PDF et saisir les données" }).click();
  await expect(page.locator(".fr-alert--error")).toContainText("PDF signé : Choisissez le PDF signé de la convention.");
  await page.getByLabel("PDF signé de la convention").setInputFiles(signed.file);
  await page.getByLabel("Intitulé").fill("");
  await page.getByRole("button", { name: "Déposer le PDF et saisir les données" }).click();
  await expect(page.locator(".fr-alert--error")).toContainText("Intitulé : L'intitulé est obligatoire");
  await expect(page).toHaveURL(/\/conventions\/importer$/);

  const intitule = `Incubateur importé ${Date.now().toString(36)}`;
  // Signed a month ago, in force until 13 months from now: « En vigueur » in any year.
  const dates = actDates();
  const id = await importConvention(page, { intitule, file: signed.file, ...dates }, { accessible: true });

  // In force by its dates; said to be imported; its file is the uploaded one, byte for byte.
  await expect(page.locator("main .fr-badge").first()).toHaveText("En vigueur");
  await expect(page.getByText(`En vigueur jusqu'au ${formatDateLongue(dates.dateFin)}.`)).toBeVisible();
  await expect(page.getByText(/Acte importé : signé hors de Paraphe/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Préparer un avenant" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifier la résiliation" })).toBeVisible();
  await expectAccessible(page);
  await shot(page, "import-01-convention");
  await page.getByRole("link", { name: "PDF importé et vérification de ses signatures" }).click();
  await expect(page.getByText(signed.sha256)).toBeVisible();
  await expect(page.getByText(/proviennent d'une autorité de certification que le portail ne connaît pas/)).toBeVisible();
  await expect(page.getByText(/Anne-Florence Canton.*valide, autorité de certification non reconnue par le portail/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Enregistrer l'acte" })).toHaveCount(0);
  await expectAccessible(page);
  const file = await page.request.get(`${SMTP_PORTAL}/conventions/${id}/signe.pdf`);
  expect(file.status()).toBe(200);
  const body = await file.body();
  expect(createHash("sha256").update(body).digest("hex")).toBe(signed.sha256);
  expect(Buffer.compare(body, signed.bytes)).toBe(0);

  // Registered: no longer editable.
  expect((await page.request.get(`${SMTP_PORTAL}/conventions/${id}/modifier`)).status()).toBe(409);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(field(page, "intitule")).toHaveCount(0);
});
