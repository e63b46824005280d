import { lastActor } from "./last-actor";

const ev = (type: string, who: string | null) => ({ type, first_name: who?.split(" ")[0] ?? null, last_name: who?.split(" ")[1] ?? null });

describe("who last changed an act", () => {
  it("names the refusing signatory after a refusal, not the rédactrice who saved the draft", () => {
    expect(lastActor([ev("brouillon_cree", "Camille Durand"), ev("brouillon_modifie", "Camille Durand"), ev("circuit_lance", "Camille Durand"), ev("signature", "Anne-Florence Canton"), ev("refus", "Luc Schaer")])).toBe("Luc Schaer");
  });

  it("ignores what does not change the act (consultation, code, e-mail, reminder)", () => {
    expect(lastActor([ev("refus", "Luc Schaer"), ev("consultation", "Camille Durand"), ev("email_envoye", null), ev("code_envoye", "Anne-Florence Canton")])).toBe("Luc Schaer");
  });

  it("names no one when the portal acted last", () => {
    expect(lastActor([ev("signature", "Luc Schaer"), ev("circuit_termine", null), ev("entree_en_vigueur", null)])).toBeNull();
    expect(lastActor([])).toBeNull();
  });
});
