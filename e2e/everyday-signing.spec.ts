import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SMTP_PORTAL } from "../playwright.config";
import { launch, openInvitation, signingLink, signWithCode } from "./support/circuit";
import { expectAccessible, signIn, waitForMail } from "./support/helpers";

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SCHAER = "stephanie.schaer@dinum.example";
const NADIA = "nadia.lefevre@cbcm.example";
const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const RUN = Date.now().toString(36).toUpperCase();
const INTITULE = `Convention de délégation de gestion — Appui au quotidien ${RUN}`;
/** Page images for the closing note (issue 13), when the folder is given: PARAPHE_OUT_F=docs/captures retakes them under their names there. */
const OUT = process.env.PARAPHE_OUT_F;

async function shot(page: Page, name: string) {
  if (!OUT) return;
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, name), fullPage: true });
}

/** A complete draft from the template, launched; returns its id. */
async function launchedConvention(page: Page): Promise<string> {
  await signIn(page, CAMILLE);
  await page.goto(`${SMTP_PORTAL}/conventions/nouvelle`);
  await page.getByLabel("Intitulé").fill(INTITULE);
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  const year = new Date().getFullYear() + 1;
  await field(page, "reference").fill(`DG-QUOT-${RUN}`);
  await field(page, "financement.uo").fill("0310-SGAL-SSIC");
  await field(page, "financement.echeancier[0].annee").fill(String(year));
  await field(page, "financement.echeancier[0].ae").fill("150 000");
  await field(page, "financement.echeancier[0].cp").fill("120 000");
  await field(page, "financement.chorus.domaineFonctionnel").fill("0310-09-03");
  await field(page, "financement.chorus.centreFinancier").fill("0310-SGAL-SSIC");
  await field(page, "financement.chorus.centreDeCout").fill("SEGSSMM075");
  await field(page, "financement.chorus.activites[0].code").fill("0310ACAE0701");
  await field(page, "financement.chorus.activites[0].libelle").fill("Gouvernance DSI");
  await field(page, "services").fill("Info Parquet");
  await field(page, "dateFin").fill(`${year}-12-31`);
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page.getByText("Ce brouillon est complet")).toBeVisible();
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/circuit`);
  await page.getByRole("button", { name: "Enregistrer le circuit" }).click();
  await expect(page.getByText("Circuit enregistré.", { exact: true })).toBeVisible();
  await launch(page, id);
  return id;
}

/**
 * Where each element stands once React has taken over the page: a single evaluation in the page,
 * retried until it holds. (A locator's boundingBox() between resolving an element and measuring it
 * returns null when hydration replaces that node meanwhile — what made this journey fail inside the
 * loaded full suite: « Cannot read properties of null (reading 'y') ».)
 */
async function layoutAt390(page: Page) {
  return page.evaluate(() => {
    const heading = (text: string) => [...document.querySelectorAll("main h2")].find((h) => h.textContent?.trim() === text);
    const top = (el: Element | undefined) => (el ? el.getBoundingClientRect().top + window.scrollY : null);
    // Any part of the circuit wider than its box (a table that scrolls, a cell that overflows), named for the failure message.
    const sideways = [...document.querySelectorAll(".paraphe-circuit, .paraphe-circuit *")]
      .filter((el) => {
        const style = getComputedStyle(el);
        // Clipped parts (the visually hidden caption and header row) do not scroll.
        if (style.display === "inline" || style.overflowX === "hidden" || style.overflowX === "clip" || el.closest("thead, caption, .fr-sr-only")) return false;
        return el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ${el.scrollWidth}>${el.clientWidth}`);
    const rows = [...document.querySelectorAll(".paraphe-circuit tbody tr")];
    // Stacked: each row's cells are laid out one under the other, none beside another.
    const stacked = rows.length > 0 && rows.every((tr) => {
      const cells = [...tr.querySelectorAll("th, td")].map((c) => c.getBoundingClientRect());
      return cells.every((c, i) => i === 0 || c.top >= cells[i - 1].bottom - 1);
    });
    // The header row is visually hidden once the rows are stacked (each cell says its label), also
    // once the DSFR script has marked the table (its « [data-fr-js-table=true] > table thead » rule).
    const head = document.querySelector(".paraphe-circuit thead")?.getBoundingClientRect();
    return {
      headerHidden: Boolean(head && head.width <= 1 && head.height <= 1),
      action: top(heading("Votre signature")),
      document: top(heading("Le document")),
      pageWidth: document.documentElement.scrollWidth,
      sideways,
      stacked,
    };
  });
}

/**
 * The signing page shows where one signs (page number, a picture of that page with one's box
 * highlighted), puts « Votre signature » first on a phone and stacks the circuit table; once both
 * parties have signed, the CBCM sees the act in « Actes reçus » and acknowledges it there.
 */
test("where I sign, the phone layout, and the CBCM's « Actes reçus »", async ({ page }) => {
  test.setTimeout(420_000);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  const id = await launchedConvention(page);
  // Only this run's invitation: earlier journeys sent Anne-Florence Canton others with the same start of title.
  const thisAct = new RegExp(`À signer : .*${RUN}`);

  const invitation = await waitForMail(CANTON, 0, thisAct);
  await openInvitation(page, CANTON, signingLink(invitation.text), INTITULE);
  const where = page.locator("figure.paraphe-place");
  await expect(where.getByText(/^Vous signez en page \d+ sur \d+\.$/)).toBeVisible();
  await expect(where.locator(".paraphe-place__box--mine")).toHaveCount(1);
  await expect(where.locator(".paraphe-place__box")).toHaveCount(2);
  await expect(where).toContainText("Stéphanie Schaer (pas encore signé)");
  await expect.poll(() => where.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(900);
  // Where I sign comes before the code form.
  const placeBeforeCode = await page.evaluate(() => {
    const place = document.querySelector("figure.paraphe-place");
    const button = [...document.querySelectorAll("button")].find((b) => b.textContent?.includes("Recevoir mon code"));
    return Boolean(place && button && place.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  expect(placeBeforeCode).toBe(true);
  await expectAccessible(page);
  await shot(page, "page-signature-bureau.png");

  // A 390 px phone: « Votre signature » before the document, the circuit table stacked, no sideways scroll.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect
    .poll(() => layoutAt390(page))
    .toEqual({ headerHidden: true, action: expect.any(Number), document: expect.any(Number), pageWidth: expect.any(Number), sideways: [], stacked: true });
  const layout = await layoutAt390(page);
  expect(layout.action!).toBeLessThan(layout.document!);
  expect(layout.pageWidth).toBeLessThanOrEqual(390);
  if (pageErrors.length) console.log(`[everyday-signing] erreurs dans la page : ${pageErrors.join(" | ")}`);
  await expectAccessible(page);
  await shot(page, "page-signature-390.png");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  await signWithCode(page, CANTON);
  await expect(where.locator(".paraphe-place__box--mine.paraphe-place__box--signed")).toHaveCount(1);

  const dinum = await waitForMail(SCHAER, 0, thisAct);
  await openInvitation(page, SCHAER, signingLink(dinum.text), INTITULE);
  await expect(where).toContainText("Anne-Florence Canton (signé)");
  await signWithCode(page, SCHAER);

  // The signature page with both stamps, as a page image.
  const pdf = await page.request.get(`${SMTP_PORTAL}/conventions/${id}/signe.pdf`);
  expect(pdf.status()).toBe(200);
  const work = mkdtempSync(path.join(tmpdir(), "paraphe-f-"));
  writeFileSync(path.join(work, "signe.pdf"), await pdf.body());
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [path.join(work, "signe.pdf")], { encoding: "utf8" }))![1]);
  if (OUT) execFileSync("pdftoppm", ["-png", "-r", "70", "-f", String(pages), "-l", String(pages), "-singlefile", path.join(work, "signe.pdf"), path.join(OUT, "page-de-signature-deux-cachets")]);

  // The CBCM of the services du Premier ministre signs in: « Actes reçus ».
  await page.context().clearCookies();
  await signIn(page, NADIA);
  await page.getByRole("link", { name: "Actes reçus" }).first().click();
  await expect(page.locator("main h1")).toHaveText("Actes reçus");
  const card = page.locator("li.fr-card").filter({ hasText: INTITULE });
  // The act's title as its heading, its kind not said twice (not « Convention — Convention de délégation de gestion — … »).
  await expect(card.locator("h2")).toHaveText(INTITULE);
  await expect(card).toContainText("Réception à accuser");
  await expect(card).toContainText("150\u00a0000\u00a0€");
  await expect(card).toContainText("Ministère de la Justice");
  await expectAccessible(page);
  await shot(page, "actes-recus-cbcm.png");
  const download = page.waitForEvent("download");
  await card.getByRole("link", { name: /Acte signé/ }).click();
  expect((await download).suggestedFilename()).toMatch(/-signee\.pdf$/);
  await card.getByRole("button", { name: /Accuser réception/ }).click();
  await expect(page.getByText("Réception accusée : les rédacteurs voient la date dans Paraphe.")).toBeVisible();
  await expect(card).toContainText("Réception accusée le");
  // No draft, and the acts she received stay out of reach through the convention pages.
  await expect(page.locator("main")).not.toContainText("Brouillon");
});
