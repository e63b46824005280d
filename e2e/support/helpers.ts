import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { OIDC_ISSUER, SMTP_API, SMTP_PORTAL } from "../../playwright.config";

export type SinkMessage = { to: string[]; messageId: string; subject: string; text: string; attachments: { filename: string; size: number; base64: string }[] };

export async function sinkMessages(to?: string): Promise<SinkMessage[]> {
  const response = await fetch(`${SMTP_API}/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`);
  return (await response.json()) as SinkMessage[];
}

/** Waits for a new e-mail to `to` (beyond the `already` first ones) at the real SMTP server. */
export async function waitForMail(to: string, already: number, match?: RegExp): Promise<SinkMessage> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const messages = (await sinkMessages(to)).slice(already).filter((m) => !match || match.test(m.subject));
    if (messages.length) return messages[messages.length - 1];
    if (Date.now() > deadline) throw new Error(`aucun e-mail reçu pour ${to}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function linkIn(text: string): string {
  const match = /(https?:\/\/\S+jeton=[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error("aucun lien dans l'e-mail");
  return match[1];
}

/** Signs in on the SMTP portal exactly as a person would: form, e-mail, link, confirmation. */
export async function signIn(page: Page, email: string, portal = SMTP_PORTAL) {
  const already = (await sinkMessages(email)).length;
  await page.goto(`${portal}/connexion`);
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  await expect(page.getByText("Vérifiez votre messagerie")).toBeVisible();
  const mail = await waitForMail(email, already, /connexion/);
  await page.goto(linkIn(mail.text));
  await page.getByRole("button", { name: "Me connecter" }).click();
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
}

/** The demo convention's title (db/seed). */
export const DEMO_TITLE = "Convention de délégation de gestion — Incubateur de la Justice (2022)";

/**
 * Opens a convention of the signed-in rédacteur's organisation by its exact title, through the
 * « Conventions » search: lists are paginated, so a convention is not always on the first page once
 * earlier journeys have created others.
 */
export async function openConvention(page: Page, title = DEMO_TITLE) {
  await page.goto(`${SMTP_PORTAL}/conventions?q=${encodeURIComponent(title)}`);
  await page.getByRole("link", { name: title, exact: true }).first().click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}$/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Se déconnecter" }).first().click();
  await expect(page).toHaveURL(/\/$/);
}

/** Zero WCAG 2.1 A/AA violations on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  expect(summary, `violations d'accessibilité sur ${page.url()}`).toEqual([]);
}

export async function navLinks(page: Page): Promise<string[]> {
  return (await page.locator("#fr-header-main-navigation a.fr-nav__link").allTextContents()).map((t) => t.trim());
}

export const PROCONNECT_BUTTON = "S’identifier avec ProConnect";

/** At the local OpenID provider standing in for ProConnect: types an e-mail address and signs in (or cancels). */
export async function atProvider(page: Page, email: string, action: "Se connecter" | "Annuler" = "Se connecter") {
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));
  if (action === "Se connecter") await page.getByLabel("Adresse électronique professionnelle").fill(email);
  await page.getByRole("button", { name: action }).click();
}
