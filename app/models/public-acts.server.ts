/**
 * Queries behind the public register and the open data: signed, publishable acts only, each with
 * the SHA-256 of its signed PDF (the portal's final B-LTA document, or the imported file).
 */
import { sql, type Expression, type SqlBool } from "kysely";
import { PUBLIC_STATUSES, toPublicAct, type PublicAct } from "../domain/public-act";
import type { Executor } from "./people.server";

export const SIGNED_DOCUMENT_KINDS = ["complet", "importe"] as const;

export type RegisterFilters = {
  q?: string;
  annee?: number;
  ministere?: string;
  statut?: string;
  type?: string;
};

/** The act's signature date (Europe/Paris): the recorded one, else its last signature in the portal. */
const signatureDateSql = sql<string | null>`coalesce(
  to_char(conventions.signed_on, 'YYYY-MM-DD'),
  (select to_char(max(sm.acted_at) at time zone 'Europe/Paris', 'YYYY-MM-DD')
     from step_members sm join circuit_steps cs on cs.id = sm.step_id
    where cs.convention_id = conventions.id and sm.status = 'signe'))`;

/**
 * The text of the act as it was signed. A convention's row reads its consolidation n° 0 (the data
 * stored at its signature, whose PDF's SHA-256 the row carries): an avenant overwrites
 * `conventions.data` and `ends_on` with the consolidated text, whose amounts and end date are the
 * avenant's row's, not the convention's. Avenants and notices keep their own data.
 */
const signedDataSql = sql<unknown>`coalesce(signed.data, conventions.data)`;

function baseQuery(db: Executor) {
  return db
    .selectFrom("conventions")
    .innerJoin("organisations as delegant", "delegant.id", "conventions.delegant_organisation_id")
    .leftJoin("conventions as parent", "parent.id", "conventions.parent_id")
    // A convention's text as signed: its consolidation n° 0 (joined once, read by filters and columns).
    .leftJoin("consolidations as signed", (j) =>
      j.onRef("signed.convention_id", "=", "conventions.id").on("signed.number", "=", 0).on("conventions.kind", "=", "convention"),
    )
    .where("conventions.publishable", "=", true)
    // The acts of the register: never a compte rendu d'exécution (a report between the parties).
    .where("conventions.kind", "in", ["convention", "avenant", "resiliation"])
    .where("conventions.status", "in", [...PUBLIC_STATUSES])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("documents")
          .select(sql`1`.as("one"))
          .whereRef("documents.convention_id", "=", "conventions.id")
          .where("documents.kind", "in", [...SIGNED_DOCUMENT_KINDS]),
      ),
    );
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function applyFilters(query: ReturnType<typeof baseQuery>, f: RegisterFilters) {
  let q = query;
  if (f.statut) q = q.where("conventions.status", "=", f.statut);
  if (f.type) q = q.where("conventions.kind", "=", f.type as "convention");
  if (f.ministere) q = q.where("delegant.ministry", "=", f.ministere);
  if (f.annee !== undefined) {
    const year = f.annee;
    q = q.where((eb) =>
      eb.or([
        // A year of its schedule (the act itself, or for an avenant the convention it modifies), or the year it was signed.
        sql<SqlBool>`jsonb_path_exists(${signedDataSql}, '$.financement.echeancier[*] ? (@.annee == $y)', jsonb_build_object('y', ${year}::int))`,
        sql<SqlBool>`jsonb_path_exists(${signedDataSql}, '$.operations[*] ? (@.annee == $y)', jsonb_build_object('y', ${year}::int))`,
        sql<SqlBool>`substr(${signatureDateSql}, 1, 4) = ${String(year)}`,
      ]) as Expression<SqlBool>,
    );
  }
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    q = q.where((eb) =>
      eb.or([
        sql<SqlBool>`conventions.title ilike ${like}`,
        sql<SqlBool>`coalesce(conventions.reference, '') ilike ${like}`,
        sql<SqlBool>`coalesce((${signedDataSql})->>'nor', '') ilike ${like}`,
        sql<SqlBool>`coalesce((${signedDataSql})->>'objet', '') ilike ${like}`,
        // Names and services as the act prints them (for an avenant or a notice, in its base).
        sql<SqlBool>`coalesce((${signedDataSql})->'delegant'->>'nom', conventions.data->'base'->'delegant'->>'nom', '') ilike ${like}`,
        sql<SqlBool>`coalesce((${signedDataSql})->'delegataires', conventions.data->'base'->'delegataires', '[]'::jsonb)::text ilike ${like}`,
        sql<SqlBool>`coalesce((${signedDataSql})->'services', conventions.data->'base'->'services', '[]'::jsonb)::text ilike ${like}`,
        sql<SqlBool>`coalesce((${signedDataSql})->'financement'->>'uo', conventions.data->'base'->'financement'->>'uo', '') ilike ${like}`,
      ]) as Expression<SqlBool>,
    );
  }
  return q;
}

const COLUMNS = [
  "conventions.id",
  "conventions.kind",
  "conventions.parent_id",
  "conventions.avenant_number",
  "conventions.reference",
  "conventions.title",
  "conventions.status",
  "delegant.ministry",
  "parent.reference as parent_reference",
] as const;

type Row = {
  id: string;
  kind: string;
  parent_id: string | null;
  avenant_number: number | null;
  reference: string | null;
  title: string;
  status: string;
  data: unknown;
  ministry: string;
  parent_reference: string | null;
  signed_on: string | null;
  starts_on: string | null;
  ends_on: string | null;
  signature_date: string | null;
  sha256: string | null;
};

export type RegisterEntry = { act: PublicAct; ministry: string; parentReference: string | null };

function selectRows(query: ReturnType<typeof baseQuery>) {
  return query
    .select([...COLUMNS])
    .select([
      sql<string | null>`to_char(conventions.signed_on, 'YYYY-MM-DD')`.as("signed_on"),
      sql<string | null>`to_char(conventions.starts_on, 'YYYY-MM-DD')`.as("starts_on"),
      signedDataSql.as("data"),
      // A convention's end date as signed (its consolidation n° 0); the current one, after avenants, is on their rows.
      sql<string | null>`case when signed.convention_id is null then to_char(conventions.ends_on, 'YYYY-MM-DD') end`.as("ends_on"),
      signatureDateSql.as("signature_date"),
      (eb) =>
        eb
          .selectFrom("documents")
          .select("documents.sha256")
          .whereRef("documents.convention_id", "=", "conventions.id")
          .where("documents.kind", "in", [...SIGNED_DOCUMENT_KINDS])
          .orderBy("documents.round", "desc")
          .orderBy("documents.revision", "desc")
          .limit(1)
          .as("sha256"),
    ]);
}

async function toEntries(db: Executor, rows: Row[]): Promise<RegisterEntry[]> {
  const ids = rows.map((r) => r.id);
  const dates = ids.length
    ? await db
        .selectFrom("step_members")
        .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
        .select(["circuit_steps.convention_id", sql<string>`to_char(step_members.acted_at at time zone 'Europe/Paris', 'YYYY-MM-DD')`.as("day")])
        .where("circuit_steps.convention_id", "in", ids)
        .where("step_members.status", "=", "signe")
        .orderBy("step_members.acted_at")
        .execute()
    : [];
  const byAct = new Map<string, string[]>();
  for (const d of dates) byAct.set(d.convention_id, [...(byAct.get(d.convention_id) ?? []), d.day]);
  const out: RegisterEntry[] = [];
  for (const r of rows) {
    const act = toPublicAct({
      id: r.id,
      kind: r.kind,
      parentId: r.parent_id,
      avenantNumber: r.avenant_number,
      reference: r.reference,
      title: r.title,
      status: r.status,
      data: r.data,
      signedOn: r.signed_on,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      signatureDates: byAct.get(r.id) ?? [],
      sha256: r.sha256 ?? "",
    });
    if (act) out.push({ act, ministry: r.ministry, parentReference: r.parent_reference });
  }
  return out;
}

/** One page of the register, newest signature first. */
export async function listPublicActs(db: Executor, filters: RegisterFilters, page: { offset: number; limit: number }) {
  const filtered = applyFilters(baseQuery(db), filters);
  const [{ count }] = await filtered.select(sql<string>`count(*)`.as("count")).execute();
  const rows = (await selectRows(filtered)
    .orderBy(sql`signature_date`, sql`desc nulls last`)
    .orderBy("conventions.id")
    .offset(page.offset)
    .limit(page.limit)
    .execute()) as Row[];
  return { total: Number(count), entries: await toEntries(db, rows) };
}

/** Every publishable signed act (the open data), in a stable order: signature date, then identifier. */
export async function listAllPublicActs(db: Executor): Promise<RegisterEntry[]> {
  const rows = (await selectRows(baseQuery(db)).orderBy(sql`signature_date`, sql`asc nulls last`).orderBy("conventions.id").execute()) as Row[];
  return toEntries(db, rows);
}

/** The publishable acts named by a register key: a reference (possibly shared) or an identifier. */
export async function findPublicActsByKey(db: Executor, key: string): Promise<RegisterEntry[]> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
  const rows = (await selectRows(baseQuery(db))
    .where((eb) => (isUuid ? eb("conventions.id", "=", key) : eb("conventions.reference", "=", key)))
    .orderBy("conventions.id")
    .limit(50)
    .execute()) as Row[];
  return toEntries(db, rows);
}

/** The publishable acts of one convention (the convention and its avenants and notices). */
export async function listRelatedPublicActs(db: Executor, conventionId: string): Promise<RegisterEntry[]> {
  const rows = (await selectRows(baseQuery(db))
    .where((eb) => eb.or([eb("conventions.id", "=", conventionId), eb("conventions.parent_id", "=", conventionId)]))
    .orderBy(sql`signature_date`, sql`asc nulls last`)
    .execute()) as Row[];
  return toEntries(db, rows);
}

/** How many publishable acts carry each reference (a reference shared by several is not a key). */
export async function referenceCounts(db: Executor, references: string[]): Promise<Map<string, number>> {
  if (references.length === 0) return new Map();
  const rows = await baseQuery(db)
    .select(["conventions.reference", sql<string>`count(*)`.as("n")])
    .where("conventions.reference", "in", references)
    .groupBy("conventions.reference")
    .execute();
  return new Map(rows.map((r) => [r.reference ?? "", Number(r.n)]));
}

/** The signed PDF of a publishable act (never a draft's or an unpublished act's). */
export async function getPublicSignedDocument(db: Executor, conventionId: string) {
  return baseQuery(db)
    .innerJoin("documents", "documents.convention_id", "conventions.id")
    .select(["documents.bytes", "documents.sha256", "conventions.title", "conventions.reference"])
    .where("conventions.id", "=", conventionId)
    .where("documents.kind", "in", [...SIGNED_DOCUMENT_KINDS])
    .orderBy("documents.round", "desc")
    .orderBy("documents.revision", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The ministries of the délégants of publishable acts, for the register's filter. */
export async function listPublicMinistries(db: Executor): Promise<string[]> {
  const rows = await baseQuery(db).select("delegant.ministry").distinct().orderBy("delegant.ministry").execute();
  return rows.map((r) => r.ministry);
}
