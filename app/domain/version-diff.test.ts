import fs from "node:fs";
import { applyAvenant, avenantSchema, type AvenantOperation } from "./avenant";
import { conventionSchema, type Convention } from "./convention";
import { diffVersions, diffWords } from "./version-diff";

const reference = (): Convention => conventionSchema.parse(JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8")));
const amend = (base: Convention, ops: AvenantOperation[]) => {
  const r = applyAvenant(base, ops);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.data;
};
const join = (w: { op: string; text: string }[], ops: string[]) => w.filter((x) => ops.includes(x.op)).map((x) => x.text).join("");

describe("diffWords", () => {
  it("mots ajoutés et supprimés, le reste gardé ; les morceaux recomposent chaque texte", () => {
    const before = "La convention est conclue jusqu'au 28 février 2023 inclus.";
    const after = "La convention est conclue jusqu'au 31 décembre 2024 inclus.";
    const d = diffWords(before, after);
    expect(d.filter((x) => x.op !== "=").map((x) => [x.op, x.text.trim()])).toEqual([
      ["-", "28 février 2023"],
      ["+", "31 décembre 2024"],
    ]);
    expect(join(d, ["=", "+"])).toBe(after);
    expect(join(d, ["=", "-"])).toBe(before);
  });

  it("insertion au milieu, suppression en fin, textes vides", () => {
    expect(diffWords("a b c", "a x b c")).toEqual([
      { op: "=", text: "a" },
      { op: "+", text: " x" },
      { op: "=", text: " b c" },
    ]);
    expect(diffWords("a b c", "a b")).toEqual([
      { op: "=", text: "a b" },
      { op: "-", text: " c" },
    ]);
    // A short equality between two changes is absorbed: removed words, then added words.
    expect(diffWords("un chat de Paris noir", "un chien de Lyon noir")).toEqual([
      { op: "=", text: "un" },
      { op: "-", text: " chat de Paris" },
      { op: "+", text: " chien de Lyon" },
      { op: "=", text: " noir" },
    ]);
    expect(diffWords("", "a b")).toEqual([{ op: "+", text: "a b" }]);
    expect(diffWords("a b", "")).toEqual([{ op: "-", text: "a b" }]);
    expect(diffWords("", "")).toEqual([]);
  });

  it("reste borné sur de longs textes entièrement différents", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(" ");
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(" ");
    const t = Date.now();
    const d = diffWords(a, b);
    expect(Date.now() - t).toBeLessThan(2000);
    expect(d.map((x) => x.op)).toEqual(["-", "+"]);
  });
});

describe("diffVersions", () => {
  it("l'avenant de l'exemple : article 1 modifié mot à mot, article 7 relu avec la nouvelle date, année 2024 ajoutée, date de fin", () => {
    const av = avenantSchema.parse(JSON.parse(fs.readFileSync("templates/examples/avenant-justice-dinum-2022.json", "utf8")));
    const after = amend(av.base, av.operations);
    const d = diffVersions(av.base, after);
    expect(d.articles.map((x) => [x.numero, x.change])).toEqual([
      [1, "modifie"],
      [2, "inchange"],
      [3, "inchange"],
      [4, "inchange"],
      [5, "modifie"],
      [6, "inchange"],
      [7, "modifie"],
      [8, "inchange"],
    ]);
    const a1 = d.articles[0];
    expect(join(a1.words, ["+"])).toContain("l'accélération des Startups d'État de la promotion 2022");
    expect(join(a1.words, ["-"])).toContain("l'investigation et la structuration de la nouvelle promotion");
    // Fields evaluated: « Info Parquet et Mon Suivi Justice », not « {{ services | liste }} ».
    expect(join(a1.words, ["="])).toContain("services numériques Info Parquet et Mon Suivi Justice");
    expect(d.articles[6].words.filter((w) => w.op !== "=").map((w) => [w.op, w.text.trim()])).toEqual([
      ["-", "28 février 2023."],
      ["+", "31 décembre 2024."],
    ]);
    // The schedule table of article 5 gains its 2024 row.
    expect(join(d.articles[4].words, ["+"])).toContain("2024 | 200 000 | 180 000");
    expect(d.amounts).toEqual([
      { annee: 2023, aeAvant: 150000, cpAvant: 150000, aeApres: 150000, cpApres: 150000, change: "inchange" },
      { annee: 2024, aeApres: 200000, cpApres: 180000, change: "ajoute" },
    ]);
    expect(d.fields).toEqual([{ label: "Date de fin", avant: "28 février 2023", apres: "31 décembre 2024" }]);
  });

  it("article inséré, article supprimé : appariés par leur texte, numéros avant et après", () => {
    const before = reference();
    const after = amend(before, [
      { type: "inserer_article", apres: 2, titre: "Comité de suivi", corps: "Un comité se réunit deux fois par an." },
      { type: "supprimer_article", article: 6 },
    ]);
    const d = diffVersions(before, after);
    expect(d.articles.map((x) => [x.change, x.numeroAvant ?? null, x.numeroApres ?? null])).toEqual([
      ["inchange", 1, 1],
      ["inchange", 2, 2],
      ["ajoute", null, 3],
      ["inchange", 3, 4],
      ["inchange", 4, 5],
      ["inchange", 5, 6],
      ["supprime", 6, null],
      ["inchange", 7, 7],
      ["inchange", 8, 8],
    ]);
    expect(d.articles[2]).toMatchObject({ numero: 3, titreApres: "Comité de suivi", words: [{ op: "+", text: "Un comité se réunit deux fois par an." }] });
    expect(d.articles[6]).toMatchObject({ numero: 6, titreAvant: "Modification du document", words: [{ op: "-" }] });
  });

  it("un article remplacé sous un autre titre reste apparié par son vocabulaire", () => {
    const before = reference();
    const after = amend(before, [{ type: "remplacer_article", article: 4, titre: "Données personnelles", corps: before.articles[3].corps.replace("particulière", "constante") }]);
    const d = diffVersions(before, after);
    expect(d.articles[3]).toMatchObject({ numero: 4, change: "modifie", titreAvant: "Respect des règles de protection des données à caractère personnel", titreApres: "Données personnelles" });
    expect(d.articles).toHaveLength(8);
  });

  it("montants modifiés, parties, services, préavis", () => {
    const before = reference();
    const after = amend(before, [
      { type: "modifier_montants", annee: 2023, ae: 180000, cp: 160000.5 },
      { type: "modifier_partie", partie: "delegant", indexDelegataire: 0, representant: { nom: "Jean Dupont", fonction: "Chef du service" } },
      { type: "modifier_partie", partie: "delegataire", indexDelegataire: 0, adresse: "20 avenue de Ségur 75007 Paris", services: ["Info Parquet"] },
    ]);
    const d = diffVersions(before, after);
    expect(d.amounts).toEqual([{ annee: 2023, aeAvant: 150000, cpAvant: 150000, aeApres: 180000, cpApres: 160000.5, change: "modifie" }]);
    expect(d.fields).toEqual([
      { label: "Services numériques", avant: "Info Parquet et Mon Suivi Justice", apres: "Info Parquet" },
      { label: "Délégant — représentant", avant: "Anne-Florence Canton, Cheffe de Service Numérique", apres: "Jean Dupont, Chef du service" },
      { label: "Délégataire — adresse", avant: "20 avenue de Ségur – TSA 30 719 75 334 PARIS Cedex 07", apres: "20 avenue de Ségur 75007 Paris" },
    ]);
    const same = diffVersions(before, before);
    expect(same.fields).toEqual([]);
    expect(same.articles.every((a) => a.change === "inchange")).toBe(true);
  });

  it("un texte d'article qui ne se rend pas est comparé tel que saisi", () => {
    const before = reference();
    const broken = { ...before, articles: before.articles.map((a, i) => (i === 0 ? { ...a, corps: "Texte {{ inconnu }} modifié" } : a)) };
    const d = diffVersions(before, broken);
    expect(join(d.articles[0].words, ["+"])).toContain("{{ inconnu }}");
  });
});

describe("avenants tirés au hasard (graine fixe)", () => {
  it("appliqués : une convention valide ou des erreurs sur les modifications ; comparés : insertions et suppressions retrouvées", () => {
    let seed = 20261202;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const base = reference();
    let applied = 0;
    for (let run = 0; run < 300; run++) {
      const ops: AvenantOperation[] = Array.from({ length: 1 + rnd(5) }, (_, k): AvenantOperation => {
        switch (rnd(6)) {
          case 0:
            return { type: "remplacer_article", article: 1 + rnd(10), titre: `Titre ${run}-${k}`, corps: `Texte nouveau ${run} ${k} sans rapport` };
          case 1:
            return { type: "inserer_article", apres: rnd(10), titre: `Inséré ${run}-${k}`, corps: `Article inséré numéro ${run} ${k}` };
          case 2:
            return { type: "supprimer_article", article: 1 + rnd(10) };
          case 3:
            return { type: "ajouter_annee", annee: 2023 + rnd(4), ae: 1000 * rnd(100), cp: 500 * rnd(100) };
          case 4:
            return { type: "modifier_montants", annee: 2023 + rnd(2), ae: 160000 + rnd(1000), cp: 1000 * rnd(100) };
          default:
            return { type: "modifier_date_fin", dateFin: `202${4 + rnd(3)}-12-31` };
        }
      });
      const r = applyAvenant(base, ops);
      if (!r.ok) {
        for (const e of r.errors) expect(e.path, JSON.stringify(ops)).toMatch(/^operations(\[\d+\](\.\w+)*)?$/);
        continue;
      }
      applied++;
      expect(conventionSchema.safeParse(r.data).success).toBe(true);
      const d = diffVersions(base, r.data);
      const inserted = ops.filter((o) => o.type === "inserer_article").length;
      const deleted = ops.filter((o) => o.type === "supprimer_article").length;
      expect(r.data.articles.length).toBe(base.articles.length + inserted - deleted);
      expect(d.articles.filter((a) => a.change === "ajoute").length).toBeGreaterThanOrEqual(inserted);
      expect(d.articles.filter((a) => a.change !== "ajoute").length).toBe(base.articles.length);
      expect(d.articles.filter((a) => a.change !== "supprime").length).toBe(r.data.articles.length);
    }
    expect(applied).toBeGreaterThan(30);
  });
});
