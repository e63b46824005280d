import { sql, type Kysely } from "kysely";

/**
 * Publication and accountability (issue 15): whether a signed act goes to the public register and
 * the open data (on by default; switching it off needs a reason, kept here and in the audit trail),
 * and the délégataire's spending lines (AE/CP consumed per year; corrections are negative lines
 * with a reason, never edits). The data.gouv.fr uploads are outbox jobs (kind `datagouv_upload`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("conventions")
    .addColumn("publishable", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("unpublished_reason", "text")
    .execute();
  await sql`alter table conventions add constraint conventions_unpublished_reason check (publishable or length(trim(coalesce(unpublished_reason, ''))) > 0)`.execute(db);

  await db.schema
    .createTable("spending_lines")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id"))
    .addColumn("year", "integer", (c) => c.notNull().check(sql`year between 2000 and 2100`))
    .addColumn("credit", "text", (c) => c.notNull().check(sql`credit in ('ae','cp')`))
    .addColumn("line_date", "date", (c) => c.notNull())
    /** Cents, negative for a correction. */
    .addColumn("amount_cents", "bigint", (c) => c.notNull().check(sql`amount_cents <> 0`))
    .addColumn("chorus_reference", "text", (c) => c.notNull())
    .addColumn("comment", "text")
    /** Required for a correction (negative amount). */
    .addColumn("correction_reason", "text")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table spending_lines add constraint spending_lines_correction_reason check (amount_cents > 0 or length(trim(coalesce(correction_reason, ''))) > 0)`.execute(db);
  await db.schema.createIndex("spending_lines_convention").on("spending_lines").columns(["convention_id", "year", "credit"]).execute();
  // The data.gouv.fr upload jobs are read by kind (one runs at a time, the newest export wins).
  await sql`create index outbox_messages_datagouv on outbox_messages (created_at) where kind = 'datagouv_upload'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_messages_datagouv`.execute(db);
  await db.schema.dropTable("spending_lines").execute();
  await sql`alter table conventions drop constraint conventions_unpublished_reason`.execute(db);
  await db.schema.alterTable("conventions").dropColumn("publishable").dropColumn("unpublished_reason").execute();
}
