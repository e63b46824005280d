import { circuitProblems, defaultCircuit, isStepComplete, type SignatureBlockRef } from "./circuit";

const blocks: SignatureBlockRef[] = [
  { index: 0, party: "delegant", name: "Anne-Florence Canton", libelle: "Le Ministère de la Justice,", email: "a@j.example" },
  { index: 1, party: "delegataire", name: "Stéphanie Schaer", libelle: "La DINUM,", email: "s@d.example" },
];
const ids: Record<string, string> = { "a@j.example": "11111111-1111-4111-8111-111111111111", "s@d.example": "22222222-2222-4222-8222-222222222222" };

describe("circuit", () => {
  it("defaults to the délégant first, the délégataire last, each in its own box", () => {
    const steps = defaultCircuit([...blocks].reverse(), (b) => ids[b.email!]);
    expect(steps.map((s) => s.party)).toEqual(["delegant", "delegataire"]);
    expect(steps[0].members).toEqual([{ personId: ids["a@j.example"], fieldName: "signature-1" }]);
    expect(steps[1].members[0].fieldName).toBe("signature-2");
    expect(circuitProblems(steps, blocks)).toEqual([]);
  });

  it("names every problem in French", () => {
    const steps = defaultCircuit(blocks, () => null);
    expect(circuitProblems(steps, blocks)).toContain("Étape 1 : ajoutez au moins une personne.");
    const twice = defaultCircuit(blocks, (b) => ids[b.email!]);
    twice[1].members[0].fieldName = "signature-1";
    expect(circuitProblems(twice, blocks)).toEqual(
      expect.arrayContaining([expect.stringContaining("attribué à plusieurs étapes"), expect.stringContaining("n'est attribué à aucune étape")]),
    );
    expect(circuitProblems([], blocks)).toContain("Le circuit doit compter au moins une étape de signature.");
  });

  it("completes a step by its rule", () => {
    expect(isStepComplete("un", ["en_attente", "signe"])).toBe(true);
    expect(isStepComplete("tous", ["en_attente", "signe"])).toBe(false);
    expect(isStepComplete("tous", ["signe", "signe"])).toBe(true);
    expect(isStepComplete("tous", ["vise"])).toBe(true);
  });
});
