import { checkNewLine, parseSignedCents, spendingFormSchema, spendingTable } from "./spending";

const data = { financement: { uo: "0310-SGAL-SSIC", echeancier: [{ annee: 2026, ae: 150000, cp: 100000 }, { annee: 2027, ae: 50000.5, cp: 0 }] } };

describe("spending", () => {
  it("parses signed French amounts to cents", () => {
    expect(parseSignedCents("12 500,50")).toBe(1250050);
    expect(parseSignedCents("-1 200")).toBe(-120000);
    expect(parseSignedCents("−3,5")).toBe(-350);
    expect(parseSignedCents("abc")).toBeNull();
  });

  it("tables delegated / consumed / remaining per year, totals equal to the lines", () => {
    const lines = [
      { year: 2026, credit: "ae" as const, amountCents: 10_000_000 },
      { year: 2026, credit: "ae" as const, amountCents: -1_000_000 },
      { year: 2026, credit: "cp" as const, amountCents: 2_500_050 },
      { year: 2027, credit: "ae" as const, amountCents: 5_000_050 },
    ];
    expect(spendingTable(data, lines)).toEqual([
      { annee: 2026, delegue: { ae: 15_000_000, cp: 10_000_000 }, consomme: { ae: 9_000_000, cp: 2_500_050 }, restant: { ae: 6_000_000, cp: 7_499_950 } },
      { annee: 2027, delegue: { ae: 5_000_050, cp: 0 }, consomme: { ae: 5_000_050, cp: 0 }, restant: { ae: 0, cp: 0 } },
    ]);
  });

  it("refuses over-consumption naming the year and the excess; allows exactly the delegated amount", () => {
    const lines = [{ year: 2026, credit: "ae" as const, amountCents: 14_000_000 }];
    expect(checkNewLine(data, lines, { annee: 2026, credit: "ae", montant: 1_000_000 })).toBeNull();
    const refusal = checkNewLine(data, lines, { annee: 2026, credit: "ae", montant: 1_250_000 });
    expect(refusal?.path).toBe("montant");
    expect(refusal?.message).toBe("Dépassement refusé : les AE consommés en 2026 atteindraient 152\u00a0500\u00a0€ pour 150\u00a0000\u00a0€ délégués, soit 2\u00a0500\u00a0€ de trop");
    expect(checkNewLine(data, [], { annee: 2027, credit: "cp", montant: 1 })?.message).toMatch(/en 2027 .* 0,01\u00a0€ de trop/);
    expect(checkNewLine(data, [], { annee: 2030, credit: "ae", montant: 100 })?.message).toMatch(/L'année 2030 ne figure pas/);
    expect(checkNewLine(data, lines, { annee: 2026, credit: "ae", montant: -15_000_000 })?.message).toMatch(/deviendraient négatifs/);
  });

  it("a correction (negative) needs a reason", () => {
    const base = { annee: "2026", credit: "ae", date: "2026-03-01", chorus: "EJ 1800012345" };
    const r = spendingFormSchema.safeParse({ ...base, montant: "-100" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["motif", "Une correction (montant négatif) doit indiquer son motif"]]);
    expect(spendingFormSchema.safeParse({ ...base, montant: "-100", motif: "Double saisie" }).success).toBe(true);
    expect(spendingFormSchema.safeParse({ ...base, montant: "0" }).success).toBe(false);
    expect(spendingFormSchema.safeParse({ ...base, montant: "10", extra: "x" }).success).toBe(false);
  });
});
