import { expect, test } from "./support/fixtures";
import { MAILBOX_PORTAL, SMTP_PORTAL } from "../playwright.config";
import { expectAccessible, openConvention, signIn } from "./support/helpers";
import type { Page } from "@playwright/test";

/**
 * Every page of the portal, visited once in each DSFR theme, with zero WCAG 2.1 A/AA violations.
 * The dark theme is the one « Paramètres d'affichage » stores (localStorage « scheme »), set before
 * each page loads; the DSFR script then puts data-fr-theme="dark" on <html>, which is checked first.
 */
for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      // As after a first visit (react-dsfr forgets « scheme » when it has not yet noted the site's default).
      if (theme === "dark")
        await page.addInitScript(() => {
          window.localStorage.setItem("scheme-website-config-default", "light");
          window.localStorage.setItem("scheme", "dark");
        });
    });
    const accessible = async (page: Page) => {
      await expect(page.locator("html")).toHaveAttribute("data-fr-theme", theme);
      await expectAccessible(page);
    };

    test("public pages", async ({ page }) => {
      for (const path of ["/", "/connexion", "/connexion/lien?jeton=abcdefghijklmnopqrstuvwxyz", "/verifier"]) {
        await page.goto(SMTP_PORTAL + path);
        await expect(page.locator("main h1")).toBeVisible();
        await accessible(page);
      }
    });

    test("the dev mailbox pages", async ({ page }) => {
      await page.goto(`${MAILBOX_PORTAL}/connexion`);
      await page.getByLabel("Adresse électronique").fill("louis.bernard@dinum.example");
      await page.getByRole("button", { name: "Recevoir un lien de connexion" }).click();
      await page.goto(`${MAILBOX_PORTAL}/dev/boite-mail`);
      await accessible(page);
      await page.getByRole("link", { name: "Votre lien de connexion à Paraphe" }).first().click();
      await expect(page.locator("main h1")).toHaveText("Votre lien de connexion à Paraphe");
      await accessible(page);
    });

    test("pages of a rédactrice and a signataire", async ({ page }) => {
      await signIn(page, "camille.durand@justice.example");
      await accessible(page);
      await page.goto(`${SMTP_PORTAL}/conventions`);
      await accessible(page);
      await openConvention(page);
      await expect(page.locator("main h1")).toContainText("Incubateur");
      await accessible(page);
      const conventionPath = new URL(page.url()).pathname;
      await page.goto(`${SMTP_PORTAL}${conventionPath}/circuit`);
      await expect(page.locator("main h1")).toHaveText("Circuit de signature");
      await accessible(page);
      await page.goto(`${SMTP_PORTAL}${conventionPath}/transmission`);
      await expect(page.locator("main h1")).toHaveText("Transmission de l'acte signé");
      await accessible(page);
      await page.goto(`${SMTP_PORTAL}/alertes`);
      await expect(page.locator("main h1")).toHaveText("Alertes");
      await accessible(page);
      await page.context().clearCookies();
      await signIn(page, "anne-florence.canton@justice.example");
      await page.goto(`${SMTP_PORTAL}/a-signer`);
      await accessible(page);
      await page.goto(`${SMTP_PORTAL}/delegations`);
      await accessible(page);
      await page.goto(`${SMTP_PORTAL}${conventionPath}/signer`);
      await expect(page.locator("main h1")).toContainText("Incubateur");
      await accessible(page);
    });

    test("administration pages", async ({ page }) => {
      await signIn(page, "sophie.petit@dinum.example");
      for (const path of ["/admin/organisations", "/admin/organisations/nouvelle", "/admin/personnes", "/admin/personnes/nouvelle", "/admin/cbcm", "/admin/cbcm/nouveau"]) {
        await page.goto(SMTP_PORTAL + path);
        await accessible(page);
      }
      await page.goto(`${SMTP_PORTAL}/admin/organisations`);
      await page.getByRole("link", { name: /DINUM/ }).first().click();
      await accessible(page);
      await page.goto(`${SMTP_PORTAL}/admin/personnes`);
      await page.getByRole("link", { name: "Camille Durand" }).click();
      await accessible(page);
      await page.goto(`${SMTP_PORTAL}/admin/cbcm`);
      await page.getByRole("link", { name: "CBCM du ministère de la Justice" }).click();
      await expect(page.locator("main h1")).toHaveText("CBCM du ministère de la Justice");
      await accessible(page);
    });

    test("an expired or unknown download or acknowledgement link gets the DSFR 404 page", async ({ page }) => {
      for (const path of ["/telechargement/abcdefghijklmnopqrstuvwxyz", "/accuse-reception/abcdefghijklmnopqrstuvwxyz"]) {
        const response = await page.goto(SMTP_PORTAL + path);
        expect(response?.status()).toBe(404);
        await expect(page.locator("main h1")).toHaveText("Page non trouvée");
        await accessible(page);
      }
    });
  });
}
