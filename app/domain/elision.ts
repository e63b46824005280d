/**
 * French contraction and elision before a name, in one place for every message, page and act:
 * « d'Anne-Florence Canton », « de Marc Lemaire », « du Ministère de la Justice », « de la DINUM »,
 * « l'Incubateur », « le Ministère ». A vowel or a mute h elides; the few aspirated h that start
 * administrative names (haut, Hongrie…) do not.
 */
const VOWEL = /^[aeiouyàâäéèêëîïôöùûüÿæœ]/i;
const ASPIRATED_H = /^h(aut|ongr|olland|amb|ong|ér(os|on))/i;

/** The name starts with a sound that takes elision (« d' », « l' »). */
export function elides(name: string): boolean {
  const n = name.trim().replace(/^[«"“\s]+/, "");
  if (VOWEL.test(n)) return true;
  return /^h/i.test(n) && !ASPIRATED_H.test(n);
}

/** « Le Ministère de la Justice » -> « le Ministère de la Justice » (its article inside a sentence). */
export function enMinuscule(nom: string): string {
  return nom.replace(/^(Le|La|Les)(?=\s)|^L(?=['’])/, (a) => a.toLowerCase());
}

/** « de » + name, contracted: « du Ministère », « de la DINUM », « des services », « de l'Agence », « d'Anne-Florence Canton ». */
export function de(name: string): string {
  const n = name.trim();
  if (/^le\s/i.test(n)) return "du " + n.slice(3);
  if (/^les\s/i.test(n)) return "des " + n.slice(4);
  if (/^(la\s|l['’])/i.test(n)) return "de " + enMinuscule(n);
  return elides(n) ? `d'${n}` : `de ${n}`;
}

/** « le » + a masculine name: « l'Incubateur », « le Ministère de la Culture »; a name with its own article keeps it. */
export function le(name: string): string {
  const n = name.trim();
  if (/^(le|la|les)\s|^l['’]/i.test(n)) return enMinuscule(n);
  return elides(n) ? `l'${n}` : `le ${n}`;
}

/** « à » + name, contracted: « au Ministère », « à la DINUM », « aux services », « à l'Agence ». */
export function a(name: string): string {
  const n = name.trim();
  if (/^le\s/i.test(n)) return "au " + n.slice(3);
  if (/^les\s/i.test(n)) return "aux " + n.slice(4);
  return "à " + enMinuscule(n);
}

/**
 * A ministry's name as the directory stores it (« Ministère de la Culture », « Services du Premier
 * ministre ») with the article it takes inside a sentence: « le ministère de la Culture », « les
 * services du Premier ministre ». Other names are returned as they are.
 */
export function avecArticle(ministry: string): string {
  const n = ministry.trim();
  const lower = n.charAt(0).toLocaleLowerCase("fr-FR") + n.slice(1);
  if (/^(minist[èe]re|secr[ée]tariat)\b/i.test(n)) return `le ${lower}`;
  if (/^services\b/i.test(n)) return `les ${lower}`;
  return n;
}
