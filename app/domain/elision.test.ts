import { a, avecArticle, de, elides, enMinuscule, le } from "./elision";

describe("elision and contraction before a name", () => {
  it("« de » elides before a vowel or a mute h, accents included", () => {
    expect(de("Anne-Florence Canton")).toBe("d'Anne-Florence Canton");
    expect(de("Émilie Roux")).toBe("d'Émilie Roux");
    expect(de("Hélène Martin")).toBe("d'Hélène Martin");
    expect(de("Incubateur de la Justice")).toBe("d'Incubateur de la Justice");
    expect(de("Marc Lemaire")).toBe("de Marc Lemaire");
    expect(de("  Yves Durand ")).toBe("d'Yves Durand");
  });

  it("« de » keeps an aspirated h", () => {
    expect(elides("Haut-Commissariat au Plan")).toBe(false);
    expect(de("Haut-Commissariat au Plan")).toBe("de Haut-Commissariat au Plan");
  });

  it("« de » contracts with the name's own article", () => {
    expect(de("Le Ministère de la Justice")).toBe("du Ministère de la Justice");
    expect(de("La DINUM")).toBe("de la DINUM");
    expect(de("Les services du Premier ministre")).toBe("des services du Premier ministre");
    expect(de("L'Agence nationale")).toBe("de l'Agence nationale");
    expect(de("Lesieur")).toBe("de Lesieur");
  });

  it("« le » elides before a vowel and keeps an article the name already has", () => {
    expect(le("Incubateur de la Justice")).toBe("l'Incubateur de la Justice");
    expect(le("Ministère de la Culture")).toBe("le Ministère de la Culture");
    expect(le("Le Ministère de la Justice")).toBe("le Ministère de la Justice");
    expect(le("L'Agence nationale")).toBe("l'Agence nationale");
  });

  it("« à » contracts, and articles go lower case inside a sentence", () => {
    expect(a("Le Ministère de la Justice")).toBe("au Ministère de la Justice");
    expect(a("Les services du Premier ministre")).toBe("aux services du Premier ministre");
    expect(a("La DINUM")).toBe("à la DINUM");
    expect(enMinuscule("Lesieur")).toBe("Lesieur");
  });
});

describe("a ministry inside a sentence", () => {
  it("takes its article, then contracts with « de »", () => {
    expect(de(avecArticle("Ministère de la Culture"))).toBe("du ministère de la Culture");
    expect(de(avecArticle("Services du Premier ministre"))).toBe("des services du Premier ministre");
    expect(de(avecArticle("Secrétariat général de la mer"))).toBe("du secrétariat général de la mer");
    expect(de(avecArticle("Agence nationale de la cohésion des territoires"))).toBe("d'Agence nationale de la cohésion des territoires");
  });
});
