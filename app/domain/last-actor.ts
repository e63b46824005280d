/**
 * Who last changed an act, for the convention page's « mise à jour le … par … ». Only events that
 * change the act count (a consultation, a code sent or an e-mail delivered do not); the last such
 * event names its actor, or no one when the portal itself acted (entry into force, expiry…).
 */
const CHANGES = new Set([
  "brouillon_cree",
  "brouillon_modifie",
  "circuit_modifie",
  "circuit_lance",
  "signature",
  "visa",
  "refus",
  "circuit_interrompu",
  "annulation",
  "circuit_termine",
  "publication_retiree",
  "publication_retablie",
  "entree_en_vigueur",
  "expiration",
  "avenant_applique",
  "resiliation_preparee",
  "resiliation_notifiee",
  "resiliation_effective",
  "import_enregistre",
]);

export type ActorEvent = { type: string; first_name: string | null; last_name: string | null };

/** `events` in the order they happened (audit id order). */
export function lastActor(events: readonly ActorEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (!CHANGES.has(e.type)) continue;
    return e.first_name || e.last_name ? `${e.first_name ?? ""} ${e.last_name ?? ""}`.trim() : null;
  }
  return null;
}
