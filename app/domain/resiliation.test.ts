import fs from "node:fs";
import { conventionSchema } from "./convention";
import { checkResiliationDraft, partieNotifianteNom, resiliationSchema } from "./resiliation";

const reference = () => conventionSchema.parse(JSON.parse(fs.readFileSync("templates/examples/convention-justice-dinum-2022.json", "utf8")));
const delegant = { partie: "delegant", libelle: "Le Ministère de la Justice,", nom: "Anne-Florence Canton" };
const dinum = { partie: "delegataire", indexDelegataire: 0, libelle: "La DINUM,", nom: "Stéphanie Schaer" };

const notice = (over: Record<string, unknown> = {}) => ({
  modele: "resiliation",
  base: reference(),
  baseSigneeLe: "2022-12-19",
  partieNotifiante: "delegant",
  indexDelegataire: 0,
  motif: "Les services accompagnés sont repris en interne.",
  communAccord: false,
  lieuSignature: "Paris",
  signatures: [delegant],
  ...over,
});

describe("notification de résiliation", () => {
  it("une résiliation unilatérale du délégant, signée par lui seul, est valide", () => {
    const c = checkResiliationDraft(notice());
    expect(c).toEqual({ blocking: [], missing: [], resiliation: expect.objectContaining({ partieNotifiante: "delegant", communAccord: false, actesModifies: [] }) });
    expect(partieNotifianteNom(c.resiliation!)).toBe("Le Ministère de la Justice");
    expect(resiliationSchema.safeParse(notice()).success).toBe(true);
  });

  it("le motif est obligatoire (manquant, pas bloquant)", () => {
    const c = checkResiliationDraft(notice({ motif: "  " }));
    expect(c.blocking).toEqual([]);
    expect(c.missing).toEqual([{ path: "motif", message: "Le motif de la résiliation est obligatoire" }]);
    expect(c.resiliation).toBeUndefined();
  });

  it("unilatérale : l'autre partie ne signe pas", () => {
    expect(checkResiliationDraft(notice({ signatures: [delegant, dinum] })).blocking).toEqual([
      { path: "signatures[1].partie", message: "Une résiliation unilatérale est signée par la seule partie qui la notifie (Le Ministère de la Justice)" },
    ]);
    expect(checkResiliationDraft(notice({ partieNotifiante: "delegataire", signatures: [dinum] })).blocking).toEqual([]);
  });

  it("d'un commun accord : toutes les parties signent", () => {
    expect(checkResiliationDraft(notice({ communAccord: true, signatures: [delegant, dinum] })).blocking).toEqual([]);
    expect(checkResiliationDraft(notice({ communAccord: true })).blocking).toEqual([
      { path: "signatures", message: "Une résiliation d'un commun accord est signée par toutes les parties : ajoutez un bloc de signature pour La Direction Interministérielle du Numérique (DINUM)" },
    ]);
  });

  it("la date d'effet demandée est facultative, existe, et ne dépasse pas la fin de la convention", () => {
    expect(checkResiliationDraft(notice({ dateEffetDemandee: "" })).resiliation?.dateEffetDemandee).toBeUndefined();
    expect(checkResiliationDraft(notice({ dateEffetDemandee: "2023-01-31" })).resiliation?.dateEffetDemandee).toBe("2023-01-31");
    expect(checkResiliationDraft(notice({ dateEffetDemandee: "2023-02-30" })).blocking).toEqual([{ path: "dateEffetDemandee", message: "La date n'existe pas" }]);
    expect(checkResiliationDraft(notice({ dateEffetDemandee: "2023-03-01" })).blocking).toEqual([
      { path: "dateEffetDemandee", message: "La date d'effet demandée est postérieure à la fin de la convention (28 février 2023) : la convention aura déjà pris fin" },
    ]);
  });

  it("refuse un délégataire inconnu, un champ inconnu, une partie inconnue", () => {
    expect(checkResiliationDraft(notice({ partieNotifiante: "delegataire", indexDelegataire: 4, signatures: [{ ...dinum, indexDelegataire: 4 }] })).blocking).toEqual([
      { path: "partieNotifiante", message: "Ce délégataire n'existe pas" },
      { path: "signatures[0].indexDelegataire", message: "Ce délégataire n'existe pas" },
    ]);
    expect(checkResiliationDraft(notice({ dateEffet: "2023-01-01" })).blocking[0].path).toBe("dateEffet");
    expect(checkResiliationDraft(notice({ partieNotifiante: "cbcm" })).blocking[0]).toEqual({ path: "partieNotifiante", message: "Choisissez la partie qui notifie la résiliation" });
    expect(checkResiliationDraft(notice({ motif: "x".repeat(5001) })).blocking[0].path).toBe("motif");
  });
});
