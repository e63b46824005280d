/**
 * Avenants and termination notices: the examples of templates/examples rendered to PDF and read
 * back by pdftotext (the administration's wording, the numbers, the signature boxes), and the
 * view's rules (articles cited, renumbering, parties).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { renderDocument } from "../pdf/rendering/render";
import { actProblems, aPartie, avenantsPrecedents, buildActDocument, dePartie, enMinuscule } from "./acts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-acts-"));
const example = (name: string) => JSON.parse(fs.readFileSync(`templates/examples/${name}.json`, "utf8"));

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  expect(r.stderr, `${cmd} ${args.join(" ")}`).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

let count = 0;
async function render(data: unknown) {
  const r = await renderDocument(buildActDocument(data), { creationDate: new Date("2026-01-01T00:00:00Z") });
  const file = path.join(dir, `act-${++count}.pdf`);
  fs.writeFileSync(file, r.pdf);
  expect(tool("qpdf", ["--check", file])).toMatch(/No syntax or stream encoding errors/);
  if (process.env.PARAPHE_PNG_DIR) tool("pdftoppm", ["-png", "-r", "60", file, path.join(process.env.PARAPHE_PNG_DIR, `act-${count}`)]);
  // Page footers out, so that a sentence cut by a page break reads on.
  const text = tool("pdftotext", [file, "-"]).replace(/[\u00a0\u202f]/g, " ").replace(/^Page \d+ \/ \d+$/gm, "");
  // Table rows read line by line in the layout mode (the plain mode groups columns).
  const layout = tool("pdftotext", ["-layout", file, "-"]).replace(/[\u00a0\u202f]/g, " ");
  return { r, text, layout, flat: text.replace(/\s+/g, " ") };
}

const avenant = (over: Record<string, unknown> = {}) => ({ ...example("avenant-justice-dinum-2022"), ...over });
const notice = (over: Record<string, unknown> = {}) => ({ ...example("resiliation-justice-dinum-2022"), ...over });

describe("avenant de l'exemple (convention de référence)", () => {
  it("se lit comme un avenant : titre, parties, visas, un article par modification, stipulations inchangées, signatures", async () => {
    const { flat, r, layout } = await render(avenant());
    expect(layout).toMatch(/^\s*Année\s+AE\s+CP\s*\n\s*2024\s+200 000 €\s+180 000 €\s*$/m);
    const order = [
      "Avenant n° 1 à la convention de délégation de gestion",
      "conclue entre le Ministère de la Justice et la Direction Interministérielle du Numérique (DINUM), signée le 19 décembre 2022",
      "Entre Le Ministère de la Justice Adresse : 13 place Vendôme 75001 Paris Représentée par Anne-Florence Canton, Cheffe de Service Numérique Ci-après dénommée « le délégant »",
      "Vu le décret 2004-1085 du 14 octobre 2004",
      "Vu la convention de délégation de gestion signée le 19 décembre 2022,",
      "Préambule Le présent avenant a pour objet de prolonger la convention jusqu'au 31 décembre 2024",
      "Il a été convenu ce qui suit :",
      "Article 1er L'article 1er de la convention est remplacé par les dispositions suivantes : « Article 1 : Objet de la délégation La présente convention",
      "l'accompagnement des services numériques Info Parquet et Mon Suivi Justice, ainsi que l'accélération",
      "à renseigner dans CHORUS. »",
      "Article 2 Le tableau de l'article 5 de la convention est complété par la ligne suivante :",
      "Article 3 À l'article 7 de la convention, la date du 28 février 2023 est remplacée par celle du 31 décembre 2024.",
      "Article 4 Les autres stipulations de la convention demeurent inchangées.",
      "Le présent avenant prend effet à la date de sa signature par la dernière des parties.",
      "Fait à Paris, en deux exemplaires,",
      "Le Ministère de la Justice, Anne-Florence Canton",
      "La DINUM, Stéphanie Schaer",
    ];
    let at = 0;
    for (const s of order) {
      const found = flat.indexOf(s, at);
      expect(found, s).toBeGreaterThanOrEqual(at);
      at = found + s.length;
    }
    expect(flat).not.toMatch(/renumérot|deviennent/);
    expect(r.boxes.map((b) => [b.partyLabel, b.signatory.name])).toEqual([
      ["Le Ministère de la Justice,", "Anne-Florence Canton"],
      ["La DINUM,", "Stéphanie Schaer"],
    ]);
  });

  it("porte ses métadonnées", () => {
    const doc = buildActDocument(avenant());
    expect(doc.meta.title).toBe("Avenant n° 1 à la convention de délégation de gestion – Le Ministère de la Justice / La Direction Interministérielle du Numérique (DINUM)");
    expect(doc.blocMarque).toBe(true);
  });
});

describe("avenant : chaque forme de modification", () => {
  const ops = [
    { type: "inserer_article", apres: 4, titre: "Comité de suivi", corps: "Un comité de suivi réunit les parties deux fois par an jusqu'au {{ dateFin | date }}." },
    { type: "supprimer_article", article: 8 },
    { type: "modifier_montants", annee: 2023, ae: 180000, cp: 160000 },
    { type: "modifier_partie", partie: "delegant", indexDelegataire: 0, representant: { nom: "Jean Dupont", fonction: "chef du service du numérique" } },
    { type: "modifier_partie", partie: "delegataire", indexDelegataire: 0, adresse: "20 avenue de Ségur 75007 Paris", services: ["Info Parquet", "Mon Suivi Justice", "Rdv Justice"] },
    { type: "modifier_date_fin", dateFin: "2024-06-30" },
  ];

  it("insertion, suppression, renumérotation, montants, représentant, adresse, services", async () => {
    const { flat, r, layout } = await render(avenant({ numero: 2, operations: ops, objet: "" }));
    expect(layout).toMatch(/^\s*2023\s+180 000 €\s+160 000 €\s*$/m);
    expect(flat).toContain("Avenant n° 2 à la convention de délégation de gestion");
    expect(flat).toContain("Vu la convention de délégation de gestion signée le 19 décembre 2022, modifiée par l'avenant n° 1,");
    expect(flat).not.toContain("Préambule");
    expect(flat).toContain(
      "Article 1er Après l'article 4 de la convention, il est inséré un nouvel article 5 ainsi rédigé : « Article 5 : Comité de suivi Un comité de suivi réunit les parties deux fois par an jusqu'au 30 juin 2024. »",
    );
    expect(flat).toContain("Article 2 L'article 8 de la convention (« Publication de la délégation ») est supprimé.");
    expect(flat).toContain(
      "Article 3 Dans le tableau de l'article 5 de la convention, la ligne relative à l'année 2023 (AE : 150 000 € ; CP : 150 000 €) est remplacée par la ligne suivante :",
    );
    expect(flat).toContain("Article 4 Le Ministère de la Justice est désormais représentée par Jean Dupont, chef du service du numérique, en remplacement d'Anne-Florence Canton, Cheffe de Service Numérique.");
    expect(flat).toContain(
      "Article 5 L'adresse de la Direction Interministérielle du Numérique (DINUM), « 20 avenue de Ségur – TSA 30 719 75 334 PARIS Cedex 07 », est remplacée par la suivante : « 20 avenue de Ségur 75007 Paris ».",
    );
    expect(flat).toContain(
      "À l'article 1er de la convention, la liste des services numériques concernés, « Info Parquet et Mon Suivi Justice », est remplacée par la suivante : « Info Parquet, Mon Suivi Justice et Rdv Justice ».",
    );
    expect(flat).toContain("Article 6 À l'article 7 de la convention, la date du 28 février 2023 est remplacée par celle du 30 juin 2024.");
    expect(flat).toContain("Article 7 Compte tenu des dispositions qui précèdent, les articles 5 à 7 de la convention deviennent respectivement les articles 6 à 8.");
    expect(flat).toContain("Article 8 Les autres stipulations de la convention demeurent inchangées.");
    // The parties read as they are after the avenant: the new representative signs it.
    expect(flat).toContain("Représentée par Jean Dupont, chef du service du numérique");
    expect(r.boxes).toHaveLength(2);
  });

  it("cite en note l'empreinte SHA-256 de chaque acte modifié", async () => {
    const actesModifies = [
      { libelle: "Convention signée le 19 décembre 2022", sha256: "ab".repeat(32) },
      { libelle: "Avenant n° 1 signé le 3 mars 2024", sha256: "cd".repeat(32) },
    ];
    const { flat } = await render(avenant({ numero: 2, actesModifies }));
    expect(flat).toMatch(/modifiée par l'avenant n° 1¹,/);
    expect(flat).toMatch(/¹ Empreintes SHA-256 des actes signés que modifie le présent avenant : Convention signée le 19 décembre 2022 : (ab){32} ; Avenant n° 1 signé le 3 mars 2024 : (cd){32}\./);
  });

  it("date de fin dans un article remplacé par le même avenant, ou sans date de fin : autre formule", async () => {
    const base = example("convention-justice-dinum-2022");
    const replaced = await render(
      avenant({
        operations: [
          { type: "remplacer_article", article: 7, titre: "Durée", corps: "La présente convention est conclue jusqu'au {{ dateFin | date }}." },
          { type: "modifier_date_fin", dateFin: "2024-12-31" },
        ],
      }),
    );
    expect(replaced.flat).toContain("« Article 7 : Durée La présente convention est conclue jusqu'au 31 décembre 2024. »");
    expect(replaced.flat).toContain("La date de fin de la convention, fixée au 28 février 2023, est remplacée par celle du 31 décembre 2024.");
    const { dateFin: _, ...openEnded } = base;
    const open = await render(
      avenant({
        base: { ...openEnded, requis: [], articles: base.articles.map((a: any, i: number) => (i === 6 ? { ...a, corps: "Durée indéterminée." } : a)) },
        operations: [{ type: "modifier_date_fin", dateFin: "2027-12-31" }],
      }),
    );
    expect(open.flat).toContain("La convention, conclue pour une durée indéterminée, prend fin le 31 décembre 2027.");
  });

  it("une année ajoutée quand aucun article n'imprime l'échéancier ; l'ajout en tête d'articles", async () => {
    const base = example("convention-justice-dinum-2022");
    base.articles[4].corps = "Les crédits sont mis à disposition selon l'échéancier annexé.";
    const { flat, layout } = await render(
      avenant({
        base,
        operations: [
          { type: "ajouter_annee", annee: 2024, ae: 1000.5, cp: 0 },
          { type: "inserer_article", apres: 0, titre: "Définitions", corps: "- **UO** : unité opérationnelle ;\n- **AE** : autorisations d'engagement." },
        ],
      }),
    );
    expect(flat).toContain("Article 1er L'échéancier de la convention est complété par la ligne suivante :");
    expect(layout).toMatch(/^\s*2024\s+1 000,50 €\s+0\s*€\s*$/m);
    expect(flat).toContain("Article 2 Avant l'article 1er de la convention, il est inséré un nouvel article 1er ainsi rédigé : « Article 1 : Définitions • UO : unité opérationnelle ; • AE : autorisations d'engagement. »");
    expect(flat).toContain("Article 3 Compte tenu des dispositions qui précèdent, les articles 1er à 8 de la convention deviennent respectivement les articles 2 à 9.");
  });

  it("un texte saisi reste du texte (ni balisage ni HTML dans les champs)", async () => {
    const { flat } = await render(avenant({ objet: "**gras** <script>alert(1)</script> [x](javascript:alert(1))" }));
    expect(flat).toContain("**gras** <script>alert(1)</script> [x](javascript:alert(1))");
  });
});

describe("notification de résiliation", () => {
  it("l'exemple : notification unilatérale du délégant, préavis de l'article 7, une signature", async () => {
    const { flat, r } = await render(notice());
    const order = [
      "Notification de résiliation de la convention de délégation de gestion",
      "conclue entre le Ministère de la Justice et la Direction Interministérielle du Numérique (DINUM), signée le 19 décembre 2022",
      "Expéditeur : Le Ministère de la Justice, 13 place Vendôme 75001 Paris",
      "Destinataire : La Direction Interministérielle du Numérique (DINUM), 20 avenue de Ségur",
      "Vu la convention de délégation de gestion signée le 19 décembre 2022, et notamment son article 7,",
      "Le Ministère de la Justice, représentée par Anne-Florence Canton, Cheffe de Service Numérique, notifie à la Direction Interministérielle du Numérique (DINUM) sa décision de mettre fin à la convention de délégation de gestion susvisée.",
      "Motif. Le ministère de la Justice reprend en interne",
      "Date d'effet. Conformément à l'article 7 de la convention, il peut être mis fin à tout moment à la délégation de gestion par l'une des parties, sous réserve du respect d'un préavis de trois mois.",
      "La résiliation prend effet à l'expiration du préavis, soit trois mois après la date de signature de la présente notification, qui vaut date de notification.",
      "elle prend effet le dernier jour de ce mois.",
      "Une copie du présent acte est adressée au contrôleur budgétaire et comptable ministériel de chacune des parties.",
      "Fait à Paris,",
      "Le Ministère de la Justice, Anne-Florence Canton",
    ];
    let at = 0;
    for (const s of order) {
      const found = flat.indexOf(s, at);
      expect(found, s).toBeGreaterThanOrEqual(at);
      at = found + s.length;
    }
    expect(r.pageCount).toBe(1);
    expect(r.boxes.map((b) => b.signatory.name)).toEqual(["Anne-Florence Canton"]);
  });

  it("date d'effet demandée, préavis nul", async () => {
    const later = await render(notice({ dateEffetDemandee: "2023-02-15" }));
    expect(later.flat).toContain("La résiliation prend effet le 15 février 2023. Si la présente notification est signée moins de trois mois avant cette date, la résiliation prend effet à l'expiration du préavis, soit trois mois après la date de sa signature.");
    const base = { ...example("convention-justice-dinum-2022"), preavisMois: 0 };
    const none = await render(notice({ base }));
    expect(none.flat).toContain("La convention ne prévoyant pas de préavis, la résiliation prend effet à la date de signature de la présente notification.");
  });

  it("d'un commun accord : les deux parties, sans préavis, deux signatures", async () => {
    const both = example("convention-justice-dinum-2022").signatures;
    const { flat, r } = await render(notice({ communAccord: true, signatures: both }));
    expect(flat).toContain("Résiliation d'un commun accord de la convention de délégation de gestion");
    expect(flat).toContain(
      "Entre : Le Ministère de la Justice, 13 place Vendôme 75001 Paris, représentée par Anne-Florence Canton, Cheffe de Service Numérique, ci-après dénommée « le délégant », et La Direction Interministérielle du Numérique (DINUM), 20 avenue de Ségur",
    );
    expect(flat).toContain("ci-après dénommée « le délégataire » ou « la DINUM », Vu le décret");
    expect(flat).toContain("Les parties conviennent d'un commun accord de mettre fin à la convention de délégation de gestion susvisée.");
    expect(flat).toContain("La résiliation prend effet, sans préavis, à la date de signature du présent acte par la dernière des parties.");
    expect(flat).toContain("Fait à Paris, en deux exemplaires,");
    expect(flat).not.toContain("Expéditeur");
    expect(r.boxes).toHaveLength(2);
    expect(r.pageCount).toBe(1);
  });

  it("notifiée par le délégataire", async () => {
    const dinum = example("convention-justice-dinum-2022").signatures[1];
    const { flat } = await render(notice({ partieNotifiante: "delegataire", signatures: [dinum] }));
    expect(flat).toContain("Expéditeur : La Direction Interministérielle du Numérique (DINUM)");
    expect(flat).toContain("La Direction Interministérielle du Numérique (DINUM), représentée par Stéphanie Schaer, Directrice interministérielle du numérique, notifie au Ministère de la Justice sa décision");
  });
});

describe("dispatch et problèmes", () => {
  it("buildActDocument rend aussi une convention, selon data.modele", () => {
    const doc = buildActDocument(example("convention-justice-dinum-2022"));
    expect(doc.meta.subject).toMatch(/^Convention de délégation de gestion/);
  });

  it("actProblems : champs manquants, modification impossible, texte qui ne se rend pas", () => {
    expect(actProblems(avenant())).toEqual([]);
    expect(actProblems(notice())).toEqual([]);
    expect(actProblems(notice({ motif: "" }))).toEqual([{ path: "motif", message: "Le motif de la résiliation est obligatoire" }]);
    expect(actProblems(avenant({ operations: [{ type: "supprimer_article", article: 20 }] }))).toEqual([
      { path: "operations[0].article", message: "L'article 20 n'existe pas dans la version en vigueur de la convention (8 articles)" },
    ]);
    const p = actProblems(avenant({ operations: [{ type: "inserer_article", apres: 1, titre: "T", corps: "Texte {{ delegant.telephone }}." }] }));
    expect(p).toEqual([{ path: "operations[0].corps", message: "operations[0].corps, ligne 1 : champ inconnu (delegant.telephone)" }]);
  });
});

describe("français des vues", () => {
  it("articles contractés et minuscules", () => {
    expect(enMinuscule("Le Ministère de la Justice")).toBe("le Ministère de la Justice");
    expect(enMinuscule("L'Agence nationale")).toBe("l'Agence nationale");
    expect(enMinuscule("Lesieur")).toBe("Lesieur");
    expect(dePartie("Le Ministère de la Justice")).toBe("du Ministère de la Justice");
    expect(dePartie("La DINUM")).toBe("de la DINUM");
    expect(dePartie("Les services du Premier ministre")).toBe("des services du Premier ministre");
    expect(dePartie("L'Agence")).toBe("de l'Agence");
    expect(dePartie("Anne-Florence Canton")).toBe("d'Anne-Florence Canton");
    expect(dePartie("Jean Dupont")).toBe("de Jean Dupont");
    expect(aPartie("Le Ministère de la Justice")).toBe("au Ministère de la Justice");
    expect(aPartie("La DINUM")).toBe("à la DINUM");
    expect(aPartie("Les services du Premier ministre")).toBe("aux services du Premier ministre");
    expect(aPartie("L'Agence")).toBe("à l'Agence");
    expect(avenantsPrecedents(1)).toBe("");
    expect(avenantsPrecedents(2)).toBe("l'avenant n° 1");
    expect(avenantsPrecedents(3)).toBe("les avenants n° 1 et 2");
    expect(avenantsPrecedents(5)).toBe("les avenants n° 1 à 4");
  });
});
