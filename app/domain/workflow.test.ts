import { STATUSES, transition, type Status, type WorkflowEvent } from "./workflow";

const events: WorkflowEvent[] = [
  { type: "modifier" },
  { type: "lancer_circuit" },
  { type: "signer_etape", derniereEtape: false },
  { type: "signer_etape", derniereEtape: true },
  { type: "refuser", motif: "Montant erroné" },
  { type: "interrompre_circuit" },
  { type: "annuler" },
  { type: "entrer_en_vigueur" },
  { type: "expirer" },
  { type: "notifier_resiliation" },
  { type: "resilier" },
];

// The whole table: every (state, event) pair either allowed (with its target) or refused.
const allowed: Record<string, Status> = {
  "brouillon/modifier": "brouillon",
  "brouillon/lancer_circuit": "en_signature",
  "brouillon/annuler": "annulee",
  "en_signature/signer_etape:false": "en_signature",
  "en_signature/signer_etape:true": "signee",
  "en_signature/refuser": "brouillon",
  "en_signature/annuler": "annulee",
  "en_signature/interrompre_circuit": "brouillon",
  "signee/entrer_en_vigueur": "en_vigueur",
  "en_vigueur/expirer": "expiree",
  "en_vigueur/notifier_resiliation": "resiliation_notifiee",
  "resiliation_notifiee/resilier": "resiliee",
};

const key = (from: Status, e: WorkflowEvent) =>
  `${from}/${e.type}${e.type === "signer_etape" ? `:${e.derniereEtape}` : ""}`;

describe("workflow state machine", () => {
  for (const from of STATUSES) {
    for (const event of events) {
      const k = key(from, event);
      it(`${k} is ${allowed[k] ? `allowed → ${allowed[k]}` : "refused"}`, () => {
        const result = transition(from, event);
        if (allowed[k]) expect(result).toEqual({ ok: true, to: allowed[k] });
        else {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason).toMatch(/\S/);
        }
      });
    }
  }

  it("refuses a decline without a reason", () => {
    expect(transition("en_signature", { type: "refuser", motif: "  " })).toEqual({
      ok: false,
      reason: "Le motif du refus est obligatoire.",
    });
  });
});
