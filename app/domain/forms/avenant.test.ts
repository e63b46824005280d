import { describe, expect, it } from "vitest";
import { fromFormEntries } from "../form-entries";
import { applyAvenantIntent, avenantBaseView, parseAvenantForm, readAvenantForm } from "./avenant";

const form = (entries: Record<string, string>) => fromFormEntries(Object.entries(entries));

describe("avenant form", () => {
  it("turns the posted strings into operations with numbers, euros and lists", () => {
    const r = parseAvenantForm(
      form({
        objet: " Prolongation ",
        lieuSignature: "Paris",
        "operations[0].type": "remplacer_article",
        "operations[0].article": "7",
        "operations[0].titre": "Durée",
        "operations[0].corps": "La convention prend fin le 31 décembre 2024.",
        "operations[1].type": "ajouter_annee",
        "operations[1].annee": "2024",
        "operations[1].ae": "150 000",
        "operations[1].cp": "120 000,50",
        "operations[2].type": "modifier_date_fin",
        "operations[2].dateFin": "2024-12-31",
        "operations[3].type": "modifier_partie",
        "operations[3].partie": "delegataire:0",
        "operations[3].representant.nom": "Mme Stéphanie Schaer",
        "operations[3].representant.fonction": "",
        "operations[3].services": "Info Parquet\n\nRDVJ",
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        objet: "Prolongation",
        lieuSignature: "Paris",
        operations: [
          { type: "remplacer_article", article: 7, titre: "Durée", corps: "La convention prend fin le 31 décembre 2024." },
          { type: "ajouter_annee", annee: 2024, ae: 150000, cp: 120000.5 },
          { type: "modifier_date_fin", dateFin: "2024-12-31" },
          { type: "modifier_partie", partie: "delegataire", indexDelegataire: 0, representant: { nom: "Mme Stéphanie Schaer", fonction: "" }, services: ["Info Parquet", "RDVJ"] },
        ],
      },
    });
  });

  it("names each bad field by its path, in French", () => {
    const r = parseAvenantForm(
      form({
        lieuSignature: "",
        "operations[0].type": "remplacer_article",
        "operations[0].article": "",
        "operations[0].titre": "Durée",
        "operations[0].corps": " ",
        "operations[1].type": "modifier_date_fin",
        "operations[1].dateFin": "2024-02-30",
        "operations[2].type": "ajouter_annee",
        "operations[2].annee": "2024",
        "operations[2].ae": "beaucoup",
        "operations[2].cp": "1",
        "operations[3].type": "modifier_partie",
        "operations[3].partie": "delegant",
      }),
    );
    expect(r.ok).toBe(false);
    const errors = Object.fromEntries((r as { errors: { path: string; message: string }[] }).errors.map((e) => [e.path, e.message]));
    expect(errors).toMatchObject({
      lieuSignature: "Le lieu de signature est obligatoire",
      "operations[0].article": "Choisissez l'article à remplacer",
      "operations[0].corps": "Le texte de l'article est obligatoire",
      "operations[1].dateFin": "La date n'existe pas",
      "operations[2].ae": expect.stringContaining("Le montant doit être un nombre"),
      "operations[3].representant.nom": "Indiquez au moins un changement : représentant, adresse ou services",
    });
  });

  it("refuses an avenant without any operation, an unknown type and an unknown field", () => {
    expect(parseAvenantForm(form({ lieuSignature: "Paris" }))).toEqual({ ok: false, errors: [{ path: "operations", message: "Ajoutez au moins une modification" }] });
    const unknown = parseAvenantForm(form({ lieuSignature: "Paris", "operations[0].type": "tout_changer" }));
    expect(unknown.ok === false && unknown.errors[0]).toEqual({ path: "operations[0].type", message: "Type de modification inconnu" });
    const extra = parseAvenantForm(form({ lieuSignature: "Paris", "operations[0].type": "supprimer_article", "operations[0].article": "2", "operations[0].bcc": "x" }));
    expect(extra.ok === false && extra.errors[0].path).toBe("operations[0].bcc");
  });

  it("adds, moves and removes operations with submit buttons", () => {
    let draft = readAvenantForm({ objet: "", lieuSignature: "Paris", operations: [] });
    const added = applyAvenantIntent(draft, "ajouter:ajouter_annee", { lastYear: 2023 })!;
    expect(added.draft.operations).toEqual([{ type: "ajouter_annee", annee: "2024", ae: "", cp: "" }]);
    expect(added.focus).toBe("operations[0].annee");
    draft = applyAvenantIntent(added.draft, "ajouter:supprimer_article")!.draft;
    draft = applyAvenantIntent(draft, "monter:operations:1")!.draft;
    expect(draft.operations.map((o) => o.type)).toEqual(["supprimer_article", "ajouter_annee"]);
    draft = applyAvenantIntent(draft, "supprimer:operations:0")!.draft;
    expect(draft.operations.map((o) => o.type)).toEqual(["ajouter_annee"]);
    expect(applyAvenantIntent(draft, "ajouter:nimporte")).toBeNull();
    expect(applyAvenantIntent(draft, "supprimer:operations:5")).toBeNull();
    expect(applyAvenantIntent(draft, "monter:operations:0")).toBeNull();
  });

  it("shows stored operations again as the form's strings", () => {
    const draft = readAvenantForm({
      objet: "x",
      lieuSignature: "Paris",
      operations: [
        { type: "ajouter_annee", annee: 2024, ae: 150000.5, cp: 1 },
        { type: "modifier_partie", partie: "delegataire", indexDelegataire: 1, representant: { nom: "A", fonction: "B" }, services: ["S1", "S2"] },
      ],
    });
    expect(draft.operations).toEqual([
      { type: "ajouter_annee", annee: "2024", ae: "150000,5", cp: "1" },
      { type: "modifier_partie", partie: "delegataire:1", "representant.nom": "A", "representant.fonction": "B", adresse: "", services: "S1\nS2" },
    ]);
  });

  it("shows the base convention's articles numbered from 1, its schedule, end date, services and parties", () => {
    const view = avenantBaseView({
      articles: [{ titre: "Objet", corps: "Texte 1" }, { titre: "Durée", corps: "Texte 2" }],
      financement: { echeancier: [{ annee: 2023, ae: 100, cp: 90 }] },
      dateFin: "2023-12-31",
      services: ["Info Parquet"],
      delegant: { nom: "Le Ministère de la Justice", representant: { nom: "Mme Canton", fonction: "Cheffe" }, adresse: "13 place Vendôme" },
      delegataires: [{ nom: "La DINUM" }],
    });
    expect(view).toEqual({
      articles: [
        { numero: 1, titre: "Objet", corps: "Texte 1" },
        { numero: 2, titre: "Durée", corps: "Texte 2" },
      ],
      echeancier: [{ annee: 2023, ae: 100, cp: 90 }],
      dateFin: "2023-12-31",
      services: ["Info Parquet"],
      parties: [
        { value: "delegant", nom: "Le Ministère de la Justice", representant: "Mme Canton, Cheffe", adresse: "13 place Vendôme" },
        { value: "delegataire:0", nom: "La DINUM", representant: "", adresse: "" },
      ],
    });
    expect(avenantBaseView(null)).toEqual({ articles: [], echeancier: [], dateFin: null, services: [], parties: [{ value: "delegant", nom: "delegant", representant: "", adresse: "" }] });
  });
});
