import { expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SMTP_PORTAL } from "../../playwright.config";
import { openPki } from "../../app/pdf/pki/pki";
import { loadReference, signAll } from "../../app/pdf/test-support/attack-fixtures";
import { addMonths, parisDate } from "../../app/domain/dates";
import { expectAccessible } from "./helpers";

export const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

async function shot(page: Page, name: string) {
  if (process.env.PARAPHE_SHOTS) await page.screenshot({ path: `${process.env.PARAPHE_SHOTS}/${name}.png`, fullPage: true });
}
export { shot };

/**
 * The reference convention signed by its two signatories under an authority of its own (a fresh
 * CA, not the portal's): what an act signed in another tool looks like. Written to a file.
 */
export async function signedElsewhere(): Promise<{ file: string; bytes: Buffer; sha256: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "paraphe-ailleurs-"));
  const pki = await openPki({ dataDir: dir, env: {} as NodeJS.ProcessEnv });
  const steps = await signAll(pki, await loadReference());
  const bytes = Buffer.from(steps[steps.length - 1]);
  const file = path.join(dir, "convention-signee-ailleurs.pdf");
  writeFileSync(file, bytes);
  return { file, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

export type ImportOptions = { intitule: string; file: string; dateSignature: string; dateFin: string; annee: number };

/**
 * A rédactrice of the Justice registers a convention signed elsewhere: upload, the drafting form
 * (the financial part, services, dates), « Enregistrer l'acte ». Returns the convention's id.
 */
export async function importConvention(page: Page, o: ImportOptions, checks = { accessible: false }): Promise<string> {
  await page.goto(`${SMTP_PORTAL}/conventions/importer`);
  await expect(page.locator("main h1")).toHaveText("Enregistrer une convention signée hors du portail");
  if (checks.accessible) await expectAccessible(page);
  await page.getByLabel("PDF signé de la convention").setInputFiles(o.file);
  await page.getByLabel("Intitulé").fill(o.intitule);
  await page.getByRole("button", { name: "Déposer le PDF et saisir les données" }).click();
  await expect(page).toHaveURL(/\/conventions\/[0-9a-f-]{36}\/modifier$/);
  const id = /conventions\/([0-9a-f-]{36})/.exec(page.url())![1];
  // An imported act starts with no schedule year and no Chorus activity: add one of each first
  // (each button posts the form and comes back with the new row).
  for (const [name, button] of [
    ["financement.echeancier[0].annee", "Ajouter une année"],
    ["financement.chorus.activites[0].code", "Ajouter une activité"],
  ] as const) {
    if ((await field(page, name).count()) === 0) await page.getByRole("button", { name: button }).click();
    await expect(field(page, name)).toBeVisible();
  }
  await field(page, "dateSignature").fill(o.dateSignature);
  await field(page, "financement.uo").fill("0310-SGAL-SSIC");
  await field(page, "financement.echeancier[0].annee").fill(String(o.annee));
  await field(page, "financement.echeancier[0].ae").fill("150 000");
  await field(page, "financement.echeancier[0].cp").fill("150 000");
  await field(page, "financement.chorus.domaineFonctionnel").fill("0310-09-03");
  await field(page, "financement.chorus.centreFinancier").fill("0310-SGAL-SSIC");
  await field(page, "financement.chorus.centreDeCout").fill("SEGSSMM075");
  await field(page, "financement.chorus.activites[0].code").fill("0310ACAE0701");
  await field(page, "financement.chorus.activites[0].libelle").fill("Gouvernance DSI");
  await field(page, "services").fill("Info Parquet");
  await field(page, "dateFin").fill(o.dateFin);
  // The signatories as the signed act names them (the template leaves the names to fill).
  await field(page, "signatures[0].nom").fill("Anne-Florence Canton");
  await field(page, "signatures[1].nom").fill("Stéphanie Schaer");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).first().click();
  await expect(page.getByText("Ce brouillon est complet")).toBeVisible();
  await page.goto(`${SMTP_PORTAL}/conventions/${id}/importe`);
  await expect(page.locator("main h1")).toHaveText("Acte importé");
  if (checks.accessible) await expectAccessible(page);
  await page.getByRole("button", { name: "Enregistrer l'acte" }).click();
  await expect(page).toHaveURL(new RegExp(`/conventions/${id}\\?importe=1$`));
  await expect(page.getByText("Acte importé enregistré.")).toBeVisible();
  return id;
}

/** The act's id from a page URL /conventions/:id/… */
export const idIn = (url: string) => /conventions\/([0-9a-f-]{36})/.exec(url)![1];

/**
 * Dates for an act registered today, so that a journey means the same in any year: signed a month
 * ago, in force until 13 months from now (Europe/Paris calendar dates, ISO). `annee` is the
 * schedule's year (the end date's year); `nouvelleFin` is the end date a year later (an avenant's
 * extension). Pages show them with formatDateLongue, as the tests must.
 */
export function actDates(instant = new Date()) {
  const today = parisDate(instant);
  const dateFin = addMonths(today, 13);
  return {
    today,
    dateSignature: addMonths(today, -1),
    dateFin,
    annee: Number(dateFin.slice(0, 4)),
    nouvelleFin: addMonths(dateFin, 12),
  };
}

/**
 * Page images of a PDF (one PNG a page, `<name>-<page>.png`, by pdftoppm), only when PARAPHE_SHOTS
 * is set, as `shot` does for pages.
 */
export async function shotPdf(pdf: Buffer, name: string) {
  const dir = process.env.PARAPHE_SHOTS;
  if (!dir) return;
  const tmp = mkdtempSync(path.join(tmpdir(), "paraphe-shot-"));
  const file = path.join(tmp, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync("pdftoppm", ["-png", "-r", "70", file, path.join(dir, name)]);
}
