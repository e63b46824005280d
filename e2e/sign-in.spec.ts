import { expect, test } from "./support/fixtures";
import { MAILBOX_PORTAL, SMTP_PORTAL } from "../playwright.config";
import { expectAccessible, linkIn, navLinks, signIn, signOut, sinkMessages, waitForMail } from "./support/helpers";

test("a rédactrice signs in with the link read from the real SMTP server, then logs out for good", async ({ page, context }) => {
  await signIn(page, "camille.durand@justice.example");
  await expect(page.getByRole("heading", { level: 1, name: "Tableau de bord" })).toBeVisible();
  await expect(page.getByText("Bonjour Camille")).toBeVisible();
  const cookies = await context.cookies();
  await signOut(page);
  // Replaying the old cookie must not bring the session back: it was ended server-side.
  await context.addCookies(cookies);
  await page.goto(`${SMTP_PORTAL}/tableau-de-bord`);
  await expect(page).toHaveURL(/\/connexion\?retour=/);
});

test("a link works once; a reused or unknown link gets a French message", async ({ page }) => {
  const email = "louis.bernard@dinum.example";
  const already = (await sinkMessages(email)).length;
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  const link = linkIn((await waitForMail(email, already)).text);
  await page.goto(link);
  await page.getByRole("button", { name: "Me connecter" }).click();
  await expect(page).toHaveURL(/tableau-de-bord/);
  await signOut(page);
  await page.goto(link);
  await page.getByRole("button", { name: "Me connecter" }).click();
  await expect(page.getByText("Ce lien de connexion n'est plus valable")).toBeVisible();
  await expectAccessible(page);
});

test("unknown and malformed addresses: same answer, or a French field error", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByLabel("Adresse électronique").fill("pas-une-adresse");
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  await expect(page.getByText("Adresse électronique invalide")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Adresse électronique").fill("personne@inconnu.example");
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  await expect(page.getByText("Si un compte Paraphe existe pour personne@inconnu.example")).toBeVisible();
  expect(await sinkMessages("personne@inconnu.example")).toHaveLength(0);
});

test("on the embedded default, a newcomer signs in through the dev mailbox", async ({ page }) => {
  await page.goto(MAILBOX_PORTAL);
  await page.getByRole("main").getByRole("link", { name: "Se connecter" }).click();
  await page.getByLabel("Adresse électronique").fill("camille.durand@justice.example");
  await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
  await page.getByRole("link", { name: "boîte mail de développement" }).click();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Votre lien de connexion à Paraphe" }).first().click();
  await expectAccessible(page);
  await page.getByRole("link", { name: /jeton=/ }).click();
  await page.getByRole("button", { name: "Me connecter" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tableau de bord" })).toBeVisible();
});

test("the SMTP portal has no dev mailbox", async ({ page }) => {
  const response = await page.goto(`${SMTP_PORTAL}/dev/boite-mail`);
  expect(response?.status()).toBe(404);
  expect(await navLinks(page)).not.toContain("Boîte mail (développement)");
});

test("a tampered session cookie is ignored", async ({ page, context }) => {
  await signIn(page, "stephanie.schaer@dinum.example");
  const [cookie] = (await context.cookies()).filter((c) => c.name === "paraphe_session");
  await context.clearCookies();
  await context.addCookies([{ ...cookie, value: cookie.value.slice(0, -4) + "AAAA" }]);
  await page.goto(`${SMTP_PORTAL}/tableau-de-bord`);
  await expect(page).toHaveURL(/\/connexion/);
});

test("a forged cross-site POST is refused and changes nothing", async ({ request }) => {
  const response = await request.post(`${SMTP_PORTAL}/connexion`, {
    headers: { Origin: "https://attaquant.example" },
    form: { email: "camille.durand@justice.example" },
  });
  expect(response.status()).toBe(403);
  expect(await response.text()).toContain("envoyée depuis un autre site");
});

test("unknown routes show the DSFR 404 page", async ({ page }) => {
  const response = await page.goto(`${SMTP_PORTAL}/cette-page-n-existe-pas`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page non trouvée" })).toBeVisible();
  await expectAccessible(page);
});

test("every response carries the security headers", async ({ request }) => {
  const response = await request.get(SMTP_PORTAL);
  const headers = response.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
});
