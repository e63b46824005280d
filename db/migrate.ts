import { Migrator, type MigrationResultSet } from "kysely";
import { sql } from "kysely";
import { openDatabase, type Database } from "./connect";
import { migrations } from "./migrations";

/** `schema`: keep Kysely's bookkeeping tables in that schema (tests run one schema per file). */
export async function migrateToLatest(db: Database, options: { schema?: string } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`La migration ${failed ?? "?"} a échoué : ${(result.error as Error).message ?? result.error}`);
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Audit tables: the application may read and append, never rewrite. */
const APPEND_ONLY_TABLES = new Set(["audit_events", "audit_anchors"]);

/**
 * What the application's role may do in `schema`, granted by the owner after migrating: read and
 * write rows, append only to the audit tables, nothing on Kysely's bookkeeping. It owns nothing,
 * so it can neither TRUNCATE, nor disable a trigger, nor alter a table.
 */
export async function grantAppPrivileges(owner: Database, appRole: string, schema = "public") {
  const role = sql.id(appRole);
  await sql`grant usage on schema ${sql.id(schema)} to ${role}`.execute(owner);
  const { rows } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = ${schema}`.execute(owner);
  for (const { tablename } of rows) {
    const table = sql.id(schema, tablename);
    await sql`revoke all on ${table} from ${role}`.execute(owner);
    if (tablename.startsWith("kysely_")) continue;
    if (APPEND_ONLY_TABLES.has(tablename)) await sql`grant select, insert on ${table} to ${role}`.execute(owner);
    else await sql`grant select, insert, update, delete on ${table} to ${role}`.execute(owner);
  }
  await sql`grant usage, select on all sequences in schema ${sql.id(schema)} to ${role}`.execute(owner);
}

/**
 * Migrates the database the application uses. With `databaseMigrationUrl` (the owner role), the
 * migrations run under the owner, which then grants the application's role (DATABASE_URL's) its
 * privileges; otherwise they run on the application's own connection.
 */
export async function migrateForApp(config: { databaseUrl?: string; databaseMigrationUrl?: string }, db: Database): Promise<string[]> {
  if (!config.databaseUrl || !config.databaseMigrationUrl) return migrateToLatest(db);
  const owner = await openDatabase({ databaseUrl: config.databaseMigrationUrl, dataDir: "" });
  try {
    const applied = await migrateToLatest(owner);
    const appRole = await currentUser(db);
    if (appRole !== (await currentUser(owner))) await grantAppPrivileges(owner, appRole);
    return applied;
  } finally {
    await owner.destroy();
  }
}

export async function currentUser(db: Database): Promise<string> {
  const { rows } = await sql<{ user: string }>`select current_user as "user"`.execute(db);
  return rows[0].user;
}
