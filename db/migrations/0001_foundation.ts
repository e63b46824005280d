import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const id = (col: any) => col.primaryKey().defaultTo(sql`gen_random_uuid()`);
  const now = (col: any) => col.notNull().defaultTo(sql`now()`);

  await db.schema
    .createTable("organisations")
    .addColumn("id", "uuid", id)
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("short_name", "text", (c) => c.notNull())
    .addColumn("ministry", "text", (c) => c.notNull())
    .addColumn("address", "text")
    .addColumn("created_at", "timestamptz", now)
    .execute();

  await db.schema
    .createTable("people")
    .addColumn("id", "uuid", id)
    .addColumn("email", "text", (c) => c.notNull().unique().check(sql`email = lower(email)`))
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("job_title", "text")
    .addColumn("organisation_id", "uuid", (c) => c.references("organisations.id"))
    .addColumn("roles", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .execute();

  await db.schema
    .createTable("cbcm")
    .addColumn("id", "uuid", id)
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("emails", sql`text[]`, (c) => c.notNull())
    .addColumn("ministry", "text")
    .addColumn("serves_premier_ministre", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", now)
    .execute();

  await db.schema
    .createTable("login_tokens")
    .addColumn("id", "uuid", id)
    .addColumn("person_id", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .addColumn("ip", "text")
    .addColumn("created_at", "timestamptz", now)
    .execute();

  await db.schema
    .createTable("rate_limit_hits")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", now)
    .execute();
  await db.schema.createIndex("rate_limit_hits_bucket").on("rate_limit_hits").columns(["bucket", "created_at"]).execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "uuid", id)
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("person_id", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("auth_method", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seen_at", "timestamptz", now)
    .addColumn("revoked_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("conventions")
    .addColumn("id", "uuid", id)
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('convention','avenant','resiliation')`))
    .addColumn("parent_id", "uuid", (c) => c.references("conventions.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("reference", "text")
    .addColumn("delegant_organisation_id", "uuid", (c) => c.notNull().references("organisations.id"))
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("frozen_sha256", "text")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .execute();

  await db.schema
    .createTable("convention_organisations")
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id").onDelete("cascade"))
    .addColumn("organisation_id", "uuid", (c) => c.notNull().references("organisations.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('delegant','delegataire')`))
    .addPrimaryKeyConstraint("convention_organisations_pk", ["convention_id", "organisation_id"])
    .execute();

  await db.schema
    .createTable("convention_versions")
    .addColumn("id", "uuid", id)
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("author_id", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", now)
    .addUniqueConstraint("convention_versions_unique", ["convention_id", "version"])
    .execute();

  await db.schema
    .createTable("outbox_messages")
    .addColumn("id", "uuid", id)
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("body_html", "text")
    .addColumn("attachments", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status in ('pending','sent','failed')`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "timestamptz", now)
    .addColumn("locked_until", "timestamptz")
    .addColumn("last_error", "text")
    .addColumn("sent_at", "timestamptz")
    .addColumn("convention_id", "uuid", (c) => c.references("conventions.id"))
    .addColumn("created_at", "timestamptz", now)
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox_messages").columns(["status", "next_attempt_at"]).execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("convention_id", "uuid", (c) => c.references("conventions.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("actor_id", "uuid", (c) => c.references("people.id"))
    .addColumn("auth_method", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("document_sha256", "text")
    .addColumn("payload", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("prev_hash", "text")
    .addColumn("hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_convention").on("audit_events").columns(["convention_id", "id"]).execute();

  // Proof must stay proof: the database itself refuses to rewrite history.
  await sql`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events est en ajout seul';
    end $$`.execute(db);
  await sql`
    create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "audit_events", "outbox_messages", "convention_versions", "convention_organisations", "conventions",
    "sessions", "rate_limit_hits", "login_tokens", "cbcm", "people", "organisations",
  ]) await db.schema.dropTable(table).execute();
  await sql`drop function audit_events_append_only`.execute(db);
}
