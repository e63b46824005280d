import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { openDatabase, type Database } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";

/**
 * A fresh, migrated database for one test file: a private schema on PostgreSQL when
 * DATABASE_URL is set (CI), an in-memory PGlite otherwise. The same tests run on both.
 */
export async function createTestDatabase(): Promise<{ db: Database; engine: "postgresql" | "pglite"; close: () => Promise<void> }> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (databaseUrl) {
    const schema = `test_${randomBytes(6).toString("hex")}`;
    const admin = await openDatabase({ databaseUrl, dataDir: "" });
    await sql`create schema ${sql.id(schema)}`.execute(admin);
    await admin.destroy();
    const db = await openDatabase({ databaseUrl, dataDir: "", searchPath: `${schema},public` });
    await migrateToLatest(db, { schema });
    return {
      db,
      engine: "postgresql",
      close: async () => {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
        await db.destroy();
      },
    };
  }
  const db = await openDatabase({ dataDir: "", pgliteDir: "memory://" });
  await migrateToLatest(db);
  return { db, engine: "pglite", close: () => db.destroy() };
}
