/**
 * The open data (issue 15): one row per publishable signed act, in the Table Schema of
 * templates/schema-conventions.json; CSV (UTF-8, « ; », header, ISO dates, amounts as numbers)
 * or JSON. The register, the exports and the data.gouv.fr upload read the same projection.
 */
import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import tableSchema from "../../templates/schema-conventions.json";
import type { PublicAct } from "../domain/public-act";
import { listAllPublicActs } from "../models/public-acts.server";
import type { Executor } from "../models/people.server";

export const OPEN_DATA_SCHEMA = tableSchema;
export const FIELD_NAMES = tableSchema.fields.map((f) => f.name);

export type OpenDataRow = {
  identifiant: string;
  type: string;
  numero_avenant: number | null;
  convention_parente: string | null;
  reference: string | null;
  nor: string | null;
  intitule: string;
  objet: string | null;
  delegant: string | null;
  delegataires: string | null;
  services: string | null;
  uo: string | null;
  ae_total: number;
  cp_total: number;
  echeancier: { annee: number; ae: number; cp: number }[];
  date_debut: string | null;
  date_fin: string | null;
  preavis_mois: number | null;
  statut: string;
  date_signature: string | null;
  dates_signatures: string | null;
  signataires: string | null;
  sha256: string;
  url_pdf: string;
};

const joined = (values: string[]) => (values.length ? values.map((v) => v.replace(/\s*\|\s*/g, " / ")).join(" | ") : null);

/** The public address of an act's signed PDF (by identifier: it never changes). */
export const signedPdfUrl = (publicUrl: string, id: string) => `${publicUrl}/registre/${id}/acte-signe.pdf`;

export function toOpenDataRow(act: PublicAct, publicUrl: string): OpenDataRow {
  return {
    identifiant: act.identifiant,
    type: act.type,
    numero_avenant: act.numeroAvenant,
    convention_parente: act.conventionParente,
    reference: act.reference,
    nor: act.nor,
    intitule: act.intitule,
    objet: act.objet,
    delegant: act.delegant,
    delegataires: joined(act.delegataires),
    services: joined(act.services),
    uo: act.uo,
    ae_total: act.aeTotal,
    cp_total: act.cpTotal,
    echeancier: act.echeancier,
    date_debut: act.dateDebut,
    date_fin: act.dateFin,
    preavis_mois: act.preavisMois,
    statut: act.statut,
    date_signature: act.dateSignature,
    dates_signatures: joined(act.datesSignature),
    signataires: joined(act.signataires.map((s) => (s.fonction ? `${s.nom}, ${s.fonction}` : s.nom))),
    sha256: act.sha256,
    url_pdf: signedPdfUrl(publicUrl, act.identifiant),
  };
}

export async function openDataRows(db: Executor, publicUrl: string): Promise<OpenDataRow[]> {
  return (await listAllPublicActs(db)).map((e) => toOpenDataRow(e.act, publicUrl));
}

/** A cell as the CSV writes it: empty for a missing value, JSON for the schedule, numbers with a decimal point. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

export function toCsv(rows: OpenDataRow[]): string {
  return stringify(
    rows.map((r) => FIELD_NAMES.map((name) => csvCell(r[name as keyof OpenDataRow]))),
    { header: true, columns: FIELD_NAMES, delimiter: ";", record_delimiter: "\r\n", quoted_match: /^\s|\s$/ },
  );
}

export function toJson(rows: OpenDataRow[], publicUrl: string): string {
  return `${JSON.stringify({ schema: `${publicUrl}/donnees/schema.json`, donnees: rows }, null, 2)}\n`;
}

export type OpenDataFormat = "csv" | "json";

export async function exportOpenData(db: Executor, publicUrl: string, format: OpenDataFormat) {
  const rows = await openDataRows(db, publicUrl);
  const body = format === "csv" ? toCsv(rows) : toJson(rows, publicUrl);
  return { body, rows: rows.length, sha256: createHash("sha256").update(body, "utf8").digest("hex") };
}
