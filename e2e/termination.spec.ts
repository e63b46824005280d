import { expect, test } from "./support/fixtures";
import { SMTP_PORTAL } from "../playwright.config";
import { addMonths, parisDate } from "../app/domain/dates";
import { formatDateLongue } from "../app/domain/convention";
import { actDates, field, idIn, importConvention, shot, shotPdf, signedElsewhere } from "./support/acts";
import { launch, openInvitation, signingLink, signWithCode } from "./support/circuit";
import { expectAccessible, signIn, sinkMessages, waitForMail } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";
const LOUIS = "louis.bernard@dinum.example";

/**
 * The délégant notifies termination: the notice is signed by its signatory alone, the DINUM
 * receives it, the convention shows the date it takes effect (signature date + 3 months, on the
 * calendar), and once the clock has passed that date the convention is « Résiliée ».
 */
test("the délégant notifies termination: signed by its signatory alone, received by the DINUM, effective after the notice period", async ({ page }) => {
  test.setTimeout(300_000);
  const signed = await signedElsewhere();
  await signIn(page, CAMILLE);
  const intitule = `Résiliation e2e ${Date.now().toString(36)}`;
  // Signed a month ago, in force until 13 months from now: the notice (3 months) takes effect before the end.
  const id = await importConvention(page, { intitule, file: signed.file, ...actDates() });

  await page.getByRole("link", { name: "Notifier la résiliation" }).click();
  await expect(page.locator("main h1")).toHaveText("Notifier la résiliation");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Préparer la notification" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const noticeId = idIn(page.url());
  expect(noticeId).not.toBe(id);

  // The earliest legal date is shown; a missing reason is refused beside its field and at the top.
  const today = parisDate(new Date());
  const effective = addMonths(today, 3);
  await expect(page.getByText(`prendrait effet au plus tôt le ${formatDateLongue(effective)}`)).toBeVisible();
  await page.locator("label", { hasText: "Ministère de la Justice — Secrétariat général" }).first().click();
  await field(page, "motif").fill("");
  await field(page, "lieuSignature").fill("Paris");
  await page.getByRole("button", { name: "Enregistrer la notification" }).click();
  await expect(page.locator(".fr-alert--error")).toContainText("Motif : Le motif de la résiliation est obligatoire");
  await expectAccessible(page);
  await field(page, "motif").fill("Le projet est repris en interne par le ministère.");
  await page.getByRole("button", { name: "Enregistrer la notification" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${noticeId}(\\?.*)?$`));
  await expect(page.locator(".fr-alert--error")).toHaveCount(0);
  await expect(page.getByRole("link", { name: intitule }).first()).toHaveAttribute("href", `/conventions/${id}`);
  await expectAccessible(page);
  const title = (await page.locator("main h1").textContent())!.trim();

  // A one-step circuit: the délégant's signatory alone.
  await page.goto(`${SMTP_PORTAL}/conventions/${noticeId}/circuit`);
  await expect(page.getByLabel("Personne 1 de l'étape 1").locator("option:checked")).toContainText("Anne-Florence Canton");
  await expect(page.getByLabel("Personne 1 de l'étape 2")).toHaveCount(0);
  const schaerBefore = (await sinkMessages(SCHAER)).length;
  const louisBefore = (await sinkMessages(LOUIS)).length;
  await launch(page, noticeId);
  const invitation = await waitForMail(CANTON, (await sinkMessages(CANTON)).length - 1, new RegExp(`À signer : ${title.slice(0, 20)}`));
  await openInvitation(page, CANTON, signingLink(invitation.text), title);
  await signWithCode(page, CANTON);

  // The DINUM (its signatory and its rédacteur) receives the signed notice.
  const received = await waitForMail(SCHAER, schaerBefore, /Votre exemplaire signé/);
  expect(received.subject).toBe(`Votre exemplaire signé : ${title}`);
  expect(received.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/-signee\.pdf$/), expect.stringMatching(/-certificat-de-signature\.pdf$/)]);
  await waitForMail(LOUIS, louisBefore, /Votre exemplaire signé/);

  // The convention shows when the termination takes effect.
  await page.context().clearCookies();
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.getByText(`Résiliation notifiée — prend effet le ${formatDateLongue(effective)}.`)).toBeVisible();
  await expect(page.locator("main .fr-badge").first()).toHaveText("Résiliation notifiée");
  await expect(page.getByRole("link", { name: "Notifier la résiliation" })).toHaveCount(0);
  await expectAccessible(page);
  await shot(page, "resiliation-convention");
  // The signed notice itself, as the DINUM received it (page images with PARAPHE_SHOTS).
  const notice = await page.request.get(`${SMTP_PORTAL}/conventions/${noticeId}/signe.pdf`);
  expect(notice.status()).toBe(200);
  await shotPdf(await notice.body(), "resiliation-notification");

  // The clock moved past the effective date: the scheduler terminates the convention.
  const days = Math.round((Date.parse(`${effective}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86_400_000) + 1;
  const moved = await page.request.post(`${SMTP_PORTAL}/dev/horloge`, { form: { jours: String(days) } });
  expect(moved.status()).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(page.locator("main .fr-badge").first()).toHaveText("Résiliée");
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(`Résiliée depuis le ${formatDateLongue(effective)}.`)).toBeVisible();
});
