import { sql, type Kysely } from "kysely";

/**
 * The compte rendu d'exécution (issue 15): an act of its own kind (`compte_rendu`), child of its
 * convention, prepared by the scheduler once the convention has expired or its termination has taken
 * effect. One per convention (a cancelled one may be prepared again); the reminders sent to the
 * délégataire's rédacteurs until it is signed are recorded by number, so each goes out once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table conventions drop constraint conventions_kind_check`.execute(db);
  await sql`alter table conventions add constraint conventions_kind_check check (kind in ('convention','avenant','resiliation','compte_rendu'))`.execute(db);
  await sql`create unique index conventions_one_report on conventions (parent_id) where kind = 'compte_rendu' and status <> 'annulee'`.execute(db);
  await db.schema
    .createTable("report_reminders")
    .addColumn("report_id", "uuid", (c) => c.notNull().references("conventions.id"))
    /** k: the reminder sent k × REPORT_REMINDER_DAYS days after the report was prepared. */
    .addColumn("number", "integer", (c) => c.notNull().check(sql`number >= 1`))
    .addColumn("sent_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("report_reminders_pk", ["report_id", "number"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_reminders").execute();
  await sql`drop index conventions_one_report`.execute(db);
  await sql`delete from conventions where kind = 'compte_rendu'`.execute(db);
  await sql`alter table conventions drop constraint conventions_kind_check`.execute(db);
  await sql`alter table conventions add constraint conventions_kind_check check (kind in ('convention','avenant','resiliation'))`.execute(db);
}
