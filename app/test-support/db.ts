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
    await underSchemaLock(owner, () => migrateToLatest(owner, { schema }));
    if (owner !== db) await grantAppPrivileges(owner, await currentUser(db), schema);
    return {
      db,
      owner,
      engine: "postgresql",
      close: async () => {
        await underSchemaLock(owner, () => sql`drop schema ${sql.id(schema)} cascade`.execute(owner));
        if (owner !== db) await owner.destroy();
        await db.destroy();
      },
    };
  }
  const db = await openDatabase({ dataDir: "", pgliteDir: "memory://" });
  await migrateToLatest(db);
  return { db, owner: db, engine: "pglite", close: () => db.destroy() };
}

// Test files run in parallel, one schema each. Kysely's migrator first introspects every table of the
// database (has_schema_privilege, pg_get_serial_sequence by name), which fails with « schema
// "test_…" does not exist » when another file drops its schema at that moment (seen once in CI).
// Migrating and dropping a test schema therefore take turns under one advisory lock.
const TEST_SCHEMA_LOCK = 720_261_203;

async function underSchemaLock<T>(db: Database, work: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${TEST_SCHEMA_LOCK})`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${TEST_SCHEMA_LOCK})`.execute(connection);
    }
  });
}
