/** French labels of audit events, for the timeline and the signature certificate. */
export const EVENT_LABELS: Record<string, string> = {
  brouillon_cree: "Brouillon créé",
  brouillon_modifie: "Brouillon modifié",
  circuit_modifie: "Circuit de signature défini",
  circuit_lance: "Circuit lancé, document figé",
  consultation: "Document consulté",
  code_envoye: "Code de signature envoyé",
  code_errone: "Code de signature erroné",
  signature: "Document signé",
  visa: "Visa accordé",
  refus: "Signature refusée",
  circuit_interrompu: "Circuit interrompu",
  annulation: "Acte annulé",
  relance: "Relance envoyée",
  invitation_renvoyee: "Invitation renvoyée",
  circuit_termine: "Toutes les signatures recueillies",
  email_envoye: "E-mail envoyé",
  email_echec: "Échec d'envoi d'un e-mail",
  accuse_reception: "Accusé de réception",
  transmission_renvoyee: "Transmission renvoyée",
  destinataire_ajoute: "Destinataire ajouté",
  destinataire_retire: "Destinataire retiré",
};

export const eventLabel = (type: string) => EVENT_LABELS[type] ?? type;
