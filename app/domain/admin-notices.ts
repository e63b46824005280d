import { de } from "./elision";

/**
 * The success message an administration list shows after a save (the form redirects to the list
 * with `?enregistre=<id>` and `&cree=1` for a new entry): what was saved, in words, and for a new
 * person that the welcome e-mail is on its way.
 */
export type SavedEntry =
  | { kind: "organisation"; name: string; created: boolean }
  | { kind: "personne"; name: string; created: boolean; email: string; active: boolean }
  | { kind: "cbcm"; name: string; created: boolean };

export function savedNotice(entry: SavedEntry): string {
  switch (entry.kind) {
    case "organisation":
      return entry.created ? `Organisation « ${entry.name} » ajoutée.` : `Organisation « ${entry.name} » enregistrée.`;
    case "cbcm":
      return entry.created ? `« ${entry.name} » ajouté à l'annuaire des CBCM.` : `« ${entry.name} » enregistré dans l'annuaire des CBCM.`;
    case "personne":
      if (!entry.created) return `Fiche ${de(entry.name)} enregistrée.`;
      return entry.active
        ? `${entry.name} a été ajouté(e). Un e-mail de bienvenue part à ${entry.email} : il dit comment se connecter à Paraphe.`
        : `${entry.name} a été ajouté(e), avec un compte désactivé : aucun e-mail ne lui a été envoyé.`;
  }
}

/** Where a saved form sends the administrator: back to the list, which then says what was saved. */
export function savedLocation(list: string, id: string, created: boolean): string {
  return `${list}?enregistre=${encodeURIComponent(id)}${created ? "&cree=1" : ""}`;
}

/** The saved entry's id and whether it was new, from the list's URL (`null` when none or malformed). */
export function readSaved(params: URLSearchParams): { id: string; created: boolean } | null {
  const id = params.get("enregistre") ?? "";
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? { id, created: params.get("cree") === "1" } : null;
}
