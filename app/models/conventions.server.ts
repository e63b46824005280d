import { sql } from "kysely";
import { keysetPage, searchMatches, type KeysetKey, type PageRequest } from "./keyset.server";
import type { Executor } from "./people.server";

/** Conventions that name the organisation as a party (délégant or délégataire). */
export function listConventionsOfOrganisation(db: Executor, organisationId: string, filter: { statuses?: string[] } = {}) {
  let query = db
    .selectFrom("conventions")
    .innerJoin("convention_organisations as mine", "mine.convention_id", "conventions.id")
    .innerJoin("organisations as delegant", "delegant.id", "conventions.delegant_organisation_id")
    .select([
      "conventions.id",
      "conventions.kind",
      "conventions.title",
      "conventions.reference",
      "conventions.status",
      "conventions.updated_at",
      "conventions.version",
      "delegant.name as delegant_name",
      "mine.role as my_role",
    ])
    .where("mine.organisation_id", "=", organisationId)
    .orderBy("conventions.updated_at", "desc");
  if (filter.statuses?.length) query = query.where("conventions.status", "in", filter.statuses);
  return query.execute();
}

/**
 * A convention as seen by someone of `organisationId`: undefined when the convention does not
 * name that organisation, so an agent never sees another organisation's acts.
 */
export async function getConventionVisibleTo(db: Executor, conventionId: string, organisationId: string | null) {
  if (!organisationId) return undefined;
  return db
    .selectFrom("conventions")
    .innerJoin("convention_organisations as mine", "mine.convention_id", "conventions.id")
    .selectAll("conventions")
    .select("mine.role as my_role")
    .where("conventions.id", "=", conventionId)
    .where("mine.organisation_id", "=", organisationId)
    .executeTakeFirst();
}

export function listConventionParties(db: Executor, conventionId: string) {
  return db
    .selectFrom("convention_organisations")
    .innerJoin("organisations", "organisations.id", "convention_organisations.organisation_id")
    .select(["organisations.id", "organisations.name", "convention_organisations.role"])
    .where("convention_organisations.convention_id", "=", conventionId)
    .orderBy("convention_organisations.role", "asc")
    .execute();
}

export function listAuditEvents(db: Executor, conventionId: string) {
  return db
    .selectFrom("audit_events")
    .leftJoin("people", "people.id", "audit_events.actor_id")
    .select([
      "audit_events.id",
      "audit_events.type",
      "audit_events.created_at",
      "audit_events.payload",
      "people.first_name",
      "people.last_name",
    ])
    .where("audit_events.convention_id", "=", conventionId)
    .orderBy("audit_events.id")
    .execute();
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------
// Lists that scale (issue 14): filtered, searched, counted and paginated in SQL (see keyset.server.ts).

/** The dashboard's tabs and the statuses each one shows. */
export const CONVENTION_TABS = {
  "en-cours": ["en_signature"],
  signees: ["signee", "en_vigueur", "expiree", "resiliation_notifiee", "resiliee"],
  brouillons: ["brouillon"],
  annulees: ["annulee"],
} as const satisfies Record<string, readonly string[]>;
export type ConventionTab = keyof typeof CONVENTION_TABS;
export const isConventionTab = (v: string): v is ConventionTab => Object.prototype.hasOwnProperty.call(CONVENTION_TABS, v);

export type ConventionListFilter = {
  /** What the person typed: words searched in title, reference and parties' names (French full-text). */
  q?: string;
  /** Only these statuses (none: every status). */
  statuses?: readonly string[];
  /** Only conventions naming this organisation as a party too. */
  partie?: string | null;
  /** Created that year (Europe/Paris) or with that year in their financial schedule. */
  annee?: number | null;
};

/**
 * The conventions naming `organisationId` as a party, with the filters applied: the base of the
 * list, its page and its counts. Driven by `conventions` so that a page seeks the
 * `(updated_at, id)` / `(status, updated_at, id)` indexes; the party check is an index probe.
 */
function conventionsOfOrganisationQuery(db: Executor, organisationId: string, filter: ConventionListFilter) {
  let query = db
    .selectFrom("conventions")
    .innerJoin("convention_organisations as mine", (join) =>
      join.onRef("mine.convention_id", "=", "conventions.id").on("mine.organisation_id", "=", organisationId),
    );
  const search = searchMatches(sql.ref("conventions.search_document"), filter.q ?? "");
  if (search) query = query.where(search);
  if (filter.statuses?.length) query = query.where("conventions.status", "in", [...filter.statuses]);
  if (filter.partie && UUID_RE.test(filter.partie)) {
    const partie = filter.partie;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("convention_organisations as other")
          .select("other.organisation_id")
          .whereRef("other.convention_id", "=", "conventions.id")
          .where("other.organisation_id", "=", partie),
      ),
    );
  }
  if (filter.annee && Number.isInteger(filter.annee) && filter.annee > 1900 && filter.annee < 3000) {
    const year = filter.annee;
    query = query.where((eb) =>
      eb.or([
        eb.and([
          eb("conventions.created_at", ">=", sql<Date>`make_timestamptz(${year}, 1, 1, 0, 0, 0, 'Europe/Paris')`),
          eb("conventions.created_at", "<", sql<Date>`make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'Europe/Paris')`),
        ]),
        sql<boolean>`(conventions.data -> 'financement' -> 'echeancier') @> ${JSON.stringify([{ annee: year }])}::jsonb`,
      ]),
    );
  }
  return query;
}

export const CONVENTION_LIST_KEYS: KeysetKey[] = [
  { expr: sql.ref("conventions.updated_at"), type: "timestamptz" },
  { expr: sql.ref("conventions.id"), type: "uuid" },
];

/** One page of the organisation's conventions, most recently updated first, with each row's parties. */
export async function pageConventionsOfOrganisation(db: Executor, organisationId: string, filter: ConventionListFilter, page: PageRequest) {
  const result = await keysetPage(
    conventionsOfOrganisationQuery(db, organisationId, filter)
      .innerJoin("organisations as delegant", "delegant.id", "conventions.delegant_organisation_id")
      .select([
        "conventions.id",
        "conventions.kind",
        "conventions.title",
        "conventions.reference",
        "conventions.status",
        "conventions.updated_at",
        "conventions.version",
        "conventions.decline_reason",
        "delegant.name as delegant_name",
        "mine.role as my_role",
      ]),
    { keys: CONVENTION_LIST_KEYS, direction: "desc", ...page },
  );
  const ids = result.rows.map((r) => r.id);
  const parties = ids.length
    ? await db
        .selectFrom("convention_organisations")
        .innerJoin("organisations", "organisations.id", "convention_organisations.organisation_id")
        .select(["convention_organisations.convention_id", "organisations.id", "organisations.name", "organisations.short_name", "convention_organisations.role"])
        .where("convention_organisations.convention_id", "in", ids)
        .orderBy("convention_organisations.role")
        .orderBy("organisations.name")
        .execute()
    : [];
  return {
    ...result,
    rows: result.rows.map((r) => ({
      ...r,
      parties: parties.filter((p) => p.convention_id === r.id).map((p) => ({ id: p.id, name: p.name, shortName: p.short_name, role: p.role })),
    })),
  };
}

/** How many of the organisation's conventions match the filters, by status (one grouped count). */
export async function countConventionsOfOrganisationByStatus(db: Executor, organisationId: string, filter: Omit<ConventionListFilter, "statuses">) {
  const rows = await conventionsOfOrganisationQuery(db, organisationId, filter)
    .select(["conventions.status", sql<string>`count(*)`.as("n")])
    .groupBy("conventions.status")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
}

/** Counts per tab from counts per status. */
export function tabCounts(byStatus: Record<string, number>): Record<ConventionTab, number> {
  const out = {} as Record<ConventionTab, number>;
  for (const [tab, statuses] of Object.entries(CONVENTION_TABS) as [ConventionTab, readonly string[]][]) {
    out[tab] = statuses.reduce((n, s) => n + (byStatus[s] ?? 0), 0);
  }
  return out;
}
