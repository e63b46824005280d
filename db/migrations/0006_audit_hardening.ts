import { sql, type Kysely } from "kysely";

/**
 * Hardening after the 2026-12 security review:
 * - the audit journal also refuses TRUNCATE (a statement trigger; the row trigger of 0001 does not fire on it);
 * - audit_anchors: the head of a convention's chain, timestamped by the TSA at each signature and at
 *   completion, so that removing the last events of a chain is detectable;
 * - the outbox keeps a message's secrets (sign-in token, signing code, download and receipt links)
 *   encrypted apart from the body, and forgets body and secrets once the message is delivered
 *   (body_sha256 remains); the dev mailbox keeps its own copy of captured messages (dev only);
 * - documents of kind « certificat_tiers »: the signature certificate sent outside the parties (no IP addresses).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function audit_events_no_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events est en ajout seul : TRUNCATE refusé';
    end $$`.execute(db);
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_no_truncate()`.execute(db);

  await db.schema
    .createTable("audit_anchors")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id"))
    // The last event of the chain when anchored, and how many events the chain then had.
    .addColumn("event_id", "bigint", (c) => c.notNull().references("audit_events.id"))
    .addColumn("event_count", "integer", (c) => c.notNull())
    .addColumn("head_hash", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    // RFC 3161 token whose message imprint is the SHA-256 of the head hash's 32 bytes.
    .addColumn("token", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("audit_anchors_convention").on("audit_anchors").columns(["convention_id", "id"]).execute();
  await sql`
    create trigger audit_anchors_append_only before update or delete on audit_anchors
    for each row execute function audit_events_append_only()`.execute(db);
  await sql`
    create trigger audit_anchors_no_truncate before truncate on audit_anchors
    for each statement execute function audit_events_no_truncate()`.execute(db);

  await db.schema.alterTable("outbox_messages").addColumn("secrets", "bytea").execute();
  await db.schema.alterTable("outbox_messages").addColumn("body_sha256", "text").execute();
  await sql`alter table outbox_messages alter column body_text drop not null`.execute(db);
  // Messages delivered before this migration: their bodies hold live links and codes.
  await sql`
    update outbox_messages
    set body_sha256 = encode(sha256(convert_to(body_text, 'UTF8')), 'hex'), body_text = null, body_html = null, attachments = '[]'::jsonb
    where status = 'sent'`.execute(db);

  await db.schema
    .createTable("dev_mailbox_messages")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("attachments", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`alter table documents drop constraint documents_kind_check`.execute(db);
  await sql`alter table documents add constraint documents_kind_check check (kind in ('fige','signe','complet','certificat','certificat_tiers'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table documents drop constraint documents_kind_check`.execute(db);
  await sql`alter table documents add constraint documents_kind_check check (kind in ('fige','signe','complet','certificat'))`.execute(db);
  await db.schema.dropTable("dev_mailbox_messages").execute();
  await db.schema.alterTable("outbox_messages").dropColumn("body_sha256").execute();
  await db.schema.alterTable("outbox_messages").dropColumn("secrets").execute();
  await db.schema.dropTable("audit_anchors").execute();
  await sql`drop trigger audit_events_no_truncate on audit_events`.execute(db);
  await sql`drop function audit_events_no_truncate`.execute(db);
}
