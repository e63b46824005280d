import type { Role } from "../../db/schema";

export type { Role };

export const ROLES: readonly Role[] = ["redacteur", "signataire", "administrateur", "cbcm"];

export const ROLE_LABELS: Record<Role, string> = {
  redacteur: "Rédacteur ou juriste",
  signataire: "Signataire",
  administrateur: "Administrateur",
  cbcm: "Destinataire CBCM",
};

export type NavItem = { text: string; href: string };

/** The navigation depends on what the person may do: one list, derived from the roles. */
export function navigationFor(roles: readonly Role[] | null, options: { devMailbox: boolean; receivesActs?: boolean }): NavItem[] {
  const items: NavItem[] = [];
  if (roles) {
    items.push({ text: "Tableau de bord", href: "/tableau-de-bord" });
    if (roles.includes("redacteur")) {
      items.push({ text: "Conventions", href: "/conventions" });
      items.push({ text: "Échéances", href: "/echeances" });
    }
    // An address of the CBCM directory: the signed acts transmitted to it.
    if (options.receivesActs) items.push({ text: "Actes reçus", href: "/actes-recus" });
    if (roles.includes("signataire")) {
      items.push({ text: "À signer", href: "/a-signer" });
      items.push({ text: "Délégations", href: "/delegations" });
    }
    if (roles.includes("administrateur")) {
      items.push({ text: "Organisations", href: "/admin/organisations" });
      items.push({ text: "Personnes", href: "/admin/personnes" });
      items.push({ text: "Annuaire CBCM", href: "/admin/cbcm" });
      // The data.gouv.fr uploads: status, attempts and last error (issue 15).
      items.push({ text: "Données ouvertes", href: "/admin/donnees" });
    }
  }
  items.push({ text: "Vérifier un document", href: "/verifier" });
  if (options.devMailbox) items.push({ text: "Boîte mail (développement)", href: "/dev/boite-mail" });
  return items;
}
