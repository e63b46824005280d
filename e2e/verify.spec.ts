import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { dataDir, SMTP_PORTAL } from "../playwright.config";
import { expectAccessible } from "./support/helpers";

const work = mkdtempSync(path.join(tmpdir(), "paraphe-verify-"));
const cli = (args: string[]) =>
  execFileSync(process.execPath, ["bin/paraphe.mjs", ...args], { env: { ...process.env, DATA_DIR: dataDir("smtp"), DATABASE_URL: "" }, encoding: "utf8" });

test.beforeAll(() => {
  cli(["render", "templates/examples/convention-justice-dinum-2022.json", "-o", path.join(work, "c.pdf")]);
  cli(["sign", path.join(work, "c.pdf"), "-o", path.join(work, "c1.pdf"), "--name", "Anne-Florence Canton", "--email", "anne-florence.canton@justice.example", "--organisation", "Ministère de la Justice", "--function", "Cheffe de Service Numérique"]);
  const bytes = readFileSync(path.join(work, "c1.pdf"));
  // Flip one byte inside the signed page content: the signature must no longer hold.
  const at = bytes.indexOf(Buffer.from("stream")) + 20;
  bytes[at] ^= 0x01;
  writeFileSync(path.join(work, "tampered.pdf"), bytes);
  // One byte after the last signature's %%EOF: the signature still holds, the file has more.
  writeFileSync(path.join(work, "appended.pdf"), Buffer.concat([readFileSync(path.join(work, "c1.pdf")), Buffer.from("\n")]));
  writeFileSync(path.join(work, "not-a-pdf.pdf"), "<html>bonjour</html>");
});

test("anyone can verify a signed PDF, and a tampered one is NOT VALID", async ({ page }) => {
  await page.goto(`${SMTP_PORTAL}/verifier`);
  await page.getByLabel("Document PDF").setInputFiles(path.join(work, "c1.pdf"));
  await page.getByRole("button", { name: "Vérifier" }).click();
  await expect(page.getByText("Document valide")).toBeVisible();
  await expect(page.getByText(/^Document intact, signé par Anne-Florence Canton le /)).toBeVisible();
  // The checks are under « Détails techniques », closed until asked for.
  await expect(page.getByText("Empreinte des octets signés conforme (messageDigest)")).toBeHidden();
  await page.getByRole("button", { name: "Détails techniques" }).click();
  await expect(page.getByText("Empreinte des octets signés conforme (messageDigest)")).toBeVisible();
  await expect(page.getByRole("heading", { name: /Signature 1 : Anne-Florence Canton — valide/ })).toBeVisible();
  await expect(page.getByText("Niveau : PAdES B-T")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Document PDF").setInputFiles(path.join(work, "tampered.pdf"));
  await page.getByRole("button", { name: "Vérifier" }).click();
  await expect(page.getByText("Document NON VALIDE")).toBeVisible();
  await expect(page.getByText("Document modifié après la signature d'Anne-Florence Canton.")).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: path.join(process.env.E2E_SHOTS ?? work, "verify-modified-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(process.env.E2E_SHOTS ?? work, "verify-modified-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByLabel("Document PDF").setInputFiles(path.join(work, "appended.pdf"));
  await page.getByRole("button", { name: "Vérifier" }).click();
  await expect(page.getByText("Des données ont été ajoutées après la dernière signature.")).toBeVisible();

  // Rendered by the CLI but never signed: not an act of the portal.
  await page.getByLabel("Document PDF").setInputFiles(path.join(work, "c.pdf"));
  await page.getByRole("button", { name: "Vérifier" }).click();
  await expect(page.getByText(/Ce document n'a pas été produit par Paraphe/)).toBeVisible();
  await expect(page.getByText("Ce document ne correspond à aucun acte enregistré dans ce portail Paraphe.")).toBeVisible();

  await page.getByLabel("Document PDF").setInputFiles(path.join(work, "not-a-pdf.pdf"));
  await page.getByRole("button", { name: "Vérifier" }).click();
  await expect(page.getByText("Ce fichier n'est pas un PDF")).toBeVisible();
});

test("the built-in TSA answers RFC 3161 requests over HTTP", async ({ request }) => {
  const query = execFileSync("openssl", ["ts", "-query", "-data", "package.json", "-sha256", "-cert"]);
  const response = await request.post(`${SMTP_PORTAL}/tsa`, { headers: { "Content-Type": "application/timestamp-query" }, data: query });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/timestamp-reply");
  writeFileSync(path.join(work, "reply.tsr"), await response.body());
  writeFileSync(path.join(work, "trust.pem"), "");
  cli(["pki", "export-trust", "-o", path.join(work, "trust.pem")]);
  const out = execFileSync("openssl", ["ts", "-verify", "-data", "package.json", "-in", path.join(work, "reply.tsr"), "-CAfile", path.join(work, "trust.pem")], { encoding: "utf8" });
  expect(out).toContain("Verification: OK");
});
