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
  { type: "enregistrer_import", etat: "signee" },
  { type: "enregistrer_import", etat: "en_vigueur" },
  { type: "enregistrer_import", etat: "expiree" },
  { type: "preparer_avenant" },
  { type: "preparer_resiliation" },
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
  "resiliation_notifiee/expirer": "expiree",
  "brouillon/enregistrer_import:signee": "signee",
  "brouillon/enregistrer_import:en_vigueur": "en_vigueur",
  "brouillon/enregistrer_import:expiree": "expiree",
  "en_vigueur/preparer_avenant": "en_vigueur",
  "en_vigueur/preparer_resiliation": "en_vigueur",
};

const key = (from: Status, e: WorkflowEvent) =>
  `${from}/${e.type}${e.type === "signer_etape" ? `:${e.derniereEtape}` : e.type === "enregistrer_import" ? `:${e.etat}` : ""}`;

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

  it("says why an avenant or a notice is refused, by the convention's status", () => {
    expect(transition("expiree", { type: "preparer_avenant" })).toEqual({ ok: false, reason: "Un avenant ne peut être préparé que sur une convention en vigueur : elle a expiré." });
    expect(transition("resiliee", { type: "preparer_resiliation" })).toEqual({ ok: false, reason: "Une résiliation ne peut être notifiée que pour une convention en vigueur : elle est déjà résiliée." });
    expect(transition("resiliation_notifiee", { type: "preparer_resiliation" })).toEqual({
      ok: false,
      reason: "Une résiliation ne peut être notifiée que pour une convention en vigueur : sa résiliation a déjà été notifiée.",
    });
  });

  it("refuses a decline without a reason", () => {
    expect(transition("en_signature", { type: "refuser", motif: "  " })).toEqual({
      ok: false,
      reason: "Le motif du refus est obligatoire.",
    });
  });
});
