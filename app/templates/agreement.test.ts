import fs from "node:fs";
import { accordParDefaut, conventionSchema, terminaisonAccord } from "../domain/convention";
import { runsToPlain, type Block } from "./document";
import { buildConventionDocument, parseTemplateFile } from "./convention";
import { loadTemplate } from "./files";

const reference = JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8"));

function text(blocks: Block[]): string {
  return blocks
    .map((b) => (b.type === "paragraph" || b.type === "heading" ? runsToPlain(b.runs) : ""))
    .join("\n")
    .replace(/[\u00a0\u202f]/g, " ");
}

/** The frame's text for a délégant and two délégataires of the given agreement. */
function frame(modele: string, genre: "m" | "f", nombre: "s" | "p") {
  const data = structuredClone(reference);
  delete data.delegant.genre;
  data.modele = modele;
  data.delegant = { ...data.delegant, nom: "Partie A", genre, nombre };
  data.delegataires = [
    { ...data.delegataires[0], nom: "Partie B", genre, nombre },
    { ...data.delegataires[0], nom: "Partie C", genre, nombre, alias: ["le co-délégataire"] },
  ];
  data.designationCommune = ["co-délégataires"];
  data.signatures = data.signatures.slice(0, 1);
  const c = conventionSchema.parse(data);
  return text(buildConventionDocument(loadTemplate(modele), c).blocks);
}

describe("accord des parties dans chaque phrase du cadre", () => {
  const cases: ["m" | "f", "s" | "p", string][] = [
    ["m", "s", ""],
    ["f", "s", "e"],
    ["m", "p", "s"],
    ["f", "p", "es"],
  ];
  for (const modele of ["convention", "convention-generique", "convention-codelegataires"]) {
    for (const [genre, nombre, fin] of cases) {
      it(`${modele} : ${genre === "m" ? "masculin" : "féminin"} ${nombre === "s" ? "singulier" : "pluriel"}`, () => {
        const t = frame(modele, genre, nombre);
        // Each party: « représenté… par » and « dénommé… »; the group: « désigné… » (always plural).
        const representes = t.match(/[Rr]eprésenté\w* par/g) ?? [];
        const denommes = t.match(/[Dd]énommé\w*/g) ?? [];
        expect(representes).toHaveLength(3);
        expect(denommes).toHaveLength(3);
        for (const r of representes) expect(r.toLowerCase()).toBe(`représenté${fin} par`);
        for (const d of denommes) expect(d.toLowerCase()).toBe(`dénommé${fin}`);
        const designes = t.match(/[Dd]ésigné\w* ensemble/g) ?? [];
        expect(designes.map((d) => d.toLowerCase())).toEqual([`désigné${genre === "f" ? "es" : "s"} ensemble`]);
      });
    }
  }

  it("l'accord par défaut vient de l'article du nom", () => {
    expect(accordParDefaut("Le tribunal administratif de Melun")).toEqual({ genre: "m", nombre: "s" });
    expect(accordParDefaut("La direction régionale")).toEqual({ genre: "f", nombre: "s" });
    expect(accordParDefaut("Les services du Premier ministre")).toEqual({ genre: "m", nombre: "p" });
    expect(accordParDefaut("L'Agence nationale")).toEqual({ genre: "f", nombre: "s" });
    const c = conventionSchema.parse({ ...reference, delegant: { ...reference.delegant, genre: undefined, nom: "Le tribunal" } });
    expect([c.delegant.genre, c.delegant.nombre]).toEqual(["m", "s"]);
    // A group agrees in the masculine as soon as one member is masculine.
    expect(terminaisonAccord([{ nom: "La DINUM" }, { nom: "Le SGAR" }])).toBe("s");
    expect(terminaisonAccord([{ nom: "La DINUM" }, { nom: "L'ANSSI" }])).toBe("es");
  });

  it("partie désignée par sa fonction : ni « Représenté par » ni adresse", () => {
    const data = structuredClone(reference);
    data.delegant = { nom: "Le président du tribunal administratif de Melun", alias: ["le délégant"] };
    for (const modele of ["convention", "convention-generique"]) {
      const t = frame(modele, "m", "s");
      expect(t).toMatch(/présenté par/);
      const c = conventionSchema.parse({ ...data, modele });
      const out = text(buildConventionDocument(loadTemplate(modele), c).blocks);
      expect(out).toContain("Le président du tribunal administratif de Melun");
      expect(out.split("Le président du tribunal administratif de Melun")[1].split(/Et\n|\net\n/)[0]).not.toMatch(/eprésenté|Adresse/);
      expect(out).toMatch(/[Dd]énommé « le délégant »/);
    }
  });

  it("dénomination telle qu'écrite : « la DINUM » ou le « délégataire »", () => {
    const data = structuredClone(reference);
    data.delegataires[0].alias = ["« la DINUM » ou le « délégataire »"];
    const out = text(buildConventionDocument(loadTemplate("convention"), conventionSchema.parse(data)).blocks);
    expect(out).toContain("Ci-après dénommée « la DINUM » ou le « délégataire »,");
  });

  it("chaque modèle a un titre, une description et une version", () => {
    for (const modele of ["convention", "convention-generique", "convention-codelegataires"]) {
      const info = parseTemplateFile(loadTemplate(modele)).info;
      expect(info.titre, modele).not.toBe("");
      expect(info.description, modele).not.toBe("");
      expect(info.version).toBeGreaterThanOrEqual(1);
      expect(info.options).toEqual(["positionPreambule"]);
    }
  });
});
