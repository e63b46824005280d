import { sql } from "kysely";
import { keysetPage, type PageRequest } from "./keyset.server";
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

/** One page of the organisations (admin), by name, searched on name, short name and ministry. */
export function pageOrganisations(db: Executor, q: string, page: PageRequest) {
  let query = db.selectFrom("organisations").selectAll();
  for (const word of q.trim().slice(0, 200).split(/\s+/).filter(Boolean).slice(0, 5)) {
    const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb("name", "ilike", like), eb("short_name", "ilike", like), eb("ministry", "ilike", like)]));
  }
  return keysetPage(query, {
    keys: [
      { expr: sql.ref("organisations.name"), type: "text" },
      { expr: sql.ref("organisations.id"), type: "uuid" },
    ],
    direction: "asc",
    ...page,
  });
}
