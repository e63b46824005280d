import type { Kysely } from "kysely";

/**
 * ProConnect sessions keep the ID token they were opened with: logging out of Paraphe then also
 * ends the ProConnect session (RP-initiated logout needs it as `id_token_hint`). Cleared at logout.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("id_token", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("id_token").execute();
}
