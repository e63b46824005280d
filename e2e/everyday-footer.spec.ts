import { expect, test } from "./support/fixtures";
import { SMTP_PORTAL } from "../playwright.config";
import { expectAccessible } from "./support/helpers";

/** The DSFR footer's mandatory links lead to real pages, and the display settings switch to the dark theme (axe in both). */
test("footer pages and the dark theme", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${SMTP_PORTAL}/`);
  const footer = page.locator("#pied-de-page");
  const pages: [RegExp, string][] = [
    [/Accessibilité : partiellement conforme/, "Déclaration d'accessibilité"],
    [/Mentions légales/, "Mentions légales"],
    [/Données personnelles/, "Données personnelles"],
    [/Gestion des cookies/, "Gestion des cookies"],
  ];
  for (const [link, title] of pages) {
    await page.goto(`${SMTP_PORTAL}/`);
    await footer.getByRole("link", { name: link }).click();
    await expect(page.locator("main h1")).toHaveText(title);
    await expectAccessible(page);
  }
  await expect(page.getByText("le cookie de session")).toBeVisible();

  await footer.getByRole("button", { name: "Paramètres d'affichage" }).click();
  await page.getByText("Thème sombre").click();
  await expect(page.locator("html")).toHaveAttribute("data-fr-theme", "dark");
  await page.keyboard.press("Escape");
  await expectAccessible(page);
  await page.goto(`${SMTP_PORTAL}/verifier`);
  await expect(page.locator("html")).toHaveAttribute("data-fr-theme", "dark");
  await expectAccessible(page);
});
