import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { openDatabase, type Database } from "../../db/connect";
import { currentUser, grantAppPrivileges, migrateToLatest } from "../../db/migrate";

/**
 * A fresh, migrated database for one test file: a private schema on PostgreSQL when
 * DATABASE_URL is set (CI), an in-memory PGlite otherwise. The same tests run on both.
 * With DATABASE_MIGRATION_URL too (as .ci/run does), the schema is created and migrated by that
 * owner role and the tests run under DATABASE_URL's role, as the application does in production;
 * `owner` is then the owner's connection (else the same as `db`).
 */
export async function createTestDatabase(): Promise<{ db: Database; owner: Database; engine: "postgresql" | "pglite"; close: () => Promise<void> }> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const migrationUrl = (databaseUrl && process.env.DATABASE_MIGRATION_URL) || undefined;
  if (databaseUrl) {
    const schema = `test_${randomBytes(6).toString("hex")}`;
    const admin = await openDatabase({ databaseUrl: migrationUrl ?? databaseUrl, dataDir: "" });
    await sql`create schema ${sql.id(schema)}`.execute(admin);
    await admin.destroy();
    const searchPath = `${schema},public`;
    const db = await openDatabase({ databaseUrl, dataDir: "", searchPath });
    const owner = migrationUrl ? await openDatabase({ databaseUrl: migrationUrl, dataDir: "", searchPath }) : db;
    await migrateToLatest(owner, { schema });
    if (owner !== db) await grantAppPrivileges(owner, await currentUser(db), schema);
    return {
      db,
      owner,
      engine: "postgresql",
      close: async () => {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(owner);
        if (owner !== db) await owner.destroy();
        await db.destroy();
      },
    };
  }
  const db = await openDatabase({ dataDir: "", pgliteDir: "memory://" });
  await migrateToLatest(db);
  return { db, owner: db, engine: "pglite", close: () => db.destroy() };
}
