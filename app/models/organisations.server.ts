import type { Executor } from "./people.server";

export function listOrganisations(db: Executor) {
  return db.selectFrom("organisations").selectAll().orderBy("name").execute();
}

export function getOrganisation(db: Executor, id: string) {
  return db.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findOrganisationByName(db: Executor, name: string) {
  return db.selectFrom("organisations").selectAll().where("name", "=", name).executeTakeFirst();
}

export function insertOrganisation(db: Executor, values: { name: string; short_name: string; ministry: string; address: string | null }) {
  return db.insertInto("organisations").values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateOrganisation(db: Executor, id: string, values: { name: string; short_name: string; ministry: string; address: string | null }) {
  return db.updateTable("organisations").set(values).where("id", "=", id).returningAll().executeTakeFirst();
}
