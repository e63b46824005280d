import fs from "node:fs";
import { conventionSchema } from "../domain/convention";
import { buildConventionDocument, createDraftFromTemplate, parseTemplateFile } from "./convention";
import { runsToPlain, type Block, type ParagraphBlock } from "./document";
import { renderTemplate, TemplateError } from "./engine";
import { parseInline } from "./markup";

const template = fs.readFileSync("templates/convention.tpl", "utf8");
const reference = JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8"));
const keys = new Set(["nom", "adresse", "liste", "montant"]);
const render = (src: string, data: Record<string, unknown>) => renderTemplate(src, { data, knownKeys: keys });
const plain = (blocks: Block[]) =>
  blocks.map((b) => (b.type === "paragraph" || b.type === "heading" ? runsToPlain(b.runs) : b.type)).join("\n");

function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error("pas d'erreur");
}

describe("moteur de modèles", () => {
  it("remplace les champs, conditions et boucles", () => {
    const src = "Bonjour {{ nom }}.\n\n{% si adresse %}\nAdresse : {{ adresse }}\n{% sinon %}\nSans adresse\n{% fin %}\n\n{% pour x dans liste %}\n- {{ boucle.index }} {{ x.montant | montant }}{% si boucle.dernier %}.{% sinon %} ;{% fin %}\n{% fin %}\n";
    const blocks = render(src, { nom: "Alice", liste: [{ montant: 1500 }, { montant: 2.5 }] });
    expect(plain(blocks)).toBe("Bonjour Alice.\nSans adresse\nlist");
    const list = blocks[2] as Extract<Block, { type: "list" }>;
    expect(list.items.map(runsToPlain)).toEqual(["1 1\u00a0500 ;", "2 2,50."]);
  });

  it("signale un champ inconnu avec sa ligne et son nom", () => {
    const e = thrown(() => render("Titre\n\nLigne {{ nom }}\n{{ financement.inconnu }}", { nom: "x" }));
    expect(e.line).toBe(4);
    expect(e.name).toBe("financement.inconnu");
    expect(e.message).toMatch(/ligne 4/);
  });

  it("signale une erreur de syntaxe avec sa ligne", () => {
    const e1 = thrown(() => render("a\nb\n{% si nom %}\nc\n", { nom: "x" }));
    expect([e1.line, e1.name]).toEqual([3, "si"]);
    const e2 = thrown(() => render("a\n\nb {{ nom\n", { nom: "x" }));
    expect([e2.line, e2.name]).toEqual([3, "{{"]);
    const e3 = thrown(() => render("a\n{% boucle x %}\n", {}));
    expect([e3.line, e3.name]).toEqual([2, "boucle"]);
    const e4 = thrown(() => render("{{ nom | inexistant }}", { nom: "x" }));
    expect([e4.line, e4.name]).toEqual([1, "inexistant"]);
  });

  it("un champ optionnel absent n'est pas une erreur", () => {
    expect(plain(render("[{{ adresse }}]", {}))).toBe("[]");
  });

  it("laisse le HTML et la syntaxe saisis dans un champ en texte littéral", () => {
    const blocks = render("Nom : **{{ nom }}**", { nom: "<script>alert(1)</script> **x** [a](javascript:1) {{ y }}" });
    const p = blocks[0] as ParagraphBlock;
    expect(runsToPlain(p.runs)).toBe("Nom : <script>alert(1)</script> **x** [a](javascript:1) {{ y }}");
    expect(p.runs.some((r) => r.kind === "text" && r.href)).toBe(false);
    expect(p.runs[1]).toMatchObject({ bold: true });
  });

  it("analyse la mise en forme en ligne", () => {
    const runs = parseInline("a **gras** *ital* [lien](https://x.fr) <https://y.fr> note^[texte **b**] \\*pas\\*");
    expect(runs.map((r) => (r.kind === "text" ? [r.text, !!r.bold, !!r.italic, r.href ?? ""] : ["note", runsToPlain(r.runs)]))).toEqual([
      ["a ", false, false, ""],
      ["gras", true, false, ""],
      [" ", false, false, ""],
      ["ital", false, true, ""],
      [" ", false, false, ""],
      ["lien", false, false, "https://x.fr"],
      [" ", false, false, ""],
      ["https://y.fr", false, false, "https://y.fr"],
      [" note", false, false, ""],
      ["note", "texte b"],
      [" *pas*", false, false, ""],
    ]);
  });

  it("lit les tableaux avec en-tête et alignement", () => {
    const [t] = render("| | AE | CP |\n|---|---:|---:|\n| 2023 | 1 | 2 |\n", {});
    expect(t).toMatchObject({ type: "table", aligns: ["left", "right", "right"] });
    if (t.type !== "table") throw new Error();
    expect(t.header.length).toBe(1);
    expect(t.rows.map((r) => r.map(runsToPlain))).toEqual([["2023", "1", "2"]]);
  });
});

describe("modèle de convention", () => {
  it("contient le cadre et les articles par défaut", () => {
    const t = parseTemplateFile(template);
    expect(t.sections.filter((s) => s.kind === "article").map((s) => s.titre)).toHaveLength(8);
    expect(t.sections.filter((s) => s.kind === "visa")).toHaveLength(2);
  });

  it("un brouillon garde sa propre copie des articles", () => {
    const { articles, visas, ...rest } = reference;
    const draft = createDraftFromTemplate(template, rest) as any;
    expect(draft.articles).toHaveLength(8);
    expect(draft.visas).toHaveLength(2);
    draft.articles[3].corps = "Texte **propre** à cette convention pour {{ financement.uo }}.";
    const doc = buildConventionDocument(template, conventionSchema.parse(draft));
    const text = plain(doc.blocks);
    expect(text).toContain("Article 4 : Respect des règles de protection des données à caractère personnel");
    expect(text).toContain("Texte propre à cette convention pour 0310-SGAL-SSIC.");
    // The template itself is untouched: a new draft gets the default text again.
    const again = createDraftFromTemplate(template, rest) as any;
    expect(again.articles[3].corps).toMatch(/^Une vigilance particulière/);
  });

  it("une erreur dans un article nomme l'article, la ligne et le champ", () => {
    const data = structuredClone(reference);
    data.articles[1].corps = "Première ligne.\n\nTroisième {{ delegant.telephone }}";
    const e = thrown(() => buildConventionDocument(template, conventionSchema.parse(data)));
    expect([e.source, e.line, e.name]).toEqual(["articles[1].corps", 3, "delegant.telephone"]);
  });

  it("une erreur dans le modèle donne la ligne du fichier", () => {
    const broken = template.replace("Fait à {{ lieuSignature }}", "Fait à {{ lieu }}");
    const line = broken.split("\n").findIndex((l) => l.includes("{{ lieu }}")) + 1;
    const e = thrown(() => buildConventionDocument(broken, conventionSchema.parse(reference)));
    expect([e.line, e.name]).toEqual([line, "lieu"]);
  });

  it("produit un bloc par délégataire et un bloc de signature par signataire", () => {
    const data = conventionSchema.parse(JSON.parse(fs.readFileSync("templates/examples/convention-codelegataires.json", "utf8")));
    const doc = buildConventionDocument(template, data);
    const text = plain(doc.blocks);
    expect(text.match(/^Et$/gm)).toHaveLength(2);
    expect(text).toContain("Ci-après dénommée « le co-délégataire » ou « l'ANSSI »,");
    const sig = doc.blocks.find((b) => b.type === "signatures");
    expect(sig?.type === "signatures" && sig.blocks.map((b) => b.name)).toEqual(["Jean Dupont", "Stéphanie Schaer", "Vincent Strubel"]);
  });
});
