import type { Kysely } from "kysely";

/**
 * ProConnect states already presented back to the portal, kept in the database so that every
 * instance behind the load balancer refuses a replayed callback (process memory is per instance).
 * Only a hash of the state is kept, until the sign-in request it belonged to has expired.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("proconnect_used_states")
    .addColumn("state_hash", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("proconnect_used_states_expires_at").on("proconnect_used_states").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("proconnect_used_states").execute();
}
