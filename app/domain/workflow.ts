/**
 * The lifecycle of an act (convention, avenant, termination notice) as one pure state machine.
 * Services ask `transition()` before touching the database; nothing else decides what may happen.
 */
export const STATUSES = [
  "brouillon",
  "en_signature",
  "signee",
  "en_vigueur",
  "expiree",
  "resiliation_notifiee",
  "resiliee",
  "annulee",
] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  brouillon: "Brouillon",
  en_signature: "En signature",
  signee: "Signée",
  en_vigueur: "En vigueur",
  expiree: "Expirée",
  resiliation_notifiee: "Résiliation notifiée",
  resiliee: "Résiliée",
  annulee: "Annulée",
};

export type WorkflowEvent =
  | { type: "modifier" }
  | { type: "lancer_circuit" }
  | { type: "signer_etape"; derniereEtape: boolean }
  | { type: "refuser"; motif: string }
  | { type: "interrompre_circuit" }
  | { type: "annuler" }
  | { type: "entrer_en_vigueur" }
  | { type: "expirer" }
  | { type: "notifier_resiliation" }
  | { type: "resilier" }
  /** An act signed elsewhere, registered from its draft: signed, in force or expired by its dates. */
  | { type: "enregistrer_import"; etat: "signee" | "en_vigueur" | "expiree" }
  /** Asked of the convention (its status does not change) before an avenant is created. */
  | { type: "preparer_avenant" }
  /** Asked of the convention (its status does not change) before a termination notice is prepared or signed. */
  | { type: "preparer_resiliation" };

export type TransitionResult = { ok: true; to: Status } | { ok: false; reason: string };

export function transition(from: Status, event: WorkflowEvent): TransitionResult {
  const refuse = (reason: string): TransitionResult => ({ ok: false, reason });
  switch (event.type) {
    case "modifier":
      return from === "brouillon" ? { ok: true, to: "brouillon" } : refuse("Seul un brouillon peut être modifié : le document est figé.");
    case "lancer_circuit":
      return from === "brouillon" ? { ok: true, to: "en_signature" } : refuse("Le circuit ne peut être lancé que depuis un brouillon.");
    case "signer_etape":
      if (from !== "en_signature") return refuse("Ce document n'est pas en cours de signature.");
      return { ok: true, to: event.derniereEtape ? "signee" : "en_signature" };
    case "refuser":
      if (from !== "en_signature") return refuse("Ce document n'est pas en cours de signature.");
      if (!event.motif.trim()) return refuse("Le motif du refus est obligatoire.");
      return { ok: true, to: "brouillon" };
    case "interrompre_circuit":
      return from === "en_signature" ? { ok: true, to: "brouillon" } : refuse("Aucun circuit de signature n'est en cours.");
    case "annuler":
      return from === "brouillon" || from === "en_signature"
        ? { ok: true, to: "annulee" }
        : refuse("Un acte signé ne peut plus être annulé : il faut le résilier.");
    case "entrer_en_vigueur":
      return from === "signee" ? { ok: true, to: "en_vigueur" } : refuse("Seul un acte signé peut entrer en vigueur.");
    case "expirer":
      // A notice whose effect falls after the end date does not keep the convention alive.
      return from === "en_vigueur" || from === "resiliation_notifiee" ? { ok: true, to: "expiree" } : refuse("Seul un acte en vigueur peut expirer.");
    case "notifier_resiliation":
      return from === "en_vigueur" ? { ok: true, to: "resiliation_notifiee" } : refuse("Seul un acte en vigueur peut être résilié.");
    case "resilier":
      return from === "resiliation_notifiee" ? { ok: true, to: "resiliee" } : refuse("Aucune résiliation n'a été notifiée.");
    case "enregistrer_import":
      return from === "brouillon" ? { ok: true, to: event.etat } : refuse("Cet acte importé est déjà enregistré.");
    case "preparer_avenant":
      return from === "en_vigueur" ? { ok: true, to: from } : refuse(notInForce(from, "Un avenant ne peut être préparé que sur une convention en vigueur"));
    case "preparer_resiliation":
      return from === "en_vigueur" ? { ok: true, to: from } : refuse(notInForce(from, "Une résiliation ne peut être notifiée que pour une convention en vigueur"));
  }
}

function notInForce(from: Status, what: string): string {
  const why: Partial<Record<Status, string>> = {
    brouillon: "elle n'est pas encore signée",
    en_signature: "elle est en cours de signature",
    signee: "elle n'est pas encore entrée en vigueur",
    expiree: "elle a expiré",
    resiliation_notifiee: "sa résiliation a déjà été notifiée",
    resiliee: "elle est déjà résiliée",
    annulee: "elle a été annulée",
  };
  return `${what} : ${why[from] ?? "elle n'est pas en vigueur"}.`;
}

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}
