import { applyArrayIntent, checkDraft, fieldLabel, fieldNameFor, normaliseDraft, summariseChanges } from "./convention-draft";

const base = () =>
  normaliseDraft({
    delegant: { nom: "Ministère", alias: "le délégant", representant: { fonction: "Cheffe" } },
    delegataires: [{ nom: "DINUM", alias: "le délégataire\nla DINUM", representant: { fonction: "Directrice" } }],
    articles: [
      { titre: "Objet", corps: "A" },
      { titre: "Durée", corps: "B" },
    ],
    financement: { uo: "0310-sgal-ssic", echeancier: [{ annee: "2026", ae: "150 000", cp: "" }], chorus: {} },
  });

describe("draft helpers", () => {
  it("normalises form values: lines, French amounts, upper-case codes, the party select", () => {
    const d = normaliseDraft({ services: "A\n\n B ", signatures: [{ partie: "delegataire:1" }], financement: { echeancier: [{ annee: "2026", ae: "150 000,50", cp: "abc" }] } });
    expect(d.services).toEqual(["A", "B"]);
    expect(d.signatures[0]).toMatchObject({ partie: "delegataire", indexDelegataire: 1 });
    expect(d.financement.echeancier[0]).toEqual({ annee: 2026, ae: 150000.5, cp: "abc" });
    expect(base().financement.uo).toBe("0310-SGAL-SSIC");
    expect(base().delegataires[0].alias).toEqual(["le délégataire", "la DINUM"]);
  });

  it("tolerates empty required fields but blocks wrong values and oversized texts", () => {
    const d = base();
    const c = checkDraft(d);
    expect(c.blocking).toEqual([]);
    // The end date is optional (open-ended convention): not reported as missing.
    expect(c.missing.map((e) => e.path)).toEqual(expect.arrayContaining(["financement.echeancier[0].cp", "lieuSignature"]));
    expect(c.missing.map((e) => e.path)).not.toContain("dateFin");
    d.financement.uo = "0310-XX";
    d.articles[0].corps = "x".repeat(20_001);
    d.articles.push(...Array.from({ length: 100 }, () => ({ titre: "t", corps: "" })));
    const blocked = checkDraft(d).blocking.map((e) => [e.path, e.message]);
    expect(blocked).toEqual(
      expect.arrayContaining([
        ["financement.uo", "Le code UO doit avoir la forme 0310-SGAL-SSIC"],
        ["articles[0].corps", "Ce texte dépasse la limite de 20 000 caractères (20 001 saisis)"],
        ["articles", "100 éléments au plus"],
      ]),
    );
  });

  it("adds, moves and removes array items from submit buttons", () => {
    let r = applyArrayIntent(base(), "ajouter:articles")!;
    expect(r.data.articles).toHaveLength(3);
    expect(r.focus).toBe("articles[2].titre");
    r = applyArrayIntent(r.data, "monter:articles:1")!;
    expect(r.data.articles.map((a: any) => a.titre)).toEqual(["Durée", "Objet", ""]);
    r = applyArrayIntent(r.data, "supprimer:articles:2")!;
    expect(r.data.articles).toHaveLength(2);
    r = applyArrayIntent(r.data, "ajouter:financement.echeancier")!;
    expect(r.data.financement.echeancier[1].annee).toBe(2027);
    expect(applyArrayIntent(base(), "monter:articles:0")).toBeNull();
    expect(applyArrayIntent(base(), "ajouter:delegant")).toBeNull();
  });

  it("summarises what changed in French", () => {
    const a = base();
    const b = structuredClone(a);
    b.dateFin = "2026-12-31";
    b.articles = [a.articles[1], a.articles[0], { titre: "Nouveau", corps: "" }];
    b.articles[0] = { ...b.articles[0], corps: "B modifié" };
    const s = summariseChanges(a, b);
    expect(s).toBe("Modifié : date de fin ; article 1 « Durée » modifié ; article 3 « Nouveau » ajouté ; articles réordonnés");
    expect(summariseChanges(a, structuredClone(a))).toBe("Aucune modification");
  });

  it("names fields for people", () => {
    expect(fieldLabel("financement.echeancier[0].ae")).toBe("Partie financière — échéancier, ligne 1 — AE");
    expect(fieldLabel("delegataires[1].representant.fonction")).toBe("Délégataire 2 — représentant — fonction");
    expect(fieldNameFor("delegant.alias[0]")).toBe("delegant.alias");
    expect(fieldNameFor("signatures[2].indexDelegataire")).toBe("signatures[2].partie");
  });
});
