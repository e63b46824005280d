import fs from "node:fs";
import { applyAvenant, articleCiting, articlePlan, avenantSchema, checkAvenantDraft, pathSegments, renumbering, type AvenantOperation } from "./avenant";
import { conventionSchema, type Convention } from "./convention";

const reference = (): Convention => conventionSchema.parse(JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8")));

const ok = (base: Convention, ops: AvenantOperation[]) => {
  const r = applyAvenant(base, ops);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
};
const errors = (base: Convention, ops: AvenantOperation[]) => {
  const r = applyAvenant(base, ops);
  if (r.ok) throw new Error("expected errors");
  return r.errors;
};

const draft = (over: Record<string, unknown> = {}) => ({
  modele: "avenant",
  numero: 1,
  base: reference(),
  baseSigneeLe: "2022-12-19",
  actesModifies: [{ libelle: "Convention signée le 19 décembre 2022", sha256: "a".repeat(64) }],
  objet: "prolonger la convention",
  operations: [{ type: "modifier_date_fin", dateFin: "2024-12-31" }],
  lieuSignature: "Paris",
  signatures: [
    { partie: "delegant", libelle: "Le Ministère de la Justice,", nom: "Anne-Florence Canton" },
    { partie: "delegataire", indexDelegataire: 0, libelle: "La DINUM,", nom: "Stéphanie Schaer" },
  ],
  ...over,
});

describe("applyAvenant : articles", () => {
  it("remplace un article à sa place, sans toucher aux autres", () => {
    const base = reference();
    const r = ok(base, [{ type: "remplacer_article", article: 6, titre: "Modification", corps: "Nouveau texte." }]);
    expect(r.data.articles).toHaveLength(8);
    expect(r.data.articles[5]).toEqual({ titre: "Modification", corps: "Nouveau texte." });
    expect(r.data.articles.filter((_, i) => i !== 5)).toEqual(base.articles.filter((_, i) => i !== 5));
    // The base is not mutated.
    expect(base.articles[5].titre).toBe("Modification du document");
  });

  it("insère après l'article indiqué (0 = en tête) et renumérote la suite", () => {
    const base = reference();
    const r = ok(base, [
      { type: "inserer_article", apres: 4, titre: "Comité de suivi", corps: "Un comité se réunit." },
      { type: "inserer_article", apres: 0, titre: "Définitions", corps: "Au sens de la présente convention…" },
      { type: "inserer_article", apres: 8, titre: "Litiges", corps: "Tribunal administratif." },
    ]);
    expect(r.data.articles.map((a) => a.titre)).toEqual([
      "Définitions",
      "Objet de la délégation",
      "Obligations du délégant",
      "Obligations de la DINUM",
      "Respect des règles de protection des données à caractère personnel",
      "Comité de suivi",
      "Exécution financière de la délégation",
      "Modification du document",
      "Durée et résiliation de la convention",
      "Publication de la délégation",
      "Litiges",
    ]);
    expect(renumbering(r.plan)).toEqual([
      { de: 1, a: 4, nouveauDe: 2, nouveauA: 5 },
      { de: 5, a: 8, nouveauDe: 7, nouveauA: 10 },
    ]);
  });

  it("deux insertions au même endroit gardent l'ordre des modifications", () => {
    const r = ok(reference(), [
      { type: "inserer_article", apres: 2, titre: "A", corps: "a" },
      { type: "inserer_article", apres: 2, titre: "B", corps: "b" },
    ]);
    expect(r.data.articles.slice(1, 5).map((a) => a.titre)).toEqual(["Obligations du délégant", "A", "B", "Obligations de la DINUM"]);
  });

  it("supprime un article et resserre la numérotation", () => {
    const r = ok(reference(), [{ type: "supprimer_article", article: 4 }]);
    expect(r.data.articles).toHaveLength(7);
    expect(r.data.articles.map((a) => a.titre)).not.toContain("Respect des règles de protection des données à caractère personnel");
    expect(renumbering(r.plan)).toEqual([{ de: 5, a: 8, nouveauDe: 4, nouveauA: 7 }]);
  });

  it("aucune renumérotation quand rien n'est inséré ni supprimé, ou quand une suppression compense une insertion", () => {
    expect(renumbering(articlePlan(8, [{ type: "remplacer_article", article: 2, titre: "t", corps: "c" }]))).toEqual([]);
    expect(
      renumbering(
        articlePlan(8, [
          { type: "supprimer_article", article: 3 },
          { type: "inserer_article", apres: 3, titre: "t", corps: "c" },
        ]),
      ),
    ).toEqual([]);
  });

  it("refuse un article qui n'existe pas, avec le chemin de la modification", () => {
    expect(errors(reference(), [{ type: "modifier_date_fin", dateFin: "2024-12-31" }, { type: "remplacer_article", article: 9, titre: "t", corps: "c" }])).toEqual([
      { path: "operations[1].article", message: "L'article 9 n'existe pas dans la version en vigueur de la convention (8 articles)" },
    ]);
    expect(errors(reference(), [{ type: "supprimer_article", article: 12 }])[0].path).toBe("operations[0].article");
    expect(errors(reference(), [{ type: "inserer_article", apres: 9, titre: "t", corps: "c" }])).toEqual([
      { path: "operations[0].apres", message: "L'article 9 n'existe pas dans la version en vigueur de la convention (8 articles)" },
    ]);
  });

  it("un article supprimé par un avenant précédent n'existe plus pour le suivant", () => {
    const after1 = ok(reference(), [{ type: "supprimer_article", article: 8 }]).data;
    expect(errors(after1, [{ type: "remplacer_article", article: 8, titre: "t", corps: "c" }])[0].message).toBe(
      "L'article 8 n'existe pas dans la version en vigueur de la convention (7 articles)",
    );
  });

  it("refuse de toucher deux fois au même article", () => {
    expect(
      errors(reference(), [
        { type: "supprimer_article", article: 3 },
        { type: "remplacer_article", article: 3, titre: "t", corps: "c" },
      ]),
    ).toEqual([{ path: "operations[1].article", message: "L'article 3 est déjà supprimé par la modification n° 1" }]);
    expect(
      errors(reference(), [
        { type: "remplacer_article", article: 3, titre: "t", corps: "c" },
        { type: "remplacer_article", article: 3, titre: "u", corps: "d" },
      ])[0].message,
    ).toBe("L'article 3 est déjà remplacé par la modification n° 1");
  });

  it("la convention garde au moins un article", () => {
    const base = { ...reference(), articles: [reference().articles[0]] };
    expect(errors(base, [{ type: "supprimer_article", article: 1 }])).toEqual([{ path: "operations[0].article", message: "La convention doit garder au moins un article" }]);
  });

  it("revalide le résultat : un texte d'article inséré qui casse la convention est refusé sur la modification", () => {
    const e = errors(reference(), [{ type: "inserer_article", apres: 1, titre: "   ", corps: "c" }]);
    expect(e[0].path).toBe("operations[0].titre");
    expect(e[0].message).toMatch(/^Après l'avenant, la convention ne serait plus valide : Le titre de l'article est obligatoire/);
  });
});

describe("applyAvenant : date de fin, échéancier, parties", () => {
  it("change la date de fin, une seule fois, et pas pour la même date", () => {
    expect(ok(reference(), [{ type: "modifier_date_fin", dateFin: "2024-12-31" }]).data.dateFin).toBe("2024-12-31");
    expect(
      errors(reference(), [
        { type: "modifier_date_fin", dateFin: "2024-12-31" },
        { type: "modifier_date_fin", dateFin: "2025-12-31" },
      ]),
    ).toEqual([{ path: "operations[1].dateFin", message: "La date de fin est déjà modifiée par la modification n° 1" }]);
    expect(errors(reference(), [{ type: "modifier_date_fin", dateFin: "2023-02-28" }])).toEqual([{ path: "operations[0].dateFin", message: "La convention prend déjà fin le 28 février 2023" }]);
  });

  it("une date de fin avant la date de début est refusée par la revalidation, sur la modification", () => {
    const base = { ...reference(), debut: { regle: "date" as const, date: "2023-01-01" } };
    const e = errors(base, [{ type: "modifier_date_fin", dateFin: "2022-12-31" }]);
    expect(e).toEqual([{ path: "operations[0].dateFin", message: "Après l'avenant, la convention ne serait plus valide : La date de fin doit suivre la date de début" }]);
  });

  it("ajoute une année à l'échéancier, triée, et refuse une année déjà présente", () => {
    const r = ok(reference(), [
      { type: "ajouter_annee", annee: 2025, ae: 100000, cp: 50000 },
      { type: "ajouter_annee", annee: 2024, ae: 200000, cp: 180000 },
    ]);
    expect(r.data.financement!.echeancier).toEqual([
      { annee: 2023, ae: 150000, cp: 150000 },
      { annee: 2024, ae: 200000, cp: 180000 },
      { annee: 2025, ae: 100000, cp: 50000 },
    ]);
    expect(errors(reference(), [{ type: "ajouter_annee", annee: 2023, ae: 1, cp: 1 }])).toEqual([
      { path: "operations[0].annee", message: "L'année 2023 figure déjà dans l'échéancier : modifiez ses montants plutôt que de l'ajouter" },
    ]);
    expect(
      errors(reference(), [
        { type: "ajouter_annee", annee: 2024, ae: 1, cp: 1 },
        { type: "modifier_montants", annee: 2024, ae: 2, cp: 2 },
      ])[0],
    ).toEqual({ path: "operations[1].annee", message: "L'année 2024 est déjà ajoutée par la modification n° 1" });
  });

  it("modifie les montants d'une année existante ; refuse une année absente, des montants inchangés, des CP au-delà des AE", () => {
    expect(ok(reference(), [{ type: "modifier_montants", annee: 2023, ae: 180000, cp: 170000 }]).data.financement!.echeancier).toEqual([{ annee: 2023, ae: 180000, cp: 170000 }]);
    expect(errors(reference(), [{ type: "modifier_montants", annee: 2030, ae: 1, cp: 1 }])[0].path).toBe("operations[0].annee");
    expect(errors(reference(), [{ type: "modifier_montants", annee: 2023, ae: 150000, cp: 150000 }])).toEqual([
      { path: "operations[0].ae", message: "Les montants de 2023 sont inchangés (AE 150\u00a0000\u00a0€, CP 150\u00a0000\u00a0€)" },
    ]);
    const e = errors(reference(), [{ type: "modifier_montants", annee: 2023, ae: 100000, cp: 150000 }]);
    expect(e[0].path).toBe("operations[0].cp");
    expect(e[0].message).toMatch(/Après l'avenant, la convention ne serait plus valide : Le total des CP \(150\u00a0000\u00a0€\) dépasse le total des AE \(100\u00a0000\u00a0€\)/);
  });

  it("sans partie financière, l'échéancier ne se modifie pas par avenant", () => {
    const { financement: _, ...rest } = reference();
    const base = conventionSchema.parse({ ...rest, requis: [] });
    expect(errors(base, [{ type: "ajouter_annee", annee: 2024, ae: 1, cp: 1 }])[0]).toEqual({
      path: "operations[0].annee",
      message: "La convention ne comporte pas de partie financière : son échéancier ne peut pas être modifié par avenant",
    });
  });

  it("change le représentant, l'adresse d'une partie et la liste des services", () => {
    const r = ok(reference(), [
      { type: "modifier_partie", partie: "delegant", indexDelegataire: 0, representant: { nom: "Jean Dupont", fonction: "Chef du service du numérique" } },
      { type: "modifier_partie", partie: "delegataire", indexDelegataire: 0, adresse: "20 avenue de Ségur 75007 Paris", services: ["Info Parquet", "Mon Suivi Justice", "Rdv Justice"] },
    ]);
    expect(r.data.delegant.representant).toEqual({ nom: "Jean Dupont", fonction: "Chef du service du numérique" });
    expect(r.data.delegataires[0].adresse).toBe("20 avenue de Ségur 75007 Paris");
    expect(r.data.delegataires[0].representant?.nom).toBe("Stéphanie Schaer");
    expect(r.data.services).toEqual(["Info Parquet", "Mon Suivi Justice", "Rdv Justice"]);
  });

  it("refuse un délégataire inconnu, une partie modifiée deux fois, un changement sans effet", () => {
    expect(errors(reference(), [{ type: "modifier_partie", partie: "delegataire", indexDelegataire: 3, adresse: "x" }])).toEqual([{ path: "operations[0].partie", message: "Ce délégataire n'existe pas" }]);
    expect(
      errors(reference(), [
        { type: "modifier_partie", partie: "delegant", indexDelegataire: 0, adresse: "x" },
        { type: "modifier_partie", partie: "delegant", indexDelegataire: 0, adresse: "y" },
      ])[0],
    ).toEqual({ path: "operations[1].partie", message: "Le Ministère de la Justice est déjà modifié par la modification n° 1" });
    expect(errors(reference(), [{ type: "modifier_partie", partie: "delegant", indexDelegataire: 0, adresse: "13 place Vendôme 75001 Paris" }])).toEqual([
      { path: "operations[0].adresse", message: "L'adresse est inchangée" },
    ]);
    expect(errors(reference(), [{ type: "modifier_partie", partie: "delegant", indexDelegataire: 0, services: ["Info Parquet", "Mon Suivi Justice"] }])).toEqual([
      { path: "operations[0].services", message: "La liste des services est inchangée" },
    ]);
    expect(
      errors(reference(), [{ type: "modifier_partie", partie: "delegant", indexDelegataire: 0, representant: { nom: "Anne-Florence Canton", fonction: "Cheffe de Service Numérique" } }]),
    ).toEqual([{ path: "operations[0].representant.nom", message: "Le représentant est inchangé" }]);
  });

  it("le résultat est une convention valide, relue par conventionSchema", () => {
    const r = ok(reference(), [
      { type: "remplacer_article", article: 1, titre: "Objet", corps: "Texte {{ services | liste }}." },
      { type: "ajouter_annee", annee: 2024, ae: 200000, cp: 180000 },
      { type: "modifier_date_fin", dateFin: "2024-12-31" },
    ]);
    expect(conventionSchema.parse(r.data)).toEqual(r.data);
  });
});

describe("avenantSchema et checkAvenantDraft", () => {
  it("un avenant complet est valide", () => {
    const c = checkAvenantDraft(draft());
    expect(c.blocking).toEqual([]);
    expect(c.missing).toEqual([]);
    expect(c.avenant?.numero).toBe(1);
    expect(c.consolidated?.dateFin).toBe("2024-12-31");
    expect(avenantSchema.safeParse(draft()).success).toBe(true);
  });

  it("les champs vides manquent, sans bloquer l'enregistrement", () => {
    const c = checkAvenantDraft(draft({ lieuSignature: "", operations: [], signatures: [] }));
    expect(c.blocking).toEqual([]);
    expect(c.missing.map((e) => e.path).sort()).toEqual(["lieuSignature", "operations", "signatures"]);
    expect(c.missing.find((e) => e.path === "operations")?.message).toBe("Indiquez au moins une modification");
    expect(c.avenant).toBeUndefined();
  });

  it("une modification qui ne s'applique pas bloque, même si d'autres champs manquent encore", () => {
    const c = checkAvenantDraft(draft({ lieuSignature: "", operations: [{ type: "supprimer_article", article: 9 }] }));
    expect(c.blocking).toEqual([{ path: "operations[0].article", message: "L'article 9 n'existe pas dans la version en vigueur de la convention (8 articles)" }]);
    expect(c.missing.map((e) => e.path)).toEqual(["lieuSignature"]);
    const s = avenantSchema.safeParse(draft({ operations: [{ type: "supprimer_article", article: 9 }] }));
    expect(s.success).toBe(false);
    expect(s.error!.issues[0].path).toEqual(["operations", 0, "article"]);
  });

  it("refuse champs inconnus, type inconnu, empreinte mal formée, délégataire signataire inconnu", () => {
    expect(checkAvenantDraft(draft({ pirate: 1 })).blocking[0].path).toBe("pirate");
    expect(checkAvenantDraft(draft({ operations: [{ type: "modifier_date_fin", dateFin: "2024-12-31", x: 1 }] })).blocking[0].path).toBe("operations[0].x");
    expect(checkAvenantDraft(draft({ operations: [{ type: "abroger", article: 1 }] })).blocking[0]).toEqual({ path: "operations[0].type", message: "Type de modification inconnu" });
    expect(checkAvenantDraft(draft({ actesModifies: [{ libelle: "x", sha256: "xyz" }] })).blocking[0].path).toBe("actesModifies[0].sha256");
    expect(checkAvenantDraft(draft({ signatures: [...draft().signatures, { partie: "delegataire", indexDelegataire: 2, libelle: "X,", nom: "Y" }] })).blocking).toEqual([
      { path: "signatures[2].indexDelegataire", message: "Ce délégataire n'existe pas" },
    ]);
    expect(checkAvenantDraft(draft({ operations: [{ type: "modifier_date_fin", dateFin: "2023-02-30" }] })).blocking[0]).toEqual({ path: "operations[0].dateFin", message: "La date n'existe pas" });
    // An operation still empty is incomplete (missing), not wrong.
    expect(checkAvenantDraft(draft({ operations: [{ type: "modifier_partie", partie: "delegant" }] })).missing).toEqual([
      { path: "operations[0].representant.nom", message: "Indiquez au moins un changement : représentant, adresse ou services" },
    ]);
    expect(checkAvenantDraft(draft({ modele: "convention" })).blocking[0].path).toBe("modele");
  });

  it("toutes les parties signent un avenant", () => {
    expect(checkAvenantDraft(draft({ signatures: [draft().signatures[0]] })).blocking).toEqual([
      { path: "signatures", message: "Un avenant est signé par toutes les parties : ajoutez un bloc de signature pour La Direction Interministérielle du Numérique (DINUM)" },
    ]);
  });

  it("borne le nombre de modifications et la taille des textes", () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ type: "inserer_article", apres: 0, titre: `T${i}`, corps: "c" }));
    expect(checkAvenantDraft(draft({ operations: many })).blocking[0]).toEqual({ path: "operations", message: "50 modifications au plus" });
    const long = checkAvenantDraft(draft({ operations: [{ type: "remplacer_article", article: 1, titre: "t", corps: "x".repeat(20_001) }] }));
    expect(long.blocking[0]).toEqual({ path: "operations[0].corps", message: "Le texte de l'article ne peut pas dépasser 20\u202f000 caractères" });
  });

  it("pathSegments relit un chemin", () => {
    expect(pathSegments("operations[2].representant.nom")).toEqual(["operations", 2, "representant", "nom"]);
  });
});

describe("articleCiting", () => {
  it("trouve l'article qui imprime un champ (boucle, champ, condition)", () => {
    const c = reference();
    expect(articleCiting(c, "financement.echeancier")).toBe(5);
    expect(articleCiting(c, "dateFin")).toBe(7);
    expect(articleCiting(c, "preavisMois")).toBe(7);
    expect(articleCiting(c, "services")).toBe(1);
    expect(articleCiting(c, "financement.uo")).toBe(1);
    expect(articleCiting(c, "reconductionTacite")).toBeNull();
    // A word in the text is not a field.
    expect(articleCiting({ articles: [{ titre: "t", corps: "les services associés" }] }, "services")).toBeNull();
    expect(articleCiting({ articles: [{ titre: "t", corps: "{% si services %}x{% fin %}" }] }, "services")).toBe(1);
    expect(articleCiting({ articles: [{ titre: "t", corps: "{{ e.dateFinale }}" }] }, "dateFin")).toBeNull();
  });
});
