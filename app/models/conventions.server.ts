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
