import { mkdirSync } from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "./pglite-dialect";
import type { DB } from "./schema";

export type Database = Kysely<DB>;

export class DatabaseUnavailableError extends Error {}

/**
 * PostgreSQL through `pg` when a URL is given, otherwise PGlite persisted under the data directory.
 * `pgliteDir: "memory://"` gives a throw-away in-memory database (tests).
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; pgliteDir?: string; searchPath?: string }): Promise<Database> {
  if (options.databaseUrl) {
    const { default: pg } = await import("pg");
    // DATE columns stay ISO "YYYY-MM-DD" strings: no time zone can shift a legal date.
    pg.types.setTypeParser(1082, (value: string) => value);
    // bigint (bigserial ids) comes back as text; timestamps as Date.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 5000,
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    pool.on("error", (error) => console.error("[db] connexion PostgreSQL perdue :", error.message));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    await checkReachable(db, `PostgreSQL (${redact(options.databaseUrl)})`);
    return db;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const dir = options.pgliteDir ?? path.join(options.dataDir, "pgdata");
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pglite = new PGlite(dir, { parsers: { 1082: (value: string) => value } });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  await checkReachable(db, `PGlite (${dir})`);
  return db;
}

async function checkReachable(db: Database, label: string) {
  try {
    await db.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new DatabaseUnavailableError(
      `La base de données ${label} est injoignable : ${(error as Error).message}`,
    );
  }
}

function redact(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
