import type { Database } from "../../db/connect";
import type { NewPerson, Person, PersonUpdate } from "../../db/schema";
import { sql, type Kysely, type Transaction } from "kysely";
import { keysetPage, type PageRequest } from "./keyset.server";
import type { DB } from "../../db/schema";

export type Executor = Kysely<DB> | Transaction<DB>;

export function findPersonByEmail(db: Executor, email: string): Promise<Person | undefined> {
  return db.selectFrom("people").selectAll().where("email", "=", email.trim().toLowerCase()).executeTakeFirst();
}

export function getPerson(db: Executor, id: string): Promise<Person | undefined> {
  return db.selectFrom("people").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listPeople(db: Executor) {
  return db
    .selectFrom("people")
    .leftJoin("organisations", "organisations.id", "people.organisation_id")
    .selectAll("people")
    .select("organisations.name as organisation_name")
    .orderBy("people.last_name")
    .orderBy("people.first_name")
    .execute();
}

export function insertPerson(db: Executor, person: NewPerson) {
  return db
    .insertInto("people")
    .values({ ...person, email: person.email.trim().toLowerCase() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updatePerson(db: Executor, id: string, changes: PersonUpdate) {
  return db
    .updateTable("people")
    .set({ ...changes, updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export type { Database };

/** « Prénom Nom » of a person, as e-mails and the certificate name them. */
export async function personName(db: Executor, id: string): Promise<string> {
  const p = await db.selectFrom("people").select(["first_name", "last_name"]).where("id", "=", id).executeTakeFirstOrThrow();
  return `${p.first_name} ${p.last_name}`;
}

/** Whether the person drafted this convention: its author, or the author of one of its versions. */
export async function hasDrafted(db: Executor, conventionId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom("conventions")
    .select("id")
    .where("id", "=", conventionId)
    .where((eb) =>
      eb.or([
        eb("created_by", "=", personId),
        eb.exists(eb.selectFrom("convention_versions").select("id").where("convention_versions.convention_id", "=", conventionId).where("convention_versions.author_id", "=", personId)),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * One page of the people list (admin), by name, searched on first name, last name, e-mail and
 * organisation (plain `ILIKE`: the directory is small next to the conventions, and a name is
 * searched as typed, not stemmed).
 */
export function pagePeople(db: Executor, q: string, page: PageRequest) {
  let query = db
    .selectFrom("people")
    .leftJoin("organisations", "organisations.id", "people.organisation_id")
    .select(["people.id", "people.first_name", "people.last_name", "people.email", "people.roles", "people.active", "organisations.name as organisation_name"]);
  const words = q.trim().slice(0, 200).split(/\s+/).filter(Boolean).slice(0, 5);
  for (const word of words) {
    const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb("people.first_name", "ilike", like), eb("people.last_name", "ilike", like), eb("people.email", "ilike", like), eb("organisations.name", "ilike", like)]),
    );
  }
  return keysetPage(query, {
    keys: [
      { expr: sql.ref("people.last_name"), type: "text" },
      { expr: sql.ref("people.first_name"), type: "text" },
      { expr: sql.ref("people.id"), type: "uuid" },
    ],
    direction: "asc",
    ...page,
  });
}
