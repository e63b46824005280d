/**
 * The act named once: its title when the title already says what kind of act it is (« Convention de
 * délégation de gestion — … », « Avenant n° 1 — … »), else the kind then the title
 * (« Convention de délégation de gestion — Incubateur 2022 » for an imported act titled « Incubateur 2022 »).
 */
export function actDesignation(kindLabel: string, title: string): string {
  const t = title.trim();
  const firstWord = (s: string) => s.trim().split(/[\s'’]+/)[0]?.toLocaleLowerCase("fr-FR") ?? "";
  return firstWord(t) === firstWord(kindLabel) ? t : `${kindLabel} — ${t}`;
}
