/**
 * What the public sees of a signed act (issue 15): the public register, the CSV/JSON open data and
 * the data.gouv.fr upload all read this one projection. It takes only what the signed act itself
 * states (its text's parties, services, amounts, dates, signatories' names and functions) plus the
 * act's status and the SHA-256 of its signed PDF: never an e-mail address, an IP, an audit event or
 * a person who does not sign the act. Pure: no I/O, unit-tested.
 */

/** Statuses of a signed act; drafts, acts in signature and cancelled ones never leave the portal. */
export const PUBLIC_STATUSES = ["signee", "en_vigueur", "expiree", "resiliation_notifiee", "resiliee"] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export const PUBLIC_STATUS_LABELS: Record<PublicStatus, string> = {
  signee: "Signée",
  en_vigueur: "En vigueur",
  expiree: "Expirée",
  resiliation_notifiee: "Résiliation notifiée",
  resiliee: "Résiliée",
};

export const ACT_TYPES = ["convention", "avenant", "resiliation"] as const;
export type ActType = (typeof ACT_TYPES)[number];

export type PublicActSource = {
  id: string;
  kind: string;
  parentId: string | null;
  avenantNumber: number | null;
  reference: string | null;
  title: string;
  status: string;
  data: unknown;
  /** Europe/Paris dates, YYYY-MM-DD, when the portal knows them (columns of issue 11). */
  signedOn: string | null;
  startsOn: string | null;
  endsOn: string | null;
  /** Europe/Paris dates of the act's signatures, in order. */
  signatureDates: string[];
  /** SHA-256 of the signed PDF as published. */
  sha256: string;
};

export type Echeance = { annee: number; ae: number; cp: number };

export type PublicAct = {
  identifiant: string;
  type: ActType;
  numeroAvenant: number | null;
  conventionParente: string | null;
  reference: string | null;
  nor: string | null;
  intitule: string;
  objet: string | null;
  delegant: string | null;
  delegataires: string[];
  services: string[];
  uo: string | null;
  echeancier: Echeance[];
  aeTotal: number;
  cpTotal: number;
  dateDebut: string | null;
  dateFin: string | null;
  preavisMois: number | null;
  statut: PublicStatus;
  dateSignature: string | null;
  datesSignature: string[];
  signataires: { nom: string; fonction: string | null }[];
  sha256: string;
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (v: unknown): string | null => (typeof v === "string" && ISO_DATE.test(v) ? v : null);

/** Sum in cents, so that totals never drift (0.1 + 0.2). */
const sumEuros = (values: number[]) => values.reduce((a, v) => a + Math.round(v * 100), 0) / 100;

function schedule(v: unknown): Echeance[] {
  const out: Echeance[] = [];
  for (const e of list(v)) {
    const o = obj(e);
    const annee = num(o.annee), ae = num(o.ae), cp = num(o.cp);
    if (annee !== null && ae !== null && cp !== null) out.push({ annee, ae, cp });
  }
  return out.sort((a, b) => a.annee - b.annee);
}

/** The amounts an avenant itself states (added or changed years), not the whole consolidated schedule. */
function avenantSchedule(operations: unknown): Echeance[] {
  const out: Echeance[] = [];
  for (const op of list(operations)) {
    const o = obj(op);
    if (o.type === "ajouter_annee" || o.type === "modifier_montants") out.push(...schedule([o]));
  }
  return out;
}

export function isPublicStatus(status: string): status is PublicStatus {
  return (PUBLIC_STATUSES as readonly string[]).includes(status);
}

/** The public projection of one signed act; null when the act is not signed (it then never shows). */
export function toPublicAct(src: PublicActSource): PublicAct | null {
  if (!isPublicStatus(src.status)) return null;
  const type: ActType = (ACT_TYPES as readonly string[]).includes(src.kind) ? (src.kind as ActType) : "convention";
  const data = obj(src.data);
  // Avenants and notices restate the convention they modify in `base`: its parties are theirs.
  const text = type === "convention" ? data : obj(data.base);
  const financement = obj(text.financement);
  const echeancier = type === "convention" ? schedule(financement.echeancier) : type === "avenant" ? avenantSchedule(data.operations) : [];
  const debut = obj(data.debut);
  const datesSignature = [...src.signatureDates].sort();
  const dateSignature = src.signedOn ?? date(data.dateSignature) ?? datesSignature[datesSignature.length - 1] ?? null;
  const objet =
    type === "avenant" ? str(data.objet) : type === "resiliation" ? str(data.motif) : src.title.trim() || null;
  return {
    identifiant: src.id,
    type,
    numeroAvenant: type === "avenant" ? (src.avenantNumber ?? num(data.numero)) : null,
    conventionParente: type === "convention" ? null : src.parentId,
    reference: str(src.reference) ?? str(data.reference) ?? null,
    nor: str(data.nor),
    intitule: str(data.titre) ?? src.title,
    objet,
    delegant: str(obj(text.delegant).nom),
    delegataires: list(text.delegataires).map((d) => str(obj(d).nom)).filter((n): n is string => n !== null),
    services: list(text.services).map(str).filter((s): s is string => s !== null),
    uo: str(financement.uo),
    echeancier,
    aeTotal: sumEuros(echeancier.map((e) => e.ae)),
    cpTotal: sumEuros(echeancier.map((e) => e.cp)),
    dateDebut: type === "convention" ? (src.startsOn ?? (debut.regle === "date" ? date(debut.date) : dateSignature)) : null,
    dateFin: type === "convention" ? (src.endsOn ?? date(data.dateFin)) : null,
    preavisMois: type === "convention" ? num(data.preavisMois) : null,
    statut: src.status as PublicStatus,
    dateSignature,
    datesSignature,
    // Names and functions as printed under the signature boxes; the e-mail the block may carry is not.
    signataires: list(data.signatures)
      .map((s) => ({ nom: str(obj(s).nom), fonction: str(obj(s).fonction) }))
      .filter((s): s is { nom: string; fonction: string | null } => s.nom !== null),
    sha256: src.sha256,
  };
}

export const TYPE_LABELS: Record<ActType, string> = { convention: "Convention", avenant: "Avenant", resiliation: "Résiliation" };

/** « Convention », « Avenant n° 2 », « Résiliation ». */
export function typeLabel(act: Pick<PublicAct, "type" | "numeroAvenant">): string {
  return act.type === "avenant" && act.numeroAvenant ? `Avenant n°\u00a0${act.numeroAvenant}` : TYPE_LABELS[act.type];
}

/** The act's key in /registre/<clé>: its reference when it has one of its own, else its identifier. */
export function registerKey(act: { reference: string | null; identifiant: string }, referenceIsUnique: boolean): string {
  return act.reference && referenceIsUnique ? act.reference : act.identifiant;
}
