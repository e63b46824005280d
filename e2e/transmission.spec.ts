import { expect, test } from "./support/fixtures";
import { SMTP_API, SMTP_PORTAL } from "../playwright.config";
import { launch, openInvitation, signingLink, signWithCode } from "./support/circuit";
import { DEMO_TITLE, expectAccessible, openConvention, signIn, sinkMessages, waitForMail } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";
const CBCM_JUSTICE = "cbcm-justice@cbcm.example";
const CBCM_SPM = "cbcm-spm@cbcm.example";
const TITLE = DEMO_TITLE;

/**
 * The seeded reference convention goes through its circuit; its transmission to both CBCM and to
 * the parties is then followed on its page: one address refuses the message (550), the rédactrice
 * re-sends it, and a CBCM acknowledges receipt through the link of its e-mail, without an account.
 */
test("statuses of every recipient, a failed delivery re-sent, and the CBCM's acknowledgement", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, CAMILLE);
  await openConvention(page, TITLE);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];

  // Before launch, the rédactrice sees who will receive the signed act, and adds a recipient.
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/transmission`);
  await expect(page.getByText(`CBCM du ministère de la Justice — ${CBCM_JUSTICE} (CBCM)`)).toBeVisible();
  await expect(page.getByText(`CBCM des services du Premier ministre — ${CBCM_SPM} (CBCM)`)).toBeVisible();
  await page.getByLabel("Adresse électronique du destinataire").fill("pas-une-adresse");
  await page.getByLabel("Nom ou service").fill("Bureau du budget");
  await page.getByRole("button", { name: "Ajouter ce destinataire" }).click();
  await expect(page.getByText("Adresse électronique invalide.")).toBeVisible();
  await page.getByLabel("Adresse électronique du destinataire").fill("bureau.budget@justice.example");
  await page.getByRole("button", { name: "Ajouter ce destinataire" }).click();
  // Exact: « Aucun destinataire ajouté. » may still show for a moment while the list reloads.
  await expect(page.getByText("Destinataire ajouté.", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Retirer bureau.budget@justice.example" })).toBeVisible();
  await expectAccessible(page);

  await launch(page, id);
  // The CBCM of the Justice ministry refuses the first message for good.
  await fetch(`${SMTP_API}/fail?count=1&code=550&to=${encodeURIComponent(CBCM_JUSTICE)}`, { method: "POST" });

  const invitation = await waitForMail(CANTON, (await sinkMessages(CANTON)).length - 1, new RegExp(`À signer : ${TITLE.slice(0, 30)}`));
  await openInvitation(page, CANTON, signingLink(invitation.text), TITLE);
  await signWithCode(page, CANTON);
  const dinum = await waitForMail(SCHAER, (await sinkMessages(SCHAER)).length - 1, /À signer/);
  await openInvitation(page, SCHAER, signingLink(dinum.text), TITLE);
  await signWithCode(page, SCHAER);

  // Every recipient's true status.
  await page.context().clearCookies();
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/transmission`);
  const row = (email: string) => page.getByRole("row").filter({ hasText: email });
  await expect(async () => {
    await page.reload();
    await expect(row(CBCM_JUSTICE)).toContainText("Échec");
    await expect(row(CBCM_SPM)).toContainText("Envoyé le");
    await expect(row(CANTON)).toContainText("Envoyé le");
    await expect(row("bureau.budget@justice.example")).toContainText("Envoyé le");
  }).toPass({ timeout: 30_000 });
  await expect(row(CBCM_JUSTICE)).toContainText("550");
  await expectAccessible(page);
  // The failure is an alert for the rédactrice.
  await expect(page.getByRole("link", { name: /Alertes \(\d+\)/ })).toBeVisible();

  await row(CBCM_JUSTICE).getByRole("button", { name: "Renvoyer" }).click();
  await expect(page.getByText("Le message est reparti")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(row(CBCM_JUSTICE)).toContainText("Envoyé le");
  }).toPass({ timeout: 30_000 });

  // The CBCM receives the act once, with both PDFs, and acknowledges receipt without an account.
  const received = (await sinkMessages(CBCM_JUSTICE)).filter((m) => m.subject === `Copie signée : ${TITLE}`);
  expect(received).toHaveLength(1);
  expect(received[0].attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/-signee\.pdf$/), expect.stringMatching(/-certificat-de-signature\.pdf$/)]);
  const ack = /(https?:\/\/\S+\/accuse-reception\/[A-Za-z0-9_-]+)/.exec(received[0].text)![1];
  await page.context().clearCookies();
  await page.goto(ack);
  await expect(page.getByText(TITLE)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Accuser réception" }).click();
  await expect(page.getByText("Réception confirmée")).toBeVisible();

  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/transmission`);
  await expect(row(CBCM_JUSTICE)).toContainText("Accusé de réception le");
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await expect(page.getByText(/Accusé de réception/).first()).toBeVisible();
});
