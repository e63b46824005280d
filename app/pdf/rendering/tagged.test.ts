// Tagged PDF (issue 13): every PDF the portal renders carries a structure tree in reading order
// (headings, paragraphs, lists, tables with header cells, footnotes, signature blocks), /MarkInfo,
// /Lang fr-FR and alternate text for the bloc marque; page furniture is marked as artifacts.
// Read back with poppler's `pdfinfo -struct-text`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import zlib from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { conventionSchema } from "../../domain/convention";
import { buildActDocument } from "../../templates/acts";
import { renderCertificate } from "./certificate";
import { renderConsolidatedPdf } from "./consolidated";
import { renderConventionPdf } from "./convention";
import { BLOC_MARQUE_ALT, renderDocument } from "./render";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-tagged-"));
const example = (name: string) => JSON.parse(fs.readFileSync(`templates/examples/${name}.json`, "utf8"));
function run(cmd: string, args: string[], pdf: Uint8Array): string {
  const f = path.join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(f, pdf);
  const r = spawnSync(cmd, [...args, f], { encoding: "utf8", maxBuffer: 1 << 26 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}
/** Roles of the structure tree, in order, as `pdfinfo -struct-text` prints them. */
const roles = (struct: string) => [...struct.matchAll(/^\s*([A-Za-z][A-Za-z0-9]*)\b(?: <[^>]*>)?(?: \((?:block|inline)\))?:?$/gm)].map((m) => m[1]);
/** Decompressed content streams of a PDF written by the renderer (FlateDecode, classic objects). */
function contents(pdf: Uint8Array): string {
  const s = Buffer.from(pdf).toString("latin1");
  let out = "";
  for (const m of s.matchAll(/\/Filter \/FlateDecode\n\/Length (\d+)\n>>\nstream\n/g)) {
    const at = m.index! + m[0].length;
    const raw = Buffer.from(pdf.subarray(at, at + Number(m[1])));
    const text = zlib.inflateSync(raw).toString("latin1");
    if (/\bBT\b/.test(text)) out += text + "\n";
  }
  return out;
}

const docs: Record<string, Uint8Array> = {};
beforeAll(async () => {
  const conv = example("convention-justice-dinum-2022");
  docs.convention = (await renderConventionPdf(conventionSchema.parse(conv))).pdf;
  docs.avenant = (await renderDocument(buildActDocument(example("avenant-justice-dinum-2022")))).pdf;
  docs.notice = (await renderDocument(buildActDocument(example("resiliation-justice-dinum-2022")))).pdf;
  docs.consolidated = await renderConsolidatedPdf({ data: conventionSchema.parse(conv), avenants: [{ numero: 1, signeLe: "2023-02-10" }] });
  const d = new Date("2026-03-02T10:15:00Z");
  docs.certificate = (
    await renderCertificate({
      title: "Convention Justice / DINUM",
      reference: null,
      parties: [{ name: "Ministère de la Justice", role: "délégant" }],
      signatories: [{ name: "Anne-Florence Canton", organisation: "Ministère de la Justice", function: null, signedAt: d, onBehalfOf: null, authMethod: "ProConnect" }],
      events: [{ at: d, label: "Signature", actor: "Anne-Florence Canton", ip: "192.0.2.1" }],
      hashes: [{ label: "Document figé", sha256: "a".repeat(64) }],
      anchors: [],
      issuedAt: d,
      audience: "parties",
    })
  ).pdf;
}, 60_000);

describe("PDF balisé", () => {
  it("chaque PDF rendu est balisé : /MarkInfo, /StructTreeRoot, /Lang fr-FR, un titre et des paragraphes", () => {
    for (const [name, pdf] of Object.entries(docs)) {
      const raw = Buffer.from(pdf).toString("latin1");
      expect(raw, name).toMatch(/\/MarkInfo <<\n\/Marked true\n>>/);
      expect(raw, name).toMatch(/\/StructTreeRoot \d+ 0 R/);
      expect(raw, name).toContain("/Lang (fr-FR)");
      expect(run("pdfinfo", [], pdf), name).toMatch(/^Tagged:\s+yes$/m);
      const r = roles(run("pdfinfo", ["-struct-text"], pdf));
      expect(r[0], name).toBe("Document");
      expect(r, name).toContain("H1");
      expect(r, name).toContain("P");
      run("qpdf", ["--check"], pdf);
    }
  });

  it("convention de référence, page 1 : bloc marque (texte de remplacement), titre, parties, visas, préambule, dans l'ordre de lecture", () => {
    const struct = run("pdfinfo", ["-struct-text", "-f", "1", "-l", "1"], docs.convention);
    const r = roles(struct);
    expect(r.slice(0, 4)).toEqual(["Document", "Figure", "H1", "P"]);
    const order = ["Convention de délégation de gestion", '"Entre"', "Le Ministère de la Justice", '"Et"', "Direction Interministérielle du Numérique", "Vu le décret 2004-1085", "Préambule", "Au sein de la DINUM"];
    const at = order.map((t) => struct.indexOf(t));
    for (const [i, p] of at.entries()) expect(p, order[i]).toBeGreaterThan(-1);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Lines of one paragraph read with their word boundaries.
    expect(struct).toContain("relatif à la délégation de gestion dans les services de l'Etat");
    const raw = Buffer.from(docs.convention).toString("latin1");
    const alt = "<FEFF" + Buffer.from(BLOC_MARQUE_ALT, "utf16le").swap16().toString("hex").toUpperCase() + ">";
    expect(raw).toMatch(/\/S \/Figure \/P \d+ 0 R/);
    expect(raw).toContain(`/Alt ${alt}`);
  });

  it("listes, tableaux à cellules d'en-tête, notes et blocs de signature, avec leurs rôles", () => {
    const struct = run("pdfinfo", ["-struct-text"], docs.convention);
    const r = roles(struct);
    for (const role of ["H2", "H3", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Note", "Div", "Form"]) expect(r, role).toContain(role);
    expect(struct).toMatch(/TH:\n\s+\/Scope \/Column/);
    expect(struct).toMatch(/Note <note-1>/);
    // Reading order: the schedule's header, its row, then the total; signatures last.
    const seq = ['"AE"', '"2023"', '"Total"', "Le Ministère de la Justice,", "Form"].map((t) => struct.lastIndexOf(t));
    expect([...seq].sort((a, b) => a - b)).toEqual(seq);
    // A note is read after the list item that calls it.
    expect(struct.indexOf("Note <note-1>")).toBeGreaterThan(struct.indexOf("ANSSI"));
  });

  it("numéros de page, en-tête de version consolidée, filigrane, cadres et filets sont des artefacts", async () => {
    const struct = run("pdfinfo", ["-struct-text"], docs.consolidated);
    expect(struct).not.toContain("Page 1 /");
    expect(struct).not.toContain("Version consolidée — document informatif non signé");
    const marked = await renderConventionPdf(conventionSchema.parse(example("convention-justice-dinum-2022")), { marking: { watermark: "PROJET" } });
    expect(run("pdfinfo", ["-struct-text"], marked.pdf)).not.toContain("PROJET");
    // Every stream balances its marked content, and no text is drawn outside it.
    const c = contents(docs.convention);
    const opens = (c.match(/\bBDC\b|\bBMC\b/g) ?? []).length;
    expect(opens).toBeGreaterThan(50);
    expect((c.match(/\bEMC\b/g) ?? []).length).toBe(opens);
    let depth = 0;
    for (const tok of c.matchAll(/\b(BDC|BMC|EMC|BT)\b/g)) {
      if (tok[1] === "EMC") depth--;
      else if (tok[1] === "BT") expect(depth).toBe(1);
      else depth++;
      expect(depth === 0 || depth === 1).toBe(true);
    }
  });

  it("un en-tête de tableau répété sur une page suivante est un artefact, pas une seconde cellule d'en-tête", async () => {
    const t = (text: string) => [{ kind: "text" as const, text }];
    const rows = Array.from({ length: 120 }, (_, i) => [t(`Ligne ${i + 1}`), t(`${(i + 1) * 1000} €`)]);
    const r = await renderDocument({ meta: { title: "Long tableau" }, blocks: [{ type: "table", header: [[t("Intitulé"), t("Montant")]], rows, aligns: ["left", "right"] }] });
    expect(r.pageCount).toBeGreaterThan(1);
    const struct = run("pdfinfo", ["-struct-text"], r.pdf);
    expect(struct.match(/"Intitulé"/g)).toHaveLength(1);
    expect(struct).toContain('"Ligne 120"');
  });
});
