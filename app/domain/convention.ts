/**
 * Convention de délégation de gestion: the data model, its zod schema and French amount helpers.
 * Pure TypeScript (no Node import): bundled to the browser and reused by the server and the CLI.
 *
 * Text fields that hold document prose (visas, préambule, article bodies, annexes) use the
 * inline markup documented in templates/README.md (**gras**, *italique*, [lien](url), ^[note], « - » lists,
 * {{ champs }}). Everything else is plain text and is always rendered literally.
 */
import { z } from "zod";

// French fallback messages for the generic cases (types, missing objects); every field also
// carries its own message below.
z.config(z.locales.fr());

// ---------------------------------------------------------------------------------------------
// Amounts: French notation (« 150 000 », « 150 000,50 € ») <-> cents / euros
// ---------------------------------------------------------------------------------------------

/** Parses a French amount to integer cents; returns null when the text is not an amount. */
export function parseMontantCentimes(input: string | number): number | null {
  if (typeof input === "number") return Number.isFinite(input) && input >= 0 ? Math.round(input * 100) : null;
  const s = input
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/(€|eur|euros?)$/i, "")
    .trim();
  // Accept « 150000 », « 150000,5 », « 150000,50 », « 150000.50 » (after removing group spaces).
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = (m[2] ?? "").padEnd(2, "0");
  return Number(m[1]) * 100 + Number(cents || "0");
}

/** Parses a French amount to euros (number, 2 decimals at most); null when invalid. */
export function parseMontantEuros(input: string | number): number | null {
  const c = parseMontantCentimes(input);
  return c === null ? null : c / 100;
}

/** « 150 000 » or « 150 000,50 » with non-breaking group separators (kept together when wrapping). */
export function formatMontant(euros: number): string {
  const cents = Math.round(euros * 100);
  const ent = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  const dec = cents % 100;
  return dec === 0 ? ent : `${ent},${dec.toString().padStart(2, "0")}`;
}

/** « 150 000 € » */
export function formatEuros(euros: number): string {
  return `${formatMontant(euros)}\u00a0€`;
}

const MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

/** « 2023-02-28 » -> « 28 février 2023 » (« 1er » for the first day). */
export function formatDateLongue(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = Number(m[3]);
  return `${d === 1 ? "1er" : d} ${MOIS[Number(m[2]) - 1]} ${m[1]}`;
}

const UNITES = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"];
const DIZAINES = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"];

/** Small integers in words (0–99), enough for notice periods and durations: 3 -> « trois ». */
export function nombreEnLettres(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 20) return UNITES[n];
  if (n < 70) {
    const d = Math.floor(n / 10), u = n % 10;
    return DIZAINES[d] + (u === 0 ? "" : u === 1 ? " et un" : "-" + UNITES[u]);
  }
  if (n < 80) return n === 71 ? "soixante et onze" : "soixante-" + UNITES[n - 60];
  if (n === 80) return "quatre-vingts";
  return "quatre-vingt-" + UNITES[n - 80];
}

// ---------------------------------------------------------------------------------------------
// Field schemas (French messages)
// ---------------------------------------------------------------------------------------------

const requis = (libelle: string) => z.string({ error: `${libelle} est obligatoire` }).trim().min(1, `${libelle} est obligatoire`);
const optionnel = () => z.string().trim().optional().transform((v) => (v === "" ? undefined : v));

export const RE_UO = /^\d{4}-[A-Z0-9]{2,8}-[A-Z0-9]{2,8}$/;
export const RE_DOMAINE_FONCTIONNEL = /^\d{4}-\d{2}(-\d{2})?$/;
export const RE_ACTIVITE = /^\d{4}[A-Z0-9]{8}$/;
export const RE_CENTRE_COUT = /^[A-Z0-9]{10}$/;

/** An amount given as a number (JSON) or as French text (form field): stored as euros. */
export const montantSchema = z.preprocess(
  (v) => (typeof v === "string" || typeof v === "number" ? (parseMontantEuros(v) ?? v) : v),
  z.number({ error: "Le montant doit être un nombre en euros, par exemple « 150 000 » ou « 150 000,50 »" })
    .nonnegative("Le montant ne peut pas être négatif")
    .max(1e12, "Le montant est trop élevé"),
);

export const anneeSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number({ error: "L'année doit être un nombre, par exemple 2023" })
    .int("L'année doit être un nombre entier")
    .min(2000, "L'année doit être comprise entre 2000 et 2100")
    .max(2100, "L'année doit être comprise entre 2000 et 2100"),
);

export const dateSchema = z
  .string({ error: "La date est obligatoire" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "La date doit avoir la forme AAAA-MM-JJ")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "La date n'existe pas");

export const emailSchema = z.email({ error: "L'adresse électronique n'est pas valide" });

export const representantSchema = z.strictObject({
  nom: optionnel(),
  fonction: optionnel(),
});

// ---------------------------------------------------------------------------------------------
// Grammatical agreement of a party (« représenté », « représentée », « représentés »…)
// ---------------------------------------------------------------------------------------------

export const GENRES = ["m", "f"] as const;
export const NOMBRES = ["s", "p"] as const;
export type Genre = (typeof GENRES)[number];
export type Nombre = (typeof NOMBRES)[number];

/**
 * Agreement read from the article of a party's name: « Le … » masculine singular, « La … »
 * feminine singular, « Les … » masculine plural (the French default for a mixed or unknown plural).
 * « L'… » and a name without article give the feminine singular: « L'Agence », « L'Administration »,
 * « L'Inspection » are the common case among administrations, and « la partie » is what the frame
 * used to agree with. The rédacteur overrides either value on the party (form: « Accord »).
 */
export function accordParDefaut(nom: string): { genre: Genre; nombre: Nombre } {
  const n = nom.trim();
  if (/^les\s/i.test(n)) return { genre: "m", nombre: "p" };
  if (/^le\s/i.test(n)) return { genre: "m", nombre: "s" };
  return { genre: "f", nombre: "s" };
}

/** Ending of a past participle agreeing with parties: "", "e", "s" or "es". */
export function terminaisonAccord(parties: { genre?: Genre; nombre?: Nombre; nom?: string } | readonly { genre?: Genre; nombre?: Nombre; nom?: string }[]): string {
  const list = Array.isArray(parties) ? parties : [parties];
  const accords = list.map((p) => ({ ...accordParDefaut(p.nom ?? ""), ...(p.genre ? { genre: p.genre } : {}), ...(p.nombre ? { nombre: p.nombre } : {}) }));
  const pluriel = accords.length > 1 || accords.some((a) => a.nombre === "p");
  // Masculine wins as soon as one party is masculine (French agreement rule).
  const feminin = accords.length > 0 && accords.every((a) => a.genre === "f");
  return (feminin ? "e" : "") + (pluriel ? "s" : "");
}

const choix = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(values, { error: message }).optional());

const partieShape = {
    nom: requis("Le nom de l'organisation"),
    /** Agreement; defaulted from the name's article (accordParDefaut). */
    genre: choix(GENRES, "Le genre doit être « m » (masculin) ou « f » (féminin)"),
    nombre: choix(NOMBRES, "Le nombre doit être « s » (singulier) ou « p » (pluriel)"),
    adresse: optionnel(),
    /**
     * « ci-après dénommée » names, in order: ["le délégataire", "la DINUM"], each printed between
     * « ». A name that already holds « » is printed as written: « le « délégataire » ».
     * May be empty for a délégataire named by the group's designation only.
     */
    alias: z.array(requis("La dénomination"), { error: "La dénomination est obligatoire" }).default([]),
    /** Absent for a party designated by its function (« Le président du tribunal … »). */
    representant: representantSchema.optional(),
};

const avecAccord = <T extends { nom: string; genre?: Genre; nombre?: Nombre }>(p: T) => {
  const accord = accordParDefaut(p.nom);
  return { ...p, genre: p.genre ?? accord.genre, nombre: p.nombre ?? accord.nombre };
};

export const partieSchema = z.strictObject(partieShape).transform(avecAccord);

export const echeanceSchema = z.strictObject({
  annee: anneeSchema,
  ae: montantSchema,
  cp: montantSchema,
});

export const activiteSchema = z.strictObject({
  code: z.string().trim().toUpperCase().regex(RE_ACTIVITE, "Le code activité doit avoir la forme 0310ACAE0701"),
  libelle: requis("Le libellé de l'activité"),
});

export const chorusSchema = z.strictObject({
  axeMinisteriel: optionnel(),
  domaineFonctionnel: z.string().trim().regex(RE_DOMAINE_FONCTIONNEL, "Le domaine fonctionnel doit avoir la forme 0310-09-03"),
  centreFinancier: z.string().trim().toUpperCase().regex(RE_UO, "Le centre financier doit avoir la forme 0310-SGAL-SSIC"),
  activites: z.array(activiteSchema, { error: "Les activités sont obligatoires" }).min(1, "Indiquez au moins une activité"),
  centreDeCout: z.string().trim().toUpperCase().regex(RE_CENTRE_COUT, "Le centre de coût doit avoir la forme SEGSSMM075 (10 caractères)"),
});

export const financementSchema = z
  .strictObject(
    {
    uo: z.string({ error: "Le code UO est obligatoire" }).trim().toUpperCase().regex(RE_UO, "Le code UO doit avoir la forme 0310-SGAL-SSIC"),
    /** Yearly schedule; may be empty (a delegation can state its UO without one). */
    echeancier: z.array(echeanceSchema, { error: "L'échéancier doit être une liste d'années" }).default([]),
    chorus: z.strictObject(chorusSchema.shape, { error: "Les références Chorus doivent être un objet" }).optional(),
    },
    { error: "La partie financière doit être un objet" },
  )
  .superRefine((f, ctx) => {
    const vues = new Set<number>();
    f.echeancier.forEach((e, i) => {
      if (vues.has(e.annee)) ctx.addIssue({ code: "custom", path: ["echeancier", i, "annee"], message: "Cette année figure déjà dans l'échéancier" });
      vues.add(e.annee);
    });
    // In a multi-year schedule the CP of one year may pay commitments of earlier years, so they
    // may exceed that year's AE: only the totals are compared (in cents, no float drift).
    const total = (k: "ae" | "cp") => f.echeancier.reduce((a, e) => a + Math.round(e[k] * 100), 0);
    const ae = total("ae");
    const cp = total("cp");
    if (cp > ae)
      ctx.addIssue({
        code: "custom",
        path: ["echeancier"],
        message: `Le total des CP (${formatEuros(cp / 100)}) dépasse le total des AE (${formatEuros(ae / 100)}) : les CP d'une année peuvent dépasser ses AE, mais pas sur l'ensemble de l'échéancier`,
      });
  });

export const NUMEROTATIONS = ["article-deux-points", "article-er", "decimale", "article-er-ligne"] as const;
export type Numerotation = (typeof NUMEROTATIONS)[number];

export const articleSchema = z.strictObject({
  titre: requis("Le titre de l'article"),
  /** Body in the document markup (see templates/README.md). */
  corps: z.string().default(""),
});

export const annexeSchema = z.strictObject({
  titre: requis("Le titre de l'annexe"),
  corps: z.string().default(""),
});

export const signatureSchema = z.strictObject({
  /** Which party signs: "delegant" or "delegataire" (with its index among délégataires). */
  partie: z.enum(["delegant", "delegataire"], { error: "La partie doit être « delegant » ou « delegataire »" }),
  indexDelegataire: z.number().int().min(0).default(0),
  /** Label printed above the box, e.g. « Le Ministère de la Justice, ». */
  libelle: requis("Le libellé du bloc de signature"),
  nom: requis("Le nom du signataire"),
  fonction: optionnel(),
  email: z.union([z.literal("").transform(() => undefined), emailSchema]).optional(),
});

export const debutSchema = z.discriminatedUnion("regle", [
  z.strictObject({ regle: z.literal("signature") }),
  z.strictObject({ regle: z.literal("date"), date: dateSchema }),
]);

export const POSITIONS_PREAMBULE = ["avant-convenu", "apres-convenu"] as const;
export const REQUIS = ["financement", "echeancier", "dateFin"] as const;

const dateFacultative = () => z.preprocess((v) => (v === "" || v === null ? undefined : v), dateSchema.optional());

export const conventionSchema = z
  .strictObject({
    /** Template the draft was created from (file name without extension) and its version. */
    modele: z.string().default("convention"),
    modeleVersion: z.number().int().min(1).optional(),
    /** Parts the template needs although the model makes them optional (copied from its `requis :` line). */
    requis: z.array(z.enum(REQUIS, { error: `Partie requise inconnue (${REQUIS.join(", ")})` })).default([]),
    titre: requis("Le titre").default("Convention de délégation de gestion"),
    reference: optionnel(),
    nor: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^$|^[A-Z]{4}\d{7}[A-Z]$/, "Le NOR doit avoir la forme PRMX2212345X")
      .optional()
      .transform((v) => (v === "" ? undefined : v)),
    /** Date of signature when known (an act registered after the fact). */
    dateSignature: dateFacultative(),
    /** Publication reference as printed: « JORF n° 0123 du 2 mars 2023 », « BOC n° 4 du … ». */
    publication: optionnel(),
    delegant: z.strictObject(partieShape, { error: "Le délégant est obligatoire" }).transform(avecAccord),
    delegataires: z.array(partieSchema, { error: "Les délégataires sont obligatoires" }).min(1, "Indiquez au moins un délégataire"),
    /** One designation for all the délégataires: « ci-après désignés sous le terme de « co-délégataires » ». */
    designationCommune: z.array(requis("La désignation commune")).default([]),
    visas: z.array(requis("Le visa")).default([]),
    preambule: z.string().default(""),
    /** Frame option where the template offers it: « Il a été convenu ce qui suit : » before or after the préambule. */
    positionPreambule: z.enum(POSITIONS_PREAMBULE, { error: "Position du préambule inconnue" }).default("avant-convenu"),
    numerotation: z.enum(NUMEROTATIONS, { error: "Numérotation inconnue" }).default("article-deux-points"),
    articles: z.array(articleSchema, { error: "Les articles sont obligatoires" }).min(1, "La convention doit comporter au moins un article"),
    /** Optional: a template may state no financial terms. */
    financement: financementSchema.optional(),
    /** Services numériques concernés, e.g. « Info Parquet ». */
    services: z.array(requis("Le nom du service")).default([]),
    debut: debutSchema.default({ regle: "signature" }),
    /** Absent for an open-ended convention (durée indéterminée): the notice period is the way out. */
    dateFin: dateFacultative(),
    reconductionTacite: z.boolean({ error: "La reconduction tacite est oui ou non" }).default(false),
    preavisMois: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
      z.number({ error: "Le préavis doit être un nombre de mois" }).int("Le préavis doit être un nombre entier de mois").min(0, "Le préavis ne peut pas être négatif").max(24, "Le préavis ne peut pas dépasser 24 mois"),
    ).default(3),
    lieuSignature: requis("Le lieu de signature"),
    signatures: z.array(signatureSchema, { error: "Les blocs de signature sont obligatoires" }).min(1, "Indiquez au moins un bloc de signature"),
    annexes: z.array(annexeSchema).default([]),
  })
  .superRefine((c, ctx) => {
    c.signatures.forEach((s, i) => {
      // (With no délégataire at all, that list is what is missing: reported there.)
      if (s.partie === "delegataire" && c.delegataires.length > 0 && s.indexDelegataire >= c.delegataires.length)
        ctx.addIssue({ code: "custom", path: ["signatures", i, "indexDelegataire"], message: "Ce délégataire n'existe pas" });
    });
    if (c.debut.regle === "date" && c.dateFin && c.debut.date > c.dateFin)
      ctx.addIssue({ code: "custom", path: ["dateFin"], message: "La date de fin doit suivre la date de début" });
  })
  // Each party needs a name in the act (its own alias, or for a délégataire the group's designation).
  // Run even when other fields fail (`when`), so the message comes with the others: values are
  // then unchecked, hence the defensive reads.
  .superRefine(
    (c, ctx) => {
      const vide = (a: unknown) => !Array.isArray(a) || a.length === 0;
      const commune = !vide(c.designationCommune);
      if (c.delegant && typeof c.delegant === "object" && vide(c.delegant.alias))
        ctx.addIssue({ code: "custom", path: ["delegant", "alias"], message: "Indiquez au moins une dénomination (« ci-après dénommée »)" });
      if (Array.isArray(c.delegataires))
        c.delegataires.forEach((d, i) => {
          if (d && typeof d === "object" && vide(d.alias) && !commune)
            ctx.addIssue({ code: "custom", path: ["delegataires", i, "alias"], message: "Indiquez au moins une dénomination (« ci-après dénommée ») ou une désignation commune des délégataires" });
        });
      // What the template requires (its articles print the UO, the schedule or the end date).
      const requis: unknown[] = Array.isArray(c.requis) ? c.requis : [];
      const f = c.financement as { echeancier?: unknown } | undefined;
      if (requis.includes("financement") && !f)
        ctx.addIssue({ code: "custom", path: ["financement", "uo"], message: "Le code UO est obligatoire pour ce modèle" });
      if (requis.includes("echeancier") && f && vide(f.echeancier))
        ctx.addIssue({ code: "custom", path: ["financement", "echeancier"], message: "Indiquez au moins une année dans l'échéancier (ce modèle l'imprime)" });
      if (requis.includes("dateFin") && !c.dateFin)
        ctx.addIssue({ code: "custom", path: ["dateFin"], message: "La date de fin est obligatoire pour ce modèle" });
    },
    { when: (payload) => payload.value !== null && typeof payload.value === "object" },
  );

export type Convention = z.output<typeof conventionSchema>;
export type ConventionInput = z.input<typeof conventionSchema>;
export type Partie = z.output<typeof partieSchema>;
export type Article = z.output<typeof articleSchema>;
export type SignatureBlock = z.output<typeof signatureSchema>;
export type Echeance = z.output<typeof echeanceSchema>;

// ---------------------------------------------------------------------------------------------
// Error helpers shared by the form, the server action and the CLI
// ---------------------------------------------------------------------------------------------

/** « parties.delegataires[0].alias » style path for an issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += (out ? "." : "") + String(p);
  }
  return out;
}

export interface FieldError {
  path: string;
  message: string;
}

/** Flat list of { path, message } (path as « delegataires[0].alias »). */
export function listErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap(issueErrors).map(({ path, message }) => ({ path, message }));
}

/**
 * One error per issue, with the unknown keys of a strict object given one by one at their own
 * path (zod reports them once, at the parent): « delegant.telephone : champ inconnu ».
 */
export function issueErrors(issue: z.core.$ZodIssue): (FieldError & { issuePath: PropertyKey[] })[] {
  if (issue.code === "unrecognized_keys")
    return issue.keys.map((k) => {
      const issuePath = [...issue.path, k];
      return { path: formatPath(issuePath), issuePath, message: `Champ inconnu « ${k} » : il n'appartient pas au modèle de données (faute de frappe ?) et n'est pas ignoré` };
    });
  return [{ path: formatPath(issue.path), issuePath: [...issue.path], message: issue.message }];
}

/** Map path -> first message, convenient beside DSFR inputs (`state="error"`). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const e of listErrors(error)) if (!(e.path in out)) out[e.path] = e.message;
  return out;
}

export type ValidationResult = { ok: true; data: Convention } | { ok: false; errors: FieldError[] };

export function validateConvention(input: unknown): ValidationResult {
  const r = conventionSchema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: listErrors(r.error) };
}

/** Label of a délégant/délégataire alias list: « le délégataire » ou « la DINUM ». */
export function formatAlias(alias: readonly string[]): string {
  // A name holding its own guillemets is printed as written: le « délégataire ».
  return alias.map((a) => (a.includes("«") ? a : `« ${a} »`)).join(" ou ");
}

/** Heading text of article n (1-based) for a numbering style. */
export function numeroArticle(style: Numerotation, n: number): string {
  switch (style) {
    case "article-er":
    case "article-er-ligne":
      return n === 1 ? "Article 1er" : `Article ${n}`;
    case "decimale":
      return `${n}.`;
    default:
      return `Article ${n} :`;
  }
}

export function titreArticle(style: Numerotation, n: number, titre: string): string {
  if (style === "article-er") return `${numeroArticle(style, n)} – ${titre}`;
  return `${numeroArticle(style, n)} ${titre}`;
}
