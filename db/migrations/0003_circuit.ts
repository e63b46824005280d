import { sql, type Kysely } from "kysely";

/** The signature circuit: ordered steps, their people, one-time codes and delegations of signature. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("conventions").addColumn("circuit_round", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("conventions").addColumn("decline_reason", "text").execute();

  await db.schema
    .createTable("circuit_steps")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('signature','visa')`))
    .addColumn("party", "text", (c) => c.notNull().check(sql`party in ('delegant','delegataire')`))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("rule", "text", (c) => c.notNull().check(sql`rule in ('tous','un')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("en_attente").check(sql`status in ('en_attente','en_cours','terminee')`))
    .addColumn("deadline", "date")
    .addColumn("started_at", "timestamptz")
    .addColumn("completed_at", "timestamptz")
    .addUniqueConstraint("circuit_steps_position", ["convention_id", "position"])
    .execute();

  await db.schema
    .createTable("step_members")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("step_id", "uuid", (c) => c.notNull().references("circuit_steps.id").onDelete("cascade"))
    .addColumn("person_id", "uuid", (c) => c.notNull().references("people.id"))
    // The reserved signature box this person signs in (signature steps only).
    .addColumn("field_name", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("en_attente").check(sql`status in ('en_attente','signe','vise','refuse','non_requis')`))
    .addColumn("acted_at", "timestamptz")
    .addColumn("acted_by", "uuid", (c) => c.references("people.id"))
    .addColumn("decline_reason", "text")
    .addColumn("invited_at", "timestamptz")
    .addColumn("reminders_sent", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_reminder_at", "timestamptz")
    .addUniqueConstraint("step_members_unique", ["step_id", "person_id"])
    .execute();

  await db.schema
    .createTable("signing_codes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("member_id", "uuid", (c) => c.notNull().references("step_members.id").onDelete("cascade"))
    .addColumn("person_id", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("used_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("delegations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("titular_id", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("delegate_id", "uuid", (c) => c.notNull().references("people.id"))
    .addColumn("starts_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date", (c) => c.notNull())
    .addColumn("act_reference", "text", (c) => c.notNull())
    .addColumn("revoked_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("delegations_dates", sql`starts_on <= ends_on`)
    .addCheckConstraint("delegations_not_self", sql`titular_id <> delegate_id`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["delegations", "signing_codes", "step_members", "circuit_steps"]) await db.schema.dropTable(t).execute();
  await db.schema.alterTable("conventions").dropColumn("decline_reason").execute();
  await db.schema.alterTable("conventions").dropColumn("circuit_round").execute();
}
