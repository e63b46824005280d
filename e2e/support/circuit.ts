import { expect, type Page } from "@playwright/test";
import { SMTP_PORTAL } from "../../playwright.config";
import { readSigningCode } from "../../app/email/messages";
import { expectAccessible, sinkMessages, waitForMail } from "./helpers";

/** The signing link an invitation e-mail carries. */
export function signingLink(text: string): string {
  const match = /(https?:\/\/\S+\/conventions\/[0-9a-f-]{36}\/signer)/.exec(text);
  if (!match) throw new Error("aucun lien de signature dans l'e-mail");
  return match[1];
}

/**
 * A person arrives from the invitation e-mail: the link asks to sign in first, and the sign-in
 * link then received by e-mail brings them straight back to the signing page.
 */
export async function openInvitation(page: Page, email: string, link: string, title: string) {
  await page.context().clearCookies();
  await page.goto(link);
  await expect(page).toHaveURL(/\/connexion\?retour=%2Fconventions%2F[0-9a-f-]{36}%2Fsigner/);
  const already = (await sinkMessages(email)).length;
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  const mail = await waitForMail(email, already, /connexion/);
  const signInLink = /(https?:\/\/\S+jeton=\S+)/.exec(mail.text)![1];
  expect(signInLink).toContain("retour=%2Fconventions%2F");
  await page.goto(signInLink);
  await page.getByRole("button", { name: "Me connecter" }).click();
  await expect(page).toHaveURL(link);
  await expect(page.locator("main h1")).toHaveText(title);
}

/** « Recevoir mon code », the code read from the real SMTP sink, « Signer ». */
export async function signWithCode(page: Page, email: string) {
  const already = (await sinkMessages(email)).length;
  await page.getByRole("button", { name: "Recevoir mon code" }).click();
  await expect(page.getByText("Code envoyé : consultez votre messagerie.")).toBeVisible();
  const mail = await waitForMail(email, already, /code de signature/);
  const code = readSigningCode(mail.text);
  if (!code) throw new Error("aucun code de signature dans l'e-mail");
  await page.getByLabel(/Code de signature/).fill(code);
  await page.getByRole("button", { name: "Signer", exact: true }).click();
  await expect(page.getByText("Votre signature a été apposée")).toBeVisible({ timeout: 20_000 });
  return code;
}

/** From the convention page: the circuit, « Lancer le circuit… », the confirmation. */
export async function launch(page: Page, id: string) {
  await page.goto(`${SMTP_PORTAL}/conventions/${id}`);
  await page.getByRole("link", { name: "Circuit de signature", exact: true }).click();
  await expect(page.locator("main h1")).toHaveText("Circuit de signature");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Lancer le circuit…" }).click();
  await expect(page.getByText("Lancer le circuit de signature ?")).toBeVisible();
  await expect(page.getByText(/Le document sera figé/)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Confirmer : figer le document et lancer" }).click();
  await expect(page.getByText("Circuit lancé")).toBeVisible();
  await expectAccessible(page);
}
