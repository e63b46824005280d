/**
 * Rules that protect the rédacteur before a circuit is launched, and the plain-words list of what
 * keeps a draft from going further. Pure: the caller passes today's date (Europe/Paris).
 *
 * - an end date already past cannot be signed: « La date de fin est passée »;
 * - each schedule year outside the convention's period (start year .. end year) is flagged, and a
 *   schedule whose years all fall outside the period is flagged as a whole.
 * The start is the date entered (« à compter du … ») or, when the convention takes effect at its
 * signature, today at the earliest (a circuit launched today is signed today or later).
 */
import type { FieldError } from "./convention";
import { fieldLabel } from "./convention-draft";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in Europe/Paris, « YYYY-MM-DD ». */
export function parisToday(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Problems with the convention's period: end date past, schedule years outside start..end. */
export function periodProblems(data: Record<string, any>, today: string): FieldError[] {
  const out: FieldError[] = [];
  const dateFin = typeof data?.dateFin === "string" && ISO_DATE.test(data.dateFin) ? data.dateFin : null;
  if (dateFin && dateFin < today) out.push({ path: "dateFin", message: "La date de fin est passée" });

  const debutDate = data?.debut?.regle === "date" && typeof data.debut.date === "string" && ISO_DATE.test(data.debut.date) ? data.debut.date : null;
  const startYear = Number((debutDate ?? today).slice(0, 4));
  const endYear = dateFin ? Number(dateFin.slice(0, 4)) : null;
  const rows: any[] = Array.isArray(data?.financement?.echeancier) ? data.financement.echeancier : [];
  // Rows with no amount are the form's pre-filled next year, not part of the schedule.
  const filled = rows.map((e, i) => ({ e, i })).filter(({ e }) => e && typeof e.annee === "number" && (e.ae !== "" || e.cp !== ""));
  if (filled.length === 0) return out;
  const period = endYear === null ? `à partir de ${startYear}` : startYear === endYear ? `${startYear}` : `de ${startYear} à ${endYear}`;
  const outside = filled.filter(({ e }) => e.annee < startYear || (endYear !== null && e.annee > endYear));
  for (const { e, i } of outside) {
    out.push({ path: `financement.echeancier[${i}].annee`, message: `L'année ${e.annee} est hors de la période de la convention (${period})` });
  }
  if (outside.length === filled.length) {
    out.push({ path: "financement.echeancier", message: `Aucune année de l'échéancier ne tombe dans la période de la convention (${period})` });
  }
  return out;
}

/** Plain labels for the items a draft most often lacks (the generic label names the rest). */
const PLAIN: Record<string, string> = {
  titre: "Titre du document",
  "delegant.nom": "Nom du délégant",
  "delegant.alias": "Dénomination du délégant (« ci-après dénommé… »)",
  "delegant.adresse": "Adresse du délégant",
  "delegant.representant": "Représentant du délégant",
  "delegant.representant.nom": "Nom du représentant du délégant",
  "delegant.representant.fonction": "Fonction du représentant du délégant",
  delegataires: "Délégataire",
  articles: "Au moins un article",
  financement: "Partie financière",
  "financement.uo": "Code UO",
  "financement.echeancier": "Échéancier",
  "financement.chorus": "Références Chorus",
  services: "Services concernés",
  dateFin: "Date de fin",
  "debut.date": "Date de prise d'effet",
  lieuSignature: "Lieu de signature",
  signatures: "Au moins un bloc de signature",
  preambule: "Préambule",
  modele: "Modèle",
};

/** « delegataires[0].nom » -> « Nom du délégataire 1 »; other paths through the form's labels. */
export function plainLabel(path: string): string {
  if (path in PLAIN) return PLAIN[path];
  const d = /^delegataires\[(\d+)\]\.(nom|alias|adresse|representant(?:\.nom|\.fonction)?)$/.exec(path);
  if (d) {
    const n = Number(d[1]) + 1;
    const what = PLAIN[`delegant.${d[2]}`].replace("du délégant", `du délégataire ${n}`);
    return what;
  }
  const e = /^financement\.echeancier\[(\d+)\]\.(annee|ae|cp)$/.exec(path);
  if (e) return `Échéancier, ligne ${Number(e[1]) + 1} : ${e[2] === "annee" ? "année" : e[2] === "ae" ? "autorisations d'engagement (AE)" : "crédits de paiement (CP)"}`;
  const label = fieldLabel(path).replace(/^Partie financière — /, "");
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Messages that only say « this is empty »: the label alone says it in plain words. */
const ONLY_EMPTY = /^(.* : à compléter|.*est obligatoire.*|Indiquez au moins .*|La convention doit comporter au moins .*|La date est obligatoire)$/;

export type MissingItem = { path: string; text: string };

/**
 * What keeps a draft from going further, each item named once in plain words: « Code UO », not
 * « Partie financière — code UO : Partie financière — code UO ». An empty field is its label; a
 * wrong value is « label : message ». Two problems on one field give one line (the first).
 */
export function missingItems(problems: readonly FieldError[]): MissingItem[] {
  const out: MissingItem[] = [];
  const seen = new Set<string>();
  for (const p of problems) {
    const label = plainLabel(p.path);
    const text = ONLY_EMPTY.test(p.message)
      ? label
      : p.message.toLowerCase().includes(label.toLowerCase())
        ? p.message
        : `${label} : ${lowerFirst(p.message)}`;
    if (seen.has(p.path) || out.some((o) => o.text === text)) continue;
    seen.add(p.path);
    out.push({ path: p.path, text });
  }
  return out;
}

const lowerFirst = (s: string) => (/^[A-ZÀ-Ý][a-zà-ÿ]/.test(s) && !/^(AE|CP|UO|NOR)\b/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
