import type { Database } from "../../db/connect";
import type { NewPerson, Person, PersonUpdate } from "../../db/schema";
import type { Kysely, Transaction } from "kysely";
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

export function displayName(person: Pick<Person, "first_name" | "last_name">) {
  return `${person.first_name} ${person.last_name}`;
}

export type { Database };

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
