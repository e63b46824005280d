/**
 * Rendering benchmark: `npx tsx bench/render.bench.ts`
 * Our PDF render of the reference convention (warm median, p95) vs Chromium printing the same
 * content as HTML (page.pdf(), warm median), a 100-page document, and memory. Our renders and
 * Chromium's prints alternate (10 rounds of 5 prints and 25 renders, a 50 ms pause before each
 * side's turn) so both see the same machine load and neither is timed against the other's leftover work.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { conventionSchema } from "../app/domain/convention";
import { buildConventionDocument } from "../app/templates/convention";
import type { DocumentTree } from "../app/templates/document";
import { renderDocument } from "../app/pdf/rendering/render";
import { renderHtml } from "../app/pdf/rendering/render-html";
import { warmFonts } from "../app/pdf/rendering/pdf-fonts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const template = fs.readFileSync(path.join(root, "templates/convention.tpl"), "utf8");
const data = conventionSchema.parse(JSON.parse(fs.readFileSync(path.join(root, "templates/examples/convention-justice-dinum-2022.json"), "utf8")));

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), min: s[0] };
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

function hundredPages(): DocumentTree {
  const blocks: DocumentTree["blocks"] = [];
  for (let i = 1; i <= 150; i++) {
    blocks.push({ type: "heading", level: 2, runs: [{ kind: "text", text: `Article ${i} : Titre de l'article ${i}` }] });
    blocks.push({ type: "paragraph", runs: [{ kind: "text", text: "Le délégataire s'engage à rendre compte au délégant au terme de la convention des dépenses réalisées ; ".repeat(28) }, { kind: "footnote", runs: [{ kind: "text", text: `Note ${i}` }] }] });
    if (i % 10 === 0) blocks.push({ type: "table", header: [[[{ kind: "text", text: "Année" }], [{ kind: "text", text: "AE" }], [{ kind: "text", text: "CP" }]]], rows: Array.from({ length: 50 }, (_, k) => [[{ kind: "text" as const, text: String(2000 + k) }], [{ kind: "text" as const, text: "150 000" }], [{ kind: "text" as const, text: "75 000" }]]) });
  }
  return { meta: { title: "Document de cent pages" }, blocks };
}

async function main() {
  const rssStart = process.memoryUsage().rss;
  // Cold: first render in the process parses fonts (and converts them if the cache is empty).
  const t0 = performance.now();
  warmFonts();
  const doc = buildConventionDocument(template, data);
  const first = await renderDocument(doc);
  const cold = performance.now() - t0;

  // Chromium printing the same content as HTML (Marianne from react-dsfr).
  const fontsDir = path.join(root, "node_modules/@codegouvfr/react-dsfr/dsfr/fonts");
  const html = renderHtml(doc, { fontBaseUrl: `file://${fontsDir}` });
  const htmlFile = path.join(root, ".cache", "bench-reference.html");
  fs.mkdirSync(path.dirname(htmlFile), { recursive: true });
  fs.writeFileSync(htmlFile, html);
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  let page: Awaited<ReturnType<NonNullable<typeof browser>["newPage"]>> | undefined;
  let chromePages = 0;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage();
    await page.goto(`file://${htmlFile}`);
    await page.evaluate(() => document.fonts.ready);
    for (let i = 0; i < 3; i++) await page.pdf({ format: "A4", printBackground: true });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    chromePages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  } catch (e) {
    console.error(`Chromium indisponible : ${(e as Error).message.split("\n")[0]}`);
  }

  // Warm-up of our renderer (JIT), then interleaved rounds: five Chromium prints, then 25 of our
  // renders (template evaluation included), so both sides see the same machine load.
  for (let i = 0; i < 20; i++) await renderDocument(buildConventionDocument(template, data));
  const heapBefore = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const ours: number[] = [];
  const templateOnly: number[] = [];
  const renderOnly: number[] = [];
  const chrome: number[] = [];
  const ROUNDS = 10;
  // A short pause before each side's turn lets the other side's leftover work (Chromium's
  // processes after a print, our garbage collection) settle, so neither is timed against it.
  const settle = () => new Promise((r) => setTimeout(r, 50));
  for (let r = 0; r < ROUNDS; r++) {
    if (page) {
      await settle();
      chrome.push(...(await time(5, () => page!.pdf({ format: "A4", printBackground: true }))));
    }
    await settle();
    ours.push(
      ...(await time(25, async () => {
        const t0 = performance.now();
        const built = buildConventionDocument(template, data);
        const t1 = performance.now();
        await renderDocument(built);
        templateOnly.push(t1 - t0);
        renderOnly.push(performance.now() - t1);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      })),
    );
  }
  const heapAfter = process.memoryUsage().heapUsed;
  await browser?.close();

  const big = hundredPages();
  const bigRuns = await time(5, async () => {
    const r = await renderDocument(big);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return r;
  });
  const bigPages = (await renderDocument(big)).pageCount;

  const o = stats(ours);
  const c = chrome.length ? stats(chrome) : undefined;
  const b = stats(bigRuns);
  const rows: [string, string][] = [
    ["référence : pages / taille", `${first.pageCount} p. / ${(first.pdf.length / 1024).toFixed(0)} Kio`],
    ["référence : premier rendu (froid, polices comprises)", ms(cold)],
    [`référence, données → PDF (modèle compris) : médiane à chaud (${ours.length} rendus)`, ms(o.median)],
    ["référence : p95 à chaud", ms(o.p95)],
    [`Chromium page.pdf() : médiane à chaud (${chrome.length}, alternés avec les nôtres)`, c ? `${ms(c.median)} (${chromePages} p.)` : "n/a"],
    ["Chromium page.pdf() : p95", c ? ms(c.p95) : "n/a"],
    ["rapport Chromium / Paraphe (médianes)", c ? `${(c.median / o.median).toFixed(1)} ×` : "n/a"],
    ["  dont évaluation du modèle (données → arbre) : médiane", ms(stats(templateOnly).median)],
    ["  dont mise en page et écriture (arbre → PDF) : médiane", ms(stats(renderOnly).median)],
    ["  rapport Chromium / arbre → PDF seul (comme page.pdf(), sans le HTML)", c ? `${(c.median / stats(renderOnly).median).toFixed(1)} ×` : "n/a"],
    [`document de ${bigPages} pages : médiane (5)`, ms(b.median)],
    ["mémoire : RSS de pointe du processus", `${(peakRss / 2 ** 20).toFixed(0)} Mio`],
    ["mémoire : RSS ajouté depuis le démarrage", `${((peakRss - rssStart) / 2 ** 20).toFixed(0)} Mio`],
    [`mémoire : tas JS après ${ours.length} rendus (delta)`, `${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} Mio`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n| ${"mesure".padEnd(w)} | valeur |\n|${"-".repeat(w + 2)}|--------|`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);
  const ok = o.median <= 50 && (!c || c.median / o.median >= 20) && b.median <= 1000;
  console.log(`\nObjectifs (médiane ≤ 50 ms, ≥ 20× Chromium, 100 pages ≤ 1 s) : ${ok ? "atteints" : "NON atteints"}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
