import { sql, type Kysely } from "kysely";

/**
 * Life after signature (issue 11): acts signed elsewhere (« importé »), the dates that drive entry
 * into force, expiry and termination, the consolidated versions of a convention amended by its
 * avenants, and the end-date reminders already sent (so that the scheduler sends each one once).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("conventions")
    .addColumn("origin", "text", (c) => c.notNull().defaultTo("portail").check(sql`origin in ('portail','importe')`))
    .addColumn("avenant_number", "integer")
    .addColumn("signed_on", "date")
    .addColumn("starts_on", "date")
    .addColumn("ends_on", "date")
    .addColumn("termination_effective_on", "date")
    .addColumn("import_verification", "jsonb")
    .execute();
  // One avenant and one termination notice in preparation (draft or in signature) per convention.
  await sql`create unique index conventions_avenant_number on conventions (parent_id, avenant_number) where kind = 'avenant'`.execute(db);
  await sql`create unique index conventions_one_avenant_in_preparation on conventions (parent_id) where kind = 'avenant' and status in ('brouillon','en_signature')`.execute(db);
  await sql`create unique index conventions_one_notice_in_preparation on conventions (parent_id) where kind = 'resiliation' and status in ('brouillon','en_signature')`.execute(db);
  // The scheduler's due jobs: by status and date.
  await sql`create index conventions_lifecycle_due on conventions (status, starts_on, ends_on, termination_effective_on) where kind = 'convention'`.execute(db);

  await sql`alter table documents drop constraint documents_kind_check`.execute(db);
  await sql`alter table documents add constraint documents_kind_check check (kind in ('fige','signe','complet','certificat','certificat_tiers','importe'))`.execute(db);

  await db.schema
    .createTable("consolidations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id"))
    /** 0: the initial act; k: the convention as amended by avenant n° k. */
    .addColumn("number", "integer", (c) => c.notNull().check(sql`number >= 0`))
    .addColumn("avenant_id", "uuid", (c) => c.references("conventions.id"))
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("act_sha256", "text", (c) => c.notNull())
    .addColumn("signed_on", "date", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("consolidations_number_unique", ["convention_id", "number"])
    .execute();

  await db.schema
    .createTable("end_reminders")
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id"))
    .addColumn("days_before", "integer", (c) => c.notNull())
    .addColumn("ends_on", "date", (c) => c.notNull())
    .addColumn("sent_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("end_reminders_pk", ["convention_id", "days_before", "ends_on"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("end_reminders").execute();
  await db.schema.dropTable("consolidations").execute();
  await sql`delete from documents where kind = 'importe'`.execute(db);
  await sql`alter table documents drop constraint documents_kind_check`.execute(db);
  await sql`alter table documents add constraint documents_kind_check check (kind in ('fige','signe','complet','certificat','certificat_tiers'))`.execute(db);
  await sql`drop index conventions_lifecycle_due`.execute(db);
  await sql`drop index conventions_one_notice_in_preparation`.execute(db);
  await sql`drop index conventions_one_avenant_in_preparation`.execute(db);
  await sql`drop index conventions_avenant_number`.execute(db);
  await db.schema
    .alterTable("conventions")
    .dropColumn("origin")
    .dropColumn("avenant_number")
    .dropColumn("signed_on")
    .dropColumn("starts_on")
    .dropColumn("ends_on")
    .dropColumn("termination_effective_on")
    .dropColumn("import_verification")
    .execute();
}
