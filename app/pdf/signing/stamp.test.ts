// The visible signature stamp: the body's embedded Marianne (checked with poppler's pdffonts),
// words extracted whole (pdftotext on the stamp's box), one font size per stamp and per document,
// text fitted inside the box, and the delegation act cited on a delegate's stamp.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderConventionFromInput } from "../rendering/convention";
import { getMetrics, measure } from "../rendering/layout-text";
import { openPki, type Pki } from "../pki/pki";
import { PAGE_HEIGHT } from "../rendering/render";
import { signPdf, signPdfWith } from "./sign";
import type { SignatureBox } from "../rendering/signature-box";
import { layoutStamp, stampContentStream, type StampContent } from "./stamp";
import { run, tmpDir } from "../test-support/tools";

const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Secrétaire générale adjointe", organisation: "Ministère de la Justice", email: "af.canton@justice.gouv.fr" },
  { name: "Stéphanie Schaer", function: "Directrice interministérielle du numérique", organisation: "Direction interministérielle du numérique", email: "stephanie.schaer@modernisation.gouv.fr" },
];

let dir: string;
let pki: Pki;
let boxes: SignatureBox[];
let unsigned: Uint8Array;
let signedRaw: Uint8Array;
let signedPdfLib: Uint8Array;

async function signBoth(pdf: Uint8Array, engine: "auto" | "pdf-lib"): Promise<Uint8Array> {
  let cur = pdf;
  for (const p of PEOPLE) {
    const opts = { signer: await pki.signerFor(p), tsa: pki.tsa, signatory: p, date: new Date("2026-03-02T10:15:00Z") };
    cur = (engine === "auto" ? await signPdf(cur, opts) : await signPdfWith("pdf-lib", cur, opts)).pdf;
  }
  return cur;
}

beforeAll(async () => {
  dir = tmpDir();
  pki = await openPki({ dataDir: path.join(dir, "data"), env: {} as NodeJS.ProcessEnv });
  const data = JSON.parse(fs.readFileSync(path.resolve("templates/examples/convention-justice-dinum-2022.json"), "utf8"));
  const r = await renderConventionFromInput(data);
  boxes = r.boxes;
  unsigned = r.pdf;
  signedRaw = await signBoth(r.pdf, "auto");
  signedPdfLib = await signBoth(r.pdf, "pdf-lib");
}, 60_000);

/** pdffonts' table rows: [name, type, encoding, emb, sub, uni]. */
function pdffonts(pdf: Uint8Array): string[][] {
  const file = path.join(dir, `fonts-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  const r = run("pdffonts", [file]);
  expect(r.code).toBe(0);
  return r.out
    .split("\n")
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));
}

/** Text of one signature box, as pdftotext extracts it (poppler, its own word spacing). */
function boxText(pdf: Uint8Array, box: SignatureBox): string {
  const file = path.join(dir, `box-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  const p = String(box.pageIndex + 1);
  const r = run("pdftotext", ["-f", p, "-l", p, "-x", String(Math.floor(box.rect.x)), "-y", String(Math.floor(PAGE_HEIGHT - box.rect.y - box.rect.height)), "-W", String(Math.ceil(box.rect.width)), "-H", String(Math.ceil(box.rect.height)), file, "-"]);
  expect(r.code).toBe(0);
  return r.out.replace(/\s+/g, " ").trim();
}

/** Font sizes set by the Tf operators of a stamp's content stream. */
const sizes = (stream: string) => [...stream.matchAll(/\/M[RB] ([\d.]+) Tf/g)].map((m) => Number(m[1]));

describe("signature stamp", () => {
  it("uses only embedded fonts: the body's Marianne, no Helvetica (both signing paths)", () => {
    for (const pdf of [signedRaw, signedPdfLib]) {
      const rows = pdffonts(pdf);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.join(" ")).not.toMatch(/Helvetica/);
        expect(row[row.length - 4], row.join(" ")).toBe("yes"); // emb
      }
    }
    // The raw path reuses the document's font objects: no second copy of Marianne.
    const count = (pdf: Uint8Array) => (Buffer.from(pdf).toString("latin1").match(/\/FontFile2/g) ?? []).length;
    expect(count(signedRaw)).toBe(count(unsigned));
  });

  it("reads whole words in each stamp (no « J ustice »)", () => {
    for (const pdf of [signedRaw, signedPdfLib]) {
      const a = boxText(pdf, boxes[0]);
      expect(a).toContain("Signé électroniquement par Anne-Florence Canton");
      expect(a).toContain("Secrétaire générale adjointe");
      expect(a).toContain("Ministère de la Justice");
      expect(a).toMatch(/2026\.03\.02 11:15:00 \+01'00'/);
      const b = boxText(pdf, boxes[1]);
      expect(b).toContain("Signé électroniquement par Stéphanie Schaer");
      expect(b).toContain("Direction interministérielle du numérique");
    }
  });

  it("sets one font size per stamp, the same for the two stamps of the reference", () => {
    const [a, b] = PEOPLE.map((p, i) => stampContentStream(220, 70, { ...p, date: new Date(Date.UTC(2026, 2, 2 + i)) }));
    expect(new Set(sizes(a)).size).toBe(1);
    expect(new Set([...sizes(a), ...sizes(b)]).size).toBe(1);
  });

  it("fits every line inside the box, wrapping long lines and shrinking only when needed", () => {
    const M = getMetrics();
    const long: StampContent = {
      name: "Marie-Christine de La Rochefoucauld-Montmorency",
      function: "Secrétaire générale adjointe chargée de la transformation numérique et de la modernisation de l'action publique",
      organisation: "Ministère de l'Économie, des Finances et de la Souveraineté industrielle et numérique",
      date: new Date("2026-03-02T10:15:00Z"),
      delegation: { holder: "Jean-Baptiste Poquelin-Dumoulin", delegate: "Marie-Christine de La Rochefoucauld-Montmorency", act: "arrêté du 2 janvier 2026 portant délégation de signature (NOR : ECOP2600001A)" },
    };
    const huge: StampContent = { ...long, function: "x".repeat(2000), organisation: "Organisation ".repeat(80) };
    for (const c of [{ ...PEOPLE[0], date: new Date() }, long, huge]) {
      for (const [w, h] of [[220, 70], [150, 50]]) {
        const lay = layoutStamp(w, h, c);
        const first = lay.top + lay.size; // top of the first line's em box
        const lastBaseline = lay.top - (lay.lines.length - 1) * lay.leading;
        expect(first).toBeLessThanOrEqual(h);
        expect(lastBaseline - lay.size * 0.25).toBeGreaterThanOrEqual(0);
        for (const l of lay.lines) {
          expect(lay.x + measure(M[l.bold ? "bold" : "regular"], l.text, lay.size)).toBeLessThanOrEqual(w - 2);
        }
        expect(new Set(sizes(stampContentStream(w, h, c))).size).toBe(1);
      }
    }
    // A long function is wrapped onto several lines rather than shrunk below a readable size.
    const lay = layoutStamp(220, 70, { ...PEOPLE[1], function: "Directrice interministérielle du numérique et de la transformation de l'État", date: new Date() });
    expect(lay.size).toBeGreaterThanOrEqual(6.5);
    expect(lay.lines.some((l) => l.text.startsWith("Directrice")) && lay.lines.some((l) => l.text.includes("l'État"))).toBe(true);
  });

  it("cites the delegation act on a delegate's stamp", async () => {
    const data = JSON.parse(fs.readFileSync(path.resolve("templates/examples/convention-justice-dinum-2022.json"), "utf8"));
    const r = await renderConventionFromInput(data);
    const delegate = { name: "Paul Martin", function: "Sous-directeur", organisation: "Ministère de la Justice", email: "paul.martin@justice.gouv.fr" };
    const out = await signPdf(r.pdf, {
      signer: await pki.signerFor(delegate),
      tsa: pki.tsa,
      signatory: delegate,
      delegation: { holder: "Anne-Florence Canton", delegate: "Paul Martin", act: "arrêté du 5 janvier 2026" },
    });
    const t = boxText(out.pdf, r.boxes[0]);
    expect(t).toContain("Pour Anne-Florence Canton et par délégation");
    expect(t).toContain("Signé électroniquement par Paul Martin");
    expect(t).toContain("Délégation : arrêté du 5 janvier 2026");
  });
});
