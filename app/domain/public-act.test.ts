import { toPublicAct, typeLabel, registerKey } from "./public-act";

const base = {
  titre: "Convention de délégation de gestion",
  nor: "PRMX2212345X",
  delegant: { nom: "Le Ministère de la Justice", adresse: "13 place Vendôme", representant: { nom: "Anne-Florence Canton" } },
  delegataires: [{ nom: "La DINUM" }],
  services: ["Info Parquet"],
  financement: { uo: "0310-SGAL-SSIC", echeancier: [{ annee: 2024, ae: 0.1, cp: 0.2 }, { annee: 2023, ae: 150000, cp: 150000 }] },
  debut: { regle: "signature" },
  dateFin: "2024-12-31",
  preavisMois: 3,
  signatures: [{ partie: "delegant", libelle: "Le Ministère,", nom: "Anne-Florence Canton", fonction: "Cheffe", email: "canton@justice.example" }],
};
const src = { id: "id-1", kind: "convention", parentId: null, avenantNumber: null, reference: "DG-1", title: "Intitulé", status: "en_vigueur", data: base, signedOn: null, startsOn: null, endsOn: null, signatureDates: ["2023-03-02", "2023-03-01"], sha256: "a".repeat(64) };

describe("toPublicAct", () => {
  it("takes what the act states: parties, schedule sorted with exact totals, dates, signatories without e-mail", () => {
    const act = toPublicAct(src)!;
    expect(act.echeancier.map((e) => e.annee)).toEqual([2023, 2024]);
    expect(act.aeTotal).toBe(150000.1);
    expect(act.cpTotal).toBe(150000.2);
    expect(act.dateSignature).toBe("2023-03-02");
    expect(act.dateDebut).toBe("2023-03-02");
    expect(act.dateFin).toBe("2024-12-31");
    expect(act.signataires).toEqual([{ nom: "Anne-Florence Canton", fonction: "Cheffe" }]);
    expect(JSON.stringify(act)).not.toContain("@");
    expect(JSON.stringify(act)).not.toContain("Vendôme");
  });

  it("never projects an act that is not signed", () => {
    for (const status of ["brouillon", "en_signature", "annulee"]) expect(toPublicAct({ ...src, status })).toBeNull();
  });

  it("an avenant shows its own amounts and object, the parties of the convention it modifies", () => {
    const act = toPublicAct({
      ...src,
      kind: "avenant",
      parentId: "parent",
      avenantNumber: 2,
      data: { modele: "avenant", numero: 2, base, objet: "Prolongation", operations: [{ type: "ajouter_annee", annee: 2025, ae: 10, cp: 5 }, { type: "modifier_date_fin", dateFin: "2025-12-31" }], signatures: [] },
    })!;
    expect(act).toMatchObject({ type: "avenant", numeroAvenant: 2, conventionParente: "parent", objet: "Prolongation", delegant: "Le Ministère de la Justice", echeancier: [{ annee: 2025, ae: 10, cp: 5 }], dateDebut: null, dateFin: null });
    expect(typeLabel(act)).toBe("Avenant n°\u00a02");
  });

  it("the register key is the reference only when no other published act shares it", () => {
    expect(registerKey({ reference: "DG-1", identifiant: "id-1" }, true)).toBe("DG-1");
    expect(registerKey({ reference: "DG-1", identifiant: "id-1" }, false)).toBe("id-1");
    expect(registerKey({ reference: null, identifiant: "id-1" }, true)).toBe("id-1");
  });
});
