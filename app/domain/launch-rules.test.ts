import { describe, expect, it } from "vitest";
import { checkDraft, normaliseDraft } from "./convention-draft";
import { missingItems, parisToday, periodProblems } from "./launch-rules";

const sched = (...years: number[]) => ({ financement: { echeancier: years.map((annee) => ({ annee, ae: 1000, cp: 1000 })) } });

describe("periodProblems", () => {
  it("flags an end date already past, not one today or later", () => {
    expect(periodProblems({ dateFin: "2026-12-01" }, "2026-12-02")).toEqual([{ path: "dateFin", message: "La date de fin est passée" }]);
    expect(periodProblems({ dateFin: "2026-12-02" }, "2026-12-02")).toEqual([]);
    expect(periodProblems({ dateFin: "" }, "2026-12-02")).toEqual([]);
  });

  it("flags each schedule year outside the period, and the schedule when no year falls inside", () => {
    const data = { debut: { regle: "date", date: "2027-01-01" }, dateFin: "2028-12-31", ...sched(2026, 2027, 2029) };
    const p = periodProblems(data, "2026-12-02");
    expect(p.map((x) => x.path)).toEqual(["financement.echeancier[0].annee", "financement.echeancier[2].annee"]);
    expect(p[0].message).toBe("L'année 2026 est hors de la période de la convention (de 2027 à 2028)");
    const none = periodProblems({ debut: { regle: "date", date: "2027-01-01" }, dateFin: "2028-12-31", ...sched(2030) }, "2026-12-02");
    expect(none.map((x) => x.path)).toEqual(["financement.echeancier[0].annee", "financement.echeancier"]);
    expect(none[1].message).toMatch(/^Aucune année de l'échéancier/);
  });

  it("starts a convention that takes effect at signature today at the earliest", () => {
    const p = periodProblems({ debut: { regle: "signature" }, dateFin: "2028-12-31", ...sched(2025, 2026, 2027) }, "2026-12-02");
    expect(p.map((x) => x.path)).toEqual(["financement.echeancier[0].annee"]);
    expect(periodProblems({ debut: { regle: "signature" }, dateFin: "", ...sched(2026, 2031) }, "2026-12-02")).toEqual([]);
  });

  it("ignores the pre-filled row without amounts", () => {
    expect(periodProblems({ dateFin: "2027-12-31", financement: { echeancier: [{ annee: 2027, ae: 5, cp: 5 }, { annee: 2028, ae: "", cp: "" }] } }, "2026-12-02")).toEqual([]);
  });

  it("reads today in Europe/Paris", () => {
    expect(parisToday(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(parisToday(new Date("2026-07-01T21:59:00Z"))).toBe("2026-07-01");
  });
});

describe("missingItems", () => {
  it("names each item once in plain words", () => {
    const d = normaliseDraft({ titre: "x", financement: { uo: "", echeancier: [{ annee: "2027", ae: "100", cp: "100" }] } });
    const items = missingItems(checkDraft(d).missing).map((i) => i.text);
    expect(items).toContain("Code UO");
    expect(items).toContain("Nom du délégant");
    expect(items).toContain("Lieu de signature");
    expect(items.some((t) => /Partie financière — code UO/.test(t))).toBe(false);
    expect(new Set(items).size).toBe(items.length);
  });

  it("keeps the reason of a wrong value and gives one line per field", () => {
    const items = missingItems([
      { path: "dateFin", message: "La date de fin est passée" },
      { path: "dateFin", message: "La date de fin doit suivre la date de début" },
      { path: "delegataires[1].nom", message: "Le nom de l'organisation est obligatoire" },
    ]);
    expect(items.map((i) => i.text)).toEqual(["La date de fin est passée", "Nom du délégataire 2"]);
  });
});
