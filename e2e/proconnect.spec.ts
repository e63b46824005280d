import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { MAILBOX_PORTAL, OIDC_ISSUER, SMTP_PORTAL } from "../playwright.config";
import { atProvider, expectAccessible, PROCONNECT_BUTTON } from "./support/helpers";

/**
 * ProConnect sign-in, end to end: the "smtp" portal is a client of a real OpenID provider
 * (oidc-provider, e2e/support/oidc-provider-server.ts) standing in for ProConnect.
 */

async function expectSignedOut(page: Page) {
  await page.goto(`${SMTP_PORTAL}/tableau-de-bord`);
  await expect(page).toHaveURL(/\/connexion\?retour=/);
}

test("a signatory signs in with ProConnect and lands on her dashboard, then on the page she asked for", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/connexion`);
  const button = page.getByRole("link", { name: PROCONNECT_BUTTON });
  await expect(button).toBeVisible();
  await expect(page.getByRole("link", { name: /Qu’est-ce que ProConnect/ })).toHaveAttribute("href", "https://www.proconnect.gouv.fr/");
  await expectAccessible(page);
  await button.click();
  await atProvider(page, "stephanie.schaer@dinum.example");
  await expect(page).toHaveURL(`${SMTP_PORTAL}/tableau-de-bord`);
  await expect(page.getByText("Bonjour Stéphanie")).toBeVisible();

  const cookies = await page.context().cookies(SMTP_PORTAL);
  expect(cookies.find((c) => c.name === "paraphe_session")?.httpOnly).toBe(true);
  expect(cookies.find((c) => c.name === "paraphe_proconnect")).toBeUndefined();

  // Asked for a page while signed out here but still signed in at the provider: ProConnect
  // brings her back to it without asking again.
  await page.context().clearCookies({ domain: "localhost" });
  await page.goto(`${SMTP_PORTAL}/a-signer`);
  await expect(page).toHaveURL(/\/connexion\?retour=%2Fa-signer/);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  await expect(page).toHaveURL(`${SMTP_PORTAL}/a-signer`);
});

test("logging out of Paraphe also ends the ProConnect session", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  await atProvider(page, "anne-florence.canton@justice.example");
  await expect(page).toHaveURL(`${SMTP_PORTAL}/tableau-de-bord`);

  const logoutRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(`${OIDC_ISSUER}/session/end`)) logoutRequests.push(r.url());
  });
  await page.getByRole("button", { name: "Se déconnecter" }).first().click();
  // At the provider: its logout, asked with the ID token the session was opened with.
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/session/end`));
  const request = new URL(logoutRequests[0]);
  expect(request.searchParams.get("id_token_hint")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(request.searchParams.get("post_logout_redirect_uri")).toBe(`${SMTP_PORTAL}/`);
  await page.getByRole("button", { name: "Me déconnecter du fournisseur" }).click();
  // Back home (ProConnect echoes the logout request's state, which it requires).
  await expect(page).toHaveURL(new RegExp(`^${SMTP_PORTAL}/\\?state=[\\w-]+$`));
  await expectSignedOut(page);

  // The provider's session is over too: ProConnect asks who she is again.
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  await atProvider(page, "anne-florence.canton@justice.example");
  await expect(page).toHaveURL(`${SMTP_PORTAL}/tableau-de-bord`);
});

test("the provider's request carries PKCE S256, state and nonce, never the verifier", async ({ page }) => {
  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(`${OIDC_ISSUER}/auth`)) requests.push(r.url());
  });
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));
  const auth = new URL(requests[0]);
  expect(auth.searchParams.get("response_type")).toBe("code");
  expect(auth.searchParams.get("code_challenge_method")).toBe("S256");
  expect(auth.searchParams.get("redirect_uri")).toBe(`${SMTP_PORTAL}/connexion/proconnect/retour`);
  expect(auth.searchParams.get("state")).toBeTruthy();
  expect(auth.searchParams.get("nonce")).toBeTruthy();
  expect(auth.searchParams.has("code_verifier")).toBe(false);
  const flow = (await page.context().cookies()).find((c) => c.name === "paraphe_proconnect");
  expect(flow).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/connexion/proconnect" });
});

test("an e-mail unknown to Paraphe gets a French message and no session", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  await atProvider(page, "agent.inconnu@dinum.example");
  await expect(page).toHaveURL(`${SMTP_PORTAL}/connexion`);
  await expect(
    page.getByText("Aucun compte Paraphe actif ne correspond à l'adresse agent.inconnu@dinum.example : demandez à un administrateur de vous inscrire."),
  ).toBeVisible();
  await expectAccessible(page);
  // The message is shown once.
  await page.reload();
  await expect(page.getByText("Aucun compte Paraphe actif")).toHaveCount(0);
  await expectSignedOut(page);
});

/**
 * Signs in at the provider like the form does, but stops before the browser is sent back to the
 * portal (Playwright cannot intercept a redirect's target): returns that return URL, code and all.
 * `page.request` shares the page's cookies, so the provider sees the same browser.
 */
async function returnUrlFromProvider(page: Page, email: string): Promise<string> {
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));
  const action = await page.locator('form[action$="/login"]').getAttribute("action");
  let response = await page.request.post(new URL(action!, OIDC_ISSUER).href, { form: { email }, maxRedirects: 0 });
  for (let hops = 0; hops < 5; hops++) {
    const location = new URL(response.headers()["location"] ?? "", OIDC_ISSUER).href;
    if (location.startsWith(SMTP_PORTAL)) return location;
    response = await page.request.get(location, { maxRedirects: 0 });
  }
  throw new Error("le fournisseur n'a pas renvoyé vers le portail");
}

test("a tampered state on the return is refused, and so is the genuine return replayed afterwards", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  const genuine = await returnUrlFromProvider(page, "stephanie.schaer@dinum.example");
  const tampered = new URL(genuine);
  expect(tampered.pathname).toBe("/connexion/proconnect/retour");
  expect(tampered.searchParams.get("code")).toBeTruthy();
  tampered.searchParams.set("state", "etat-falsifie-par-un-tiers");

  await page.goto(tampered.href);
  await expect(page).toHaveURL(`${SMTP_PORTAL}/connexion`);
  await expect(page.getByText("La réponse de ProConnect n'a pas pu être vérifiée : vous n'êtes pas connecté.")).toBeVisible();
  await expectAccessible(page);
  await expectSignedOut(page);

  // The refused return ended the flow: the genuine one is no longer accepted either.
  await page.goto(genuine);
  await expect(page.getByText(/Votre demande de connexion avec ProConnect a expiré, a déjà servi/)).toBeVisible();
  await expectSignedOut(page);
});

test("a genuine return is accepted once: replaying it opens nothing", async ({ page, browser }) => {
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  const flowCookie = (await page.context().cookies()).filter((c) => c.name === "paraphe_proconnect");
  const genuine = await returnUrlFromProvider(page, "stephanie.schaer@dinum.example");
  await page.goto(genuine);
  await expect(page).toHaveURL(`${SMTP_PORTAL}/tableau-de-bord`);
  // An attacker who copied both the return URL and the flow cookie gets nothing from them.
  const other = await browser.newContext();
  await other.addCookies(flowCookie);
  const attacker = await other.newPage();
  await attacker.goto(genuine);
  await expect(attacker).toHaveURL(`${SMTP_PORTAL}/connexion`);
  await expect(attacker.getByText(/Votre demande de connexion avec ProConnect a expiré, a déjà servi/)).toBeVisible();
  await expectSignedOut(attacker);
  await other.close();
});

test("a return without any pending request (another browser, or forged) is refused", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/connexion/proconnect/retour?code=abc&state=xyz&iss=${encodeURIComponent(OIDC_ISSUER)}`);
  await expect(page).toHaveURL(`${SMTP_PORTAL}/connexion`);
  await expect(page.getByText(/Votre demande de connexion avec ProConnect a expiré/)).toBeVisible();
  await expectSignedOut(page);
});

test("cancelling at the provider (error=access_denied) gets a French message and no session", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/connexion`);
  await page.getByRole("link", { name: PROCONNECT_BUTTON }).click();
  await atProvider(page, "", "Annuler");
  await expect(page).toHaveURL(`${SMTP_PORTAL}/connexion`);
  await expect(page.getByText("La connexion avec ProConnect a été annulée ou refusée")).toBeVisible();
  await expectSignedOut(page);
});

test("a portal without ProConnect configured shows no button and no route", async ({ page }) => {
  await page.goto(`${MAILBOX_PORTAL}/connexion`);
  await expect(page.getByRole("button", { name: "Recevoir un lien de connexion" })).toBeVisible();
  await expect(page.getByRole("link", { name: PROCONNECT_BUTTON })).toHaveCount(0);
  const response = await page.goto(`${MAILBOX_PORTAL}/connexion/proconnect`);
  expect(response?.status()).toBe(404);
});
