import { sql, type Kysely } from "kysely";

/** Transmission of signed acts to the CBCM and the parties, acknowledgements, and alerts. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("extra_recipients")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("added_by", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("extra_recipients_unique", ["convention_id", "email"])
    .execute();

  await db.schema
    .createTable("transmissions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id"))
    .addColumn("round", "integer", (c) => c.notNull())
    .addColumn("recipient_email", "text", (c) => c.notNull())
    .addColumn("recipient_name", "text", (c) => c.notNull())
    .addColumn("recipient_kind", "text", (c) => c.notNull().check(sql`recipient_kind in ('cbcm','destinataire','partie')`))
    .addColumn("outbox_message_id", "uuid", (c) => c.notNull().references("outbox_messages.id"))
    .addColumn("ack_token_hash", "text", (c) => c.unique())
    .addColumn("acknowledged_at", "timestamptz")
    .addColumn("download_token_hash", "text", (c) => c.unique())
    .addColumn("download_expires_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("transmissions_unique", ["convention_id", "round", "recipient_email"])
    .execute();

  await db.schema
    .createTable("alerts")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("person_id", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("convention_id", "uuid", (c) => c.references("conventions.id"))
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("read_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["alerts", "transmissions", "extra_recipients"]) await db.schema.dropTable(t).execute();
}
