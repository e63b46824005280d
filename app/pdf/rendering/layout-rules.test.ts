// Documents that look finished (issue 13): amounts in tables with « € » and a total row, table
// headers never cut inside a word, « Fait à … » never alone on the signature page, a table never
// separated from the sentence that introduces it. Checked on the text poppler extracts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { conventionSchema } from "../../domain/convention";
import type { Block, DocumentTree, TableBlock } from "../../templates/document";
import { renderCertificate } from "./certificate";
import { renderConventionPdf } from "./convention";
import { renderDocument } from "./render";
import { renderHtml } from "./render-html";
import { parseEuros, withTotalRow } from "./table-totals";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-layout-"));
function pages(pdf: Uint8Array, ...args: string[]): string[] {
  const f = path.join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(f, pdf);
  const r = spawnSync("pdftotext", [...args, f, "-"], { encoding: "utf8" });
  expect(r.status).toBe(0);
  return r.stdout.split("\f").slice(0, -1);
}
const flat = (s: string) => s.replace(/\s+/g, " ");
const t = (text: string, bold = false) => [{ kind: "text" as const, text, ...(bold ? { bold } : {}) }];
const para = (text: string): Block => ({ type: "paragraph", runs: t(text) });

describe("montants des tableaux", () => {
  it("lit les montants, « € » ou non, espaces insécables compris", () => {
    expect(parseEuros("150\u00a0000\u00a0€")).toBe(15_000_000);
    expect(parseEuros("1 234,5")).toBe(123_450);
    expect(parseEuros("2023 ")).toBe(202_300);
    expect(parseEuros("0310-09-03")).toBeNull();
    expect(parseEuros("Total")).toBeNull();
  });

  it("ajoute « € » et une ligne de total à l'échéancier de la convention de référence (PDF et HTML)", async () => {
    const c = conventionSchema.parse(JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8")));
    const r = await renderConventionPdf(c);
    const text = pages(r.pdf, "-layout").join("\n");
    expect(text).toMatch(/^\s*2023\s+150 000 €\s+150 000 €\s*$/m);
    expect(text).toMatch(/^\s*Total\s+150 000 €\s+150 000 €\s*$/m);
    // The Chorus references (left-aligned codes) are not amounts: no total there.
    expect(text.match(/Total/g)).toHaveLength(1);
  });

  it("additionne chaque colonne de montants ; pas de total pour la seule ligne qu'un avenant ajoute", async () => {
    const schedule: TableBlock = {
      type: "table",
      header: [[[], t("AE"), t("CP")]],
      rows: [
        [t("2024"), t("100 000"), t("80 000 €")],
        [t("2025"), t("50 000,50"), t("20 000 €")],
      ],
      aligns: ["left", "right", "right"],
    };
    const line: TableBlock = { type: "table", header: [[t("Année"), t("AE"), t("CP")]], rows: [[t("2024"), t("200 000 €"), t("180 000 €")]], aligns: ["left", "right", "right"] };
    const doc: DocumentTree = { meta: { title: "Montants" }, blocks: [schedule, para("Le tableau est complété par la ligne suivante :"), line] };
    const text = pages((await renderDocument(doc)).pdf, "-layout").join("\n");
    expect(text).toMatch(/^\s*2024\s+100 000 €\s+80 000 €\s*$/m);
    expect(text).toMatch(/^\s*Total\s+150 000,50 €\s+100 000 €\s*$/m);
    expect(text.match(/Total/g)).toHaveLength(1);
    const html = renderHtml(doc);
    expect(html).toContain("<strong>Total</strong>");
    expect(html).toContain("150\u00a0000,50\u00a0€");
    // Already totalled: left as it is.
    const again = withTotalRow(withTotalRow(schedule));
    expect(again.rows).toHaveLength(3);
  });
});

describe("en-têtes de tableau", () => {
  it("ne coupe pas « Authentification » dans le certificat (colonnes à la mesure du mot le plus long)", async () => {
    const d = new Date("2026-03-02T10:15:00Z");
    const r = await renderCertificate({
      title: "Convention Justice / DINUM",
      reference: null,
      parties: [{ name: "Ministère de la Justice", role: "délégant" }],
      signatories: [{ name: "Anne-Florence Canton", organisation: "Ministère de la Justice", function: "Secrétaire générale adjointe", signedAt: d, onBehalfOf: null, authMethod: "Code à usage unique par courriel" }],
      events: [{ at: d, label: "Signature", actor: "Anne-Florence Canton", ip: "192.0.2.1" }],
      hashes: [],
      anchors: [],
      issuedAt: d,
      audience: "parties",
    });
    const words = flat(pages(r.pdf).join(" ")).split(" ");
    for (const w of ["Signataire", "Organisation", "Authentification", "Évènement"]) expect(words).toContain(w);
  });

  it("élargit une colonne trop étroite pour son mot le plus long, au détriment des autres", async () => {
    const table: TableBlock = {
      type: "table",
      header: [[t("A", true), t("Anticonstitutionnellement", true), t("B", true)]],
      rows: [[t("un texte assez long pour occuper la place"), t("x"), t("un autre texte assez long")]],
      widths: [6, 1, 6],
    };
    const r = await renderDocument({ meta: { title: "Colonnes" }, blocks: [table] });
    expect(flat(pages(r.pdf).join(" ")).split(" ")).toContain("Anticonstitutionnellement");
  });
});

describe("pagination", () => {
  const filler = (n: number): Block[] => Array.from({ length: n }, (_, i) => para(`Ligne de remplissage numéro ${i + 1}.`));

  it("« Fait à » n'est jamais seul sur la page des signatures : il garde les dernières lignes de l'article", async () => {
    const c = conventionSchema.parse(JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8")));
    const r = await renderConventionPdf(c);
    const last = pages(r.pdf)[r.pageCount - 1];
    const before = last.slice(0, last.indexOf("Fait à")).split("\n").filter((l) => l.trim());
    expect(before.length).toBeGreaterThanOrEqual(2);
    // Wherever the page break falls, the page with the signatures holds more than « Fait à ».
    for (let n = 26; n <= 40; n++) {
      const doc: DocumentTree = {
        meta: { title: "Signatures" },
        blocks: [
          ...filler(n),
          para("Dernier article, sa première ligne est assez longue pour passer à la ligne suivante une fois justifiée sur la largeur du texte."),
          para("Fait à Paris,"),
          { type: "signatures", blocks: [{ partyLabel: "Le Ministère de la Justice,", name: "Anne-Florence Canton", organisation: "Ministère de la Justice" }] },
        ],
      };
      const rr = await renderDocument(doc);
      const p = pages(rr.pdf)[rr.boxes[0].pageIndex];
      expect(p, `${n} lignes`).toContain("Fait à Paris");
      expect(p.slice(0, p.indexOf("Fait à")).replace(/\s+/g, ""), `${n} lignes`).not.toBe("");
    }
  });

  it("un tableau reste avec la phrase qui l'annonce (« … par la ligne suivante : »)", async () => {
    for (let n = 26; n <= 40; n++) {
      const doc: DocumentTree = {
        meta: { title: "Avenant" },
        blocks: [
          ...filler(n),
          para("Le tableau de l'article 5 de la convention est complété par la ligne suivante :"),
          { type: "table", header: [[t("Année"), t("AE"), t("CP")]], rows: [[t("2024"), t("200 000 €"), t("180 000 €")]], aligns: ["left", "right", "right"] },
        ],
      };
      const ps = pages((await renderDocument(doc)).pdf);
      const sentence = ps.findIndex((p) => p.includes("par la ligne suivante"));
      const table = ps.findIndex((p) => p.includes("200 000 €"));
      expect(table, `${n} lignes`).toBe(sentence);
    }
  });
});
