import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { BLOCK_HELP, exampleWith, FILTER_HELP, FILTER_NAMES, modelKeys, templateFields } from "./field-help";
import { MODEL_KEYS } from "./convention";

const reference = JSON.parse(readFileSync(new URL("../../templates/examples/convention-justice-dinum-2022.json", import.meta.url), "utf8"));

describe("article editor help", () => {
  it("lists the model's fields from its schema, in French, lists with the fields of one item", () => {
    const fields = templateFields();
    const paths = fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["titre", "delegant.nom", "delegant.representant.fonction", "financement.uo", "financement.chorus.centreDeCout", "dateFin", "lieuSignature"]));
    expect(paths).not.toContain("articles");
    expect(fields.find((f) => f.path === "financement.uo")?.label).toBe("Partie financière — code UO");
    const echeancier = fields.find((f) => f.path === "financement.echeancier")!;
    expect(echeancier.list).toBe(true);
    expect(echeancier.items.map((i) => i.name)).toEqual(["annee", "ae", "cp"]);
    expect(echeancier.items.map((i) => i.label)).toEqual(["année", "AE", "CP"]);
    expect(fields.find((f) => f.path === "delegataires")!.items.map((i) => i.name)).toContain("representant.nom");
  });

  it("knows the same keys as the renderer, so the preview accepts what the PDF accepts", () => {
    expect([...modelKeys()].sort()).toEqual([...MODEL_KEYS].filter((k) => k !== "delegataire").sort());
  });

  it("describes every filter the engine has, and only those", () => {
    expect(Object.keys(FILTER_HELP).sort()).toEqual([...FILTER_NAMES].sort());
  });

  it("renders each field, filter and block example with the reference convention's data", () => {
    const keys = modelKeys();
    expect(exampleWith("{{ financement.uo }}", reference, keys)).toBe(reference.financement.uo);
    expect(exampleWith(FILTER_HELP.date.exemple, reference, keys)).toBe("28 février 2023");
    expect(exampleWith(FILTER_HELP.lettres.exemple, reference, keys)).toBe("trois");
    expect(exampleWith(FILTER_HELP.er.exemple, reference, keys)).toBe("l'article 1er");
    for (const f of Object.values(FILTER_HELP)) expect(exampleWith(f.exemple, reference, keys)).not.toMatch(/^erreur/);
    for (const b of BLOCK_HELP) expect(exampleWith(b.exemple, reference, keys)).not.toMatch(/^erreur|^—$/);
    expect(exampleWith(BLOCK_HELP[0].exemple, reference, keys)).toBe("jusqu'au 28 février 2023");
    for (const f of templateFields()) expect(exampleWith(`{{ ${f.path} }}`, reference, keys)).not.toMatch(/^erreur/);
    expect(exampleWith("{{ inconnu }}", reference, keys)).toMatch(/^erreur : .*champ inconnu/);
  });
});
