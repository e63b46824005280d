/**
 * Acts other than the convention itself: the avenant (templates/avenant.tpl) and the termination
 * notice (templates/resiliation.tpl). Each template reads a view of the act prepared here (the
 * convention's designation, each change in the words the template prints, the renumbering…),
 * documented in templates/README.md. `buildActDocument` dispatches on `data.modele`, conventions
 * included, so the CLI and the services render any act with one call.
 */
import { applyAvenant, articleCiting, avenantSchema, checkAvenantDraft, renumbering, type Avenant } from "../domain/avenant";
import { numeroArticle, titreArticle, conventionSchema, listErrors, type Convention, type FieldError, type Partie } from "../domain/convention";
import { checkDraft } from "../domain/convention-draft";
import { a as aPartie, de as dePartie, enMinuscule } from "../domain/elision";
import { checkResiliationDraft, resiliationSchema, type Resiliation } from "../domain/resiliation";
import { compteRenduSchema, eurosFromCents, reportTotals, type CompteRendu } from "../domain/compte-rendu";
import { buildConventionDocument, MODEL_KEYS } from "./convention";
import type { Block, DocumentTree, Run } from "./document";
import { renderTemplate, TemplateError, type EvalContext } from "./engine";
import { loadTemplate } from "./files";

/** Keys of the acts' views (beside the convention's): an optional one left empty is not « inconnu ». */
const ACT_KEYS: ReadonlySet<string> = new Set([
  ...MODEL_KEYS,
  "convention", "designation", "entre", "numero", "objet", "baseSigneeLe", "actesModifies", "libelle", "sha256", "avenantsPrecedents", "exemplaires",
  "modifications", "intitule", "type", "article", "apres", "nouveauNumero", "titreAvant", "dateAvant", "dateApres", "articleDateFin", "articleEcheancier",
  "annee", "ae", "cp", "aeAvant", "cpAvant", "partie", "representant", "representantAvant", "representantAvantDe", "adresseModifiee", "adresse", "adresseAvant",
  "dePartie", "servicesModifies", "services", "servicesAvant", "articleServices", "texte", "renumerotation", "intituleRenumerotation", "intituleFinal",
  "notifiant", "destinataires", "destinatairesA", "parties", "motif", "communAccord", "dateEffetDemandee", "articlePreavis", "preavisMois", "dateFin",
  // The compte rendu d'exécution (templates/compte-rendu.tpl).
  "resiliee", "finLe", "uo", "etabliLe", "annees", "lignes", "total", "nombreLignes", "aeDelegue", "aeConsomme", "aeRestant", "cpDelegue", "cpConsomme", "cpRestant",
  "credit", "montant", "chorus", "observation",
]);

// ---------------------------------------------------------------------------------------------
// French helpers for the views
// ---------------------------------------------------------------------------------------------

// « de », « à » and the article before a party's name: the portal's one helper (app/domain/elision.ts).
export { aPartie, dePartie, enMinuscule };

/** « la convention de délégation de gestion » from its title. */
function designation(titre: string): string {
  const t = titre.trim();
  return /^convention\b/i.test(t) ? "la " + t.charAt(0).toLowerCase() + t.slice(1) : `la convention « ${t} »`;
}

function entre(c: Convention): string {
  const noms = [c.delegant, ...c.delegataires].map((p) => enMinuscule(p.nom));
  return `entre ${noms.slice(0, -1).join(", ")} et ${noms[noms.length - 1]}`;
}

/** « l'avenant n° 1 », « les avenants n° 1 et 2 », « les avenants n° 1 à 3 ». */
export function avenantsPrecedents(numero: number): string {
  const k = numero - 1;
  if (k <= 0) return "";
  if (k === 1) return "l'avenant n° 1";
  if (k === 2) return "les avenants n° 1 et 2";
  return `les avenants n° 1 à ${k}`;
}

const representantTexte = (r: Partie["representant"]) => [r?.nom, r?.fonction].filter(Boolean).join(", ");

/** « les articles 5 à 8 de la convention deviennent respectivement les articles 6 à 9 ». */
function renumerotationPhrase(r: { de: number; a: number; nouveauDe: number; nouveauA: number }): string {
  const n = (k: number) => (k === 1 ? "1er" : String(k));
  if (r.de === r.a) return `l'article ${n(r.de)} de la convention devient l'article ${n(r.nouveauDe)}`;
  const sep = r.a === r.de + 1 ? " et " : " à ";
  return `les articles ${n(r.de)}${sep}${r.a} de la convention deviennent respectivement les articles ${n(r.nouveauDe)}${sep}${r.nouveauA}`;
}

function conventionView(c: Convention) {
  return { titre: c.titre, designation: designation(c.titre), entre: entre(c), reference: c.reference, nor: c.nor };
}

function meta(kind: string, c: Convention, subject: string): Pick<DocumentTree, "meta" | "blocMarque" | "headerNote"> {
  const note = [c.reference && `Réf. ${c.reference}`, c.nor && `NOR ${c.nor}`].filter(Boolean).join(" – ");
  return {
    meta: {
      title: `${kind} – ${[c.delegant, ...c.delegataires].map((p) => p.nom).join(" / ")}`,
      subject,
      author: c.delegant.nom,
      keywords: [...(c.financement ? [c.financement.uo] : []), ...(c.reference ? [c.reference] : [])],
      lang: "fr-FR",
    },
    blocMarque: true,
    ...(note ? { headerNote: note } : {}),
  };
}

function signaturesBlock(c: Convention, signatures: Convention["signatures"]): Block {
  return {
    type: "signatures",
    blocks: signatures.map((s) => {
      const party = s.partie === "delegant" ? c.delegant : c.delegataires[s.indexDelegataire];
      return { partyLabel: s.libelle, organisation: party?.nom ?? s.libelle, name: s.nom, function: s.fonction, email: s.email };
    }),
  };
}

/** Blocks of a quoted article: « **Article 7 : Titre** … » (the closing guillemet after the last paragraph). */
function quotedArticle(consolidated: Convention, heading: string, corps: string, source: string, numero: number, titre: string): Block[] {
  const body = renderTemplate(corps, { data: consolidated as unknown as Record<string, unknown>, knownKeys: MODEL_KEYS, source }, [{ article: { numero, titre } }]);
  const open: Block = { type: "paragraph", align: "left", runs: [{ kind: "text", text: "« " }, { kind: "text", text: heading, bold: true }] };
  const blocks = [open, ...body];
  const last = blocks[blocks.length - 1];
  const close: Run = { kind: "text", text: " »" };
  if (last.type === "paragraph" && last !== open) blocks[blocks.length - 1] = { ...last, runs: [...last.runs, close] };
  else if (last.type === "list" && last.items.length) blocks[blocks.length - 1] = { ...last, items: [...last.items.slice(0, -1), [...last.items[last.items.length - 1], close]] };
  else blocks.push({ type: "paragraph", runs: [{ kind: "text", text: "»" }] });
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Avenant
// ---------------------------------------------------------------------------------------------

export function buildAvenantDocument(templateSource: string, a: Avenant): DocumentTree {
  const base = a.base;
  const applied = applyAvenant(base, a.operations);
  if (!applied.ok) throw new TemplateError(applied.errors.map((e) => `${e.path} : ${e.message}`).join(" ; "), 1, "operations", "avenant");
  const c = applied.data;
  const plan = applied.plan;
  const newNumber = new Map<number, number>();
  plan.forEach((p, i) => {
    if (p.source === "insere") newNumber.set(p.operation, i + 1);
  });
  const texts: Block[][] = [];
  const intitule = (k: number) => numeroArticle("article-er-ligne", k);
  const modifications = a.operations.map((op, i) => {
    const m: Record<string, unknown> = { type: op.type, intitule: intitule(i + 1) };
    switch (op.type) {
      case "remplacer_article":
        m.article = op.article;
        m.texte = texts.push(quotedArticle(c, titreArticle(base.numerotation, op.article, op.titre), op.corps, `operations[${i}].corps`, op.article, op.titre)) - 1;
        break;
      case "inserer_article": {
        const k = newNumber.get(i)!;
        m.apres = op.apres;
        m.nouveauNumero = k;
        m.texte = texts.push(quotedArticle(c, titreArticle(base.numerotation, k, op.titre), op.corps, `operations[${i}].corps`, k, op.titre)) - 1;
        break;
      }
      case "supprimer_article":
        m.article = op.article;
        m.titreAvant = base.articles[op.article - 1]?.titre;
        break;
      case "modifier_date_fin": {
        const cited = articleCiting(base, "dateFin");
        // The article that prints the date is still the convention's own text (not replaced or deleted here).
        const untouched = cited !== null && !a.operations.some((o) => (o.type === "remplacer_article" || o.type === "supprimer_article") && o.article === cited);
        Object.assign(m, { dateAvant: base.dateFin, dateApres: op.dateFin, articleDateFin: untouched ? cited : undefined });
        break;
      }
      case "ajouter_annee":
      case "modifier_montants": {
        const cited = articleCiting(base, "financement.echeancier");
        const untouched = cited !== null && !a.operations.some((o) => (o.type === "remplacer_article" || o.type === "supprimer_article") && o.article === cited);
        const before = base.financement?.echeancier.find((e) => e.annee === op.annee);
        Object.assign(m, { annee: op.annee, ae: op.ae, cp: op.cp, aeAvant: before?.ae, cpAvant: before?.cp, articleEcheancier: untouched ? cited : undefined });
        break;
      }
      case "modifier_partie": {
        const partie = op.partie === "delegant" ? base.delegant : base.delegataires[op.indexDelegataire];
        const rep = op.representant && (op.representant.nom || op.representant.fonction) ? representantTexte(op.representant) : "";
        const avant = representantTexte(partie.representant);
        const cited = articleCiting(base, "services");
        const untouched = cited !== null && !a.operations.some((o) => (o.type === "remplacer_article" || o.type === "supprimer_article") && o.article === cited);
        Object.assign(m, {
          partie,
          dePartie: dePartie(partie.nom),
          representant: rep,
          representantAvant: rep ? avant : "",
          representantAvantDe: avant ? dePartie(avant) : "",
          adresseModifiee: op.adresse !== undefined,
          adresse: op.adresse ?? "",
          adresseAvant: partie.adresse ?? "",
          servicesModifies: op.services !== undefined,
          services: op.services ?? [],
          servicesAvant: base.services,
          articleServices: untouched ? cited : undefined,
        });
        break;
      }
    }
    return m;
  });
  const renum = renumbering(plan).map(renumerotationPhrase);
  let next = modifications.length + 1;
  const view = {
    numero: a.numero,
    objet: a.objet,
    lieuSignature: a.lieuSignature,
    baseSigneeLe: a.baseSigneeLe,
    actesModifies: a.actesModifies,
    avenantsPrecedents: avenantsPrecedents(a.numero),
    exemplaires: 1 + c.delegataires.length,
    convention: conventionView(base),
    delegant: c.delegant,
    delegataires: c.delegataires,
    designationCommune: c.designationCommune,
    modifications,
    renumerotation: renum,
    intituleRenumerotation: renum.length ? intitule(next++) : "",
    intituleFinal: intitule(next),
  };
  const ctx: EvalContext = {
    data: view,
    knownKeys: ACT_KEYS,
    source: "avenant",
    directives: {
      visas: () => base.visas.flatMap((v, i) => renderTemplate(v, { data: base as unknown as Record<string, unknown>, knownKeys: MODEL_KEYS, source: `base.visas[${i}]` })),
      signatures: () => [signaturesBlock(c, a.signatures)],
      texte_article: (line, scopes) => {
        const m = [...scopes].reverse().map((s) => Object.values(s).find((v) => v && typeof v === "object" && typeof (v as any).texte === "number")).find(Boolean) as { texte: number } | undefined;
        if (!m) throw new TemplateError("« texte_article » s'emploie dans la boucle des modifications d'article", line, "texte_article", "avenant");
        return texts[m.texte];
      },
    },
  };
  const blocks = renderTemplate(templateSource, ctx);
  return { ...meta(`Avenant n° ${a.numero} à ${designation(base.titre)}`, base, "Avenant à une convention de délégation de gestion (décret n° 2004-1085 du 14 octobre 2004)"), blocks };
}

// ---------------------------------------------------------------------------------------------
// Termination notice
// ---------------------------------------------------------------------------------------------

export function buildResiliationDocument(templateSource: string, r: Resiliation): DocumentTree {
  const c = r.base;
  const parties = [c.delegant, ...c.delegataires];
  const notifiant = r.partieNotifiante === "delegant" ? c.delegant : c.delegataires[r.indexDelegataire];
  const destinataires = parties.filter((p) => p !== notifiant);
  const view = {
    convention: conventionView(c),
    baseSigneeLe: r.baseSigneeLe,
    actesModifies: r.actesModifies,
    avenantsPrecedents: avenantsPrecedents(r.actesModifies.length),
    parties,
    notifiant,
    destinataires,
    destinatairesA: destinataires.map((p) => aPartie(p.nom)),
    motif: r.motif,
    communAccord: r.communAccord,
    dateEffetDemandee: r.dateEffetDemandee,
    preavisMois: c.preavisMois,
    articlePreavis: articleCiting(c, "preavisMois") ?? undefined,
    dateFin: c.dateFin,
    exemplaires: parties.length,
    lieuSignature: r.lieuSignature,
  };
  const ctx: EvalContext = {
    data: view,
    knownKeys: ACT_KEYS,
    source: "resiliation",
    directives: {
      visas: () => c.visas.flatMap((v, i) => renderTemplate(v, { data: c as unknown as Record<string, unknown>, knownKeys: MODEL_KEYS, source: `base.visas[${i}]` })),
      signatures: () => [signaturesBlock(c, r.signatures)],
    },
  };
  const blocks = renderTemplate(templateSource, ctx);
  const kind = r.communAccord ? `Résiliation d'un commun accord de ${designation(c.titre)}` : `Notification de résiliation de ${designation(c.titre)}`;
  return { ...meta(kind, c, "Résiliation d'une convention de délégation de gestion (décret n° 2004-1085 du 14 octobre 2004)"), blocks };
}

// ---------------------------------------------------------------------------------------------
// Compte rendu d'exécution
// ---------------------------------------------------------------------------------------------

/** The figures as the template prints them: « 150 000 € », « −20 000 € » (every amount in cents in the data). */
function yearView(y: { delegue: { ae: number; cp: number }; consomme: { ae: number; cp: number }; restant: { ae: number; cp: number } }) {
  return {
    aeDelegue: eurosFromCents(y.delegue.ae),
    aeConsomme: eurosFromCents(y.consomme.ae),
    aeRestant: eurosFromCents(y.restant.ae),
    cpDelegue: eurosFromCents(y.delegue.cp),
    cpConsomme: eurosFromCents(y.consomme.cp),
    cpRestant: eurosFromCents(y.restant.cp),
  };
}

export function buildCompteRenduDocument(templateSource: string, r: CompteRendu): DocumentTree {
  const c = r.base;
  const n = r.lignes.length;
  const view = {
    convention: conventionView(c),
    baseSigneeLe: r.baseSigneeLe,
    actesModifies: r.actesModifies,
    avenantsPrecedents: avenantsPrecedents(r.actesModifies.length),
    delegant: c.delegant,
    delegataires: c.delegataires,
    resiliee: r.fin.cause === "resiliation",
    finLe: r.fin.date,
    uo: c.financement?.uo ?? "",
    etabliLe: r.etabliLe,
    annees: r.annees.map((y) => ({ annee: y.annee, ...yearView(y) })),
    total: yearView(reportTotals(r)),
    lignes: r.lignes.map((l) => ({
      // « 01/09/2023 »: short, so that the annex's date column stays on one line.
      date: l.date.split("-").reverse().join("/"),
      annee: l.annee,
      credit: l.credit === "ae" ? "AE" : "CP",
      montant: eurosFromCents(l.montant),
      chorus: l.chorus,
      observation: l.motif ? `Correction : ${l.motif}` : (l.commentaire ?? ""),
    })),
    nombreLignes: n === 1 ? "Une ligne enregistrée." : `${n} lignes enregistrées.`,
    lieuSignature: r.lieuSignature,
  };
  const ctx: EvalContext = {
    data: view,
    knownKeys: ACT_KEYS,
    source: "compte-rendu",
    directives: {
      signatures: () => [signaturesBlock(c, r.signatures)],
      saut_de_page: () => [{ type: "pageBreak" }],
    },
  };
  // Column widths: amounts and dates on one line, the comment takes what is left.
  const blocks = renderTemplate(templateSource, ctx).map((b): Block => {
    if (b.type !== "table") return b;
    const cols = b.header[0]?.length ?? b.rows[0]?.length ?? 0;
    if (cols === 7) return { ...b, widths: [9, 15, 15, 15, 15, 15, 15] };
    if (cols === 6) return { ...b, widths: [14, 8, 8, 17, 19, 34] };
    return b;
  });
  return { ...meta(`Compte rendu d'exécution de ${designation(c.titre)}`, c, "Compte rendu d'exécution d'une convention de délégation de gestion (décret n° 2004-1085 du 14 octobre 2004)"), blocks };
}

// ---------------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------------

const modeleOf = (data: unknown): string => (data && typeof data === "object" && typeof (data as any).modele === "string" ? (data as any).modele : "convention");

/**
 * Raw act data (JSON, stored draft) -> document tree, by `data.modele`: « avenant », « resiliation »,
 * « compte-rendu » or a convention template. Throws the ZodError when the data is invalid, a TemplateError when the
 * template or a text cannot be rendered.
 */
export function buildActDocument(data: unknown, templateSource?: string): DocumentTree {
  const modele = modeleOf(data);
  if (modele === "avenant") return buildAvenantDocument(templateSource ?? loadTemplate("avenant"), avenantSchema.parse(data));
  if (modele === "resiliation") return buildResiliationDocument(templateSource ?? loadTemplate("resiliation"), resiliationSchema.parse(data));
  if (modele === "compte-rendu") return buildCompteRenduDocument(templateSource ?? loadTemplate("compte-rendu"), compteRenduSchema.parse(data));
  const c = conventionSchema.parse(data);
  return buildConventionDocument(templateSource ?? loadTemplate(c.modele), c);
}

/**
 * What keeps an act's draft from rendering (before a circuit is launched): its missing and wrong
 * fields, then a text that cannot be rendered (unknown field in an article typed into an avenant…).
 */
export function actProblems(data: unknown): FieldError[] {
  const modele = modeleOf(data);
  if (modele === "compte-rendu") {
    const parsed = compteRenduSchema.safeParse(data);
    if (!parsed.success) return listErrors(parsed.error);
  }
  const check = modele === "compte-rendu" ? { blocking: [], missing: [] } :
    modele === "avenant" ? checkAvenantDraft(data) : modele === "resiliation" ? checkResiliationDraft(data) : checkDraft((data ?? {}) as Record<string, any>);
  const problems = [...check.blocking, ...check.missing];
  if (problems.length) return problems;
  try {
    buildActDocument(data);
    return [];
  } catch (e) {
    // The source names the text at fault: « operations[0].corps », « base.visas[1] », « avenant » (the template).
    if (e instanceof TemplateError) return [{ path: e.source, message: e.message }];
    if (e && typeof e === "object" && "issues" in e) return listErrors(e as any);
    throw e;
  }
}
