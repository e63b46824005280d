import { expect, test } from "./support/fixtures";
import { SMTP_PORTAL } from "../playwright.config";
import { expectAccessible, navLinks, openConvention, signIn } from "./support/helpers";

const base = ["Tableau de bord"];
const tail = ["Vérifier un document"];

test("each role sees its own navigation", async ({ page }) => {
  const cases: [string, string[]][] = [
    ["camille.durand@justice.example", [...base, "Conventions", "Échéances", ...tail]],
    ["anne-florence.canton@justice.example", [...base, "À signer", "Délégations", ...tail]],
    ["sophie.petit@dinum.example", [...base, "Organisations", "Personnes", "Annuaire CBCM", "Données ouvertes", ...tail]],
    ["nadia.lefevre@cbcm.example", [...base, "Actes reçus", ...tail]],
  ];
  for (const [email, expected] of cases) {
    await page.context().clearCookies();
    await signIn(page, email);
    expect(await navLinks(page)).toEqual(expected);
  }
});

test("a signataire cannot open the administration", async ({ page }) => {
  await signIn(page, "anne-florence.canton@justice.example");
  const response = await page.goto(`${SMTP_PORTAL}/admin/personnes`);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Accès refusé" })).toBeVisible();
});

test("an agent of another organisation cannot open the Justice–DINUM convention", async ({ page }) => {
  await signIn(page, "camille.durand@justice.example");
  await openConvention(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Incubateur de la Justice");
  const conventionUrl = page.url();
  await page.context().clearCookies();
  await signIn(page, "paul.girard@culture.example");
  await expect(page.getByText("Incubateur de la Justice")).toHaveCount(0);
  const response = await page.goto(conventionUrl);
  expect(response?.status()).toBe(404);
  await expect(page.getByText("ne concerne pas votre organisation")).toBeVisible();
  await expectAccessible(page);
});

test("an administratrice adds an organisation and a person, with French errors first", async ({ page }) => {
  await signIn(page, "sophie.petit@dinum.example");
  await page.goto(`${SMTP_PORTAL}/admin/organisations/nouvelle`);
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByText("Le nom est obligatoire.")).toBeVisible();
  await expectAccessible(page);
  await page.locator("input[name=name]").fill("Ministère des Armées — DGNUM");
  await page.getByLabel("Sigle").fill("DGNUM");
  await page.getByLabel("Ministère de rattachement").fill("Ministère des Armées");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page).toHaveURL(/\/admin\/organisations\?enregistre=[0-9a-f-]+&cree=1$/);
  await expect(page.getByText("Organisation « Ministère des Armées — DGNUM » ajoutée.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Ministère des Armées — DGNUM" })).toBeVisible();

  await page.goto(`${SMTP_PORTAL}/admin/personnes/nouvelle`);
  await page.getByLabel("Prénom").fill("Marc");
  await page.locator("input[name=lastName]").fill("Leroy");
  await page.getByLabel("Adresse électronique").fill("adresse-invalide");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByText("Adresse électronique invalide.")).toBeVisible();
  await expect(page.getByText("Choisissez au moins un rôle.")).toBeVisible();
  await page.getByLabel("Adresse électronique").fill("marc.leroy@armees.example");
  await page.getByLabel("Organisation").selectOption({ label: "Ministère des Armées — DGNUM" });
  await page.getByText("Rédacteur ou juriste").click();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByRole("link", { name: "Marc Leroy" })).toBeVisible();

  await page.context().clearCookies();
  await signIn(page, "marc.leroy@armees.example");
  expect(await navLinks(page)).toEqual(["Tableau de bord", "Conventions", "Échéances", "Vérifier un document"]);
});
