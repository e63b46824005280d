import type { Kysely } from "kysely";

/**
 * A recipient the rédacteur adds may stand in for the délégant ministry's CBCM when the directory
 * has none: the circuit can then be launched (issue 13). False for every existing recipient.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("extra_recipients").addColumn("for_cbcm", "boolean", (c) => c.notNull().defaultTo(false)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("extra_recipients").dropColumn("for_cbcm").execute();
}
