import fs from "node:fs";
import { fromFormEntries } from "./form-entries";
import { conventionSchema, formatEuros, formatMontant, listErrors, nombreEnLettres, parseMontantCentimes, parseMontantEuros, validateConvention, formatDateLongue, titreArticle } from "./convention";

const reference = JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8"));

describe("montants en français", () => {
  it("lit « 150 000 », « 150 000,50 € » et les nombres", () => {
    expect(parseMontantCentimes("150 000")).toBe(15_000_000);
    expect(parseMontantCentimes("150\u00a0000,50 €")).toBe(15_000_050);
    expect(parseMontantCentimes("150\u202f000,5")).toBe(15_000_050);
    expect(parseMontantEuros("1 234,56")).toBe(1234.56);
    expect(parseMontantEuros(42)).toBe(42);
    expect(parseMontantEuros("douze")).toBeNull();
    expect(parseMontantEuros("-5")).toBeNull();
    expect(parseMontantEuros("1,234")).toBeNull();
  });
  it("formate avec des espaces insécables", () => {
    expect(formatMontant(150000)).toBe("150\u00a0000");
    expect(formatMontant(120000.5)).toBe("120\u00a0000,50");
    expect(formatEuros(1500)).toBe("1\u00a0500\u00a0€");
    expect(parseMontantEuros(formatEuros(987654.32))).toBe(987654.32);
  });
  it("dates et nombres en lettres", () => {
    expect(formatDateLongue("2023-02-28")).toBe("28 février 2023");
    expect(formatDateLongue("2023-03-01")).toBe("1er mars 2023");
    expect(nombreEnLettres(3)).toBe("trois");
    expect(nombreEnLettres(21)).toBe("vingt et un");
    expect(nombreEnLettres(12)).toBe("douze");
  });
  it("numérote les articles selon le style", () => {
    expect(titreArticle("article-deux-points", 1, "Objet")).toBe("Article 1 : Objet");
    expect(titreArticle("article-er", 1, "Objet")).toBe("Article 1er – Objet");
    expect(titreArticle("article-er", 2, "Objet")).toBe("Article 2 – Objet");
    expect(titreArticle("decimale", 2, "Objet")).toBe("2. Objet");
  });
});

describe("schéma de la convention", () => {
  it("valide les quatre exemples", () => {
    // (The avenant-* and resiliation-* examples have their own schemas: app/templates/acts.test.ts.)
    for (const f of fs.readdirSync("templates/examples").filter((f) => /^convention.*\.json$/.test(f))) {
      const r = validateConvention(JSON.parse(fs.readFileSync(`templates/examples/${f}`, "utf8")));
      expect(r.ok, f).toBe(true);
    }
  });
  it("donne des messages en français avec le chemin du champ", () => {
    const bad = structuredClone(reference);
    bad.financement.uo = "310-SGAL";
    bad.delegataires[0].alias = [];
    bad.financement.chorus.domaineFonctionnel = "0310";
    bad.financement.echeancier[0].ae = "cent mille";
    bad.signatures[0].email = "pas-une-adresse";
    bad.dateFin = "2023-02-30";
    const r = validateConvention(bad);
    expect(r.ok).toBe(false);
    const errors = Object.fromEntries((r as { errors: { path: string; message: string }[] }).errors.map((e) => [e.path, e.message]));
    expect(errors["financement.uo"]).toBe("Le code UO doit avoir la forme 0310-SGAL-SSIC");
    expect(errors["delegataires[0].alias"]).toMatch(/dénomination/);
    expect(errors["financement.chorus.domaineFonctionnel"]).toMatch(/0310-09-03/);
    expect(errors["financement.echeancier[0].ae"]).toMatch(/150 000/);
    expect(errors["signatures[0].email"]).toMatch(/adresse électronique/);
    expect(errors["dateFin"]).toMatch(/n'existe pas/);
  });
  it("accepte les champs d'un formulaire (textes, montants français)", () => {
    const entries: [string, string][] = [
      ["financement.uo", "0310-sgal-ssic"],
      ["financement.echeancier[0].annee", "2024"],
      ["financement.echeancier[0].ae", "150 000"],
      ["financement.echeancier[0].cp", "75 000,50"],
      ["preavisMois", "3"],
    ];
    const form = fromFormEntries(entries) as any;
    const data = { ...reference, financement: { ...reference.financement, ...form.financement }, preavisMois: form.preavisMois };
    const c = conventionSchema.parse(data);
    expect(c.financement!.uo).toBe("0310-SGAL-SSIC");
    expect(c.financement!.echeancier[0]).toEqual({ annee: 2024, ae: 150000, cp: 75000.5 });
    expect(c.preavisMois).toBe(3);
  });
  it("refuse une année en double", () => {
    const bad = structuredClone(reference);
    bad.financement.echeancier = [{ annee: 2023, ae: 10, cp: 5 }, { annee: 2023, ae: 1, cp: 1 }];
    const r = conventionSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(listErrors(r.error!).map((e) => e.path)).toContain("financement.echeancier[1].annee");
  });
  it("échéancier pluriannuel : les CP d'une année peuvent dépasser ses AE, pas le total des CP le total des AE", () => {
    const ok = structuredClone(reference);
    // 2024 pays commitments made in 2023: CP above that year's AE, totals equal.
    ok.financement.echeancier = [{ annee: 2023, ae: 100000, cp: 40000 }, { annee: 2024, ae: 20000, cp: 80000 }];
    expect(conventionSchema.safeParse(ok).success).toBe(true);
    const bad = structuredClone(reference);
    bad.financement.echeancier = [{ annee: 2023, ae: 100000, cp: 40000 }, { annee: 2024, ae: 20000, cp: 80000.5 }];
    const r = conventionSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(listErrors(r.error!)).toEqual([
      { path: "financement.echeancier", message: "Le total des CP (120\u00a0000,50\u00a0€) dépasse le total des AE (120\u00a0000\u00a0€) : les CP d'une année peuvent dépasser ses AE, mais pas sur l'ensemble de l'échéancier" },
    ]);
  });
  it("refuse les champs inconnus en nommant leur chemin", () => {
    const bad = structuredClone(reference);
    bad.delegant.telephone = "01 02 03 04 05";
    bad.financement.chorus.activites[0].commentaire = "x";
    bad.signatures[1].courriel = "a@b.fr";
    bad.titre_ = "faute de frappe";
    const r = conventionSchema.safeParse(bad);
    expect(r.success).toBe(false);
    const errors = listErrors(r.error!);
    expect(errors.map((e) => e.path).sort()).toEqual(["delegant.telephone", "financement.chorus.activites[0].commentaire", "signatures[1].courriel", "titre_"]);
    expect(errors.find((e) => e.path === "delegant.telephone")!.message).toMatch(/^Champ inconnu « telephone »/);
  });
  it("sans partie financière, sans échéancier et sans date de fin (durée indéterminée)", () => {
    const { financement, dateFin, ...rest } = structuredClone(reference);
    const c = conventionSchema.parse(rest);
    expect(c.financement).toBeUndefined();
    expect(c.dateFin).toBeUndefined();
    const sansEcheancier = conventionSchema.parse({ ...rest, financement: { uo: financement.uo } });
    expect(sansEcheancier.financement).toEqual({ uo: "0310-SGAL-SSIC", echeancier: [] });
  });
  it("applique les valeurs par défaut (préavis de trois mois, début à la signature)", () => {
    const { preavisMois, debut, ...rest } = reference;
    const c = conventionSchema.parse(rest);
    expect(c.preavisMois).toBe(3);
    expect(c.debut).toEqual({ regle: "signature" });
  });
});
