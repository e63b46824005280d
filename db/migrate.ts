import { Migrator, type MigrationResultSet } from "kysely/migration";
import type { Database } from "./connect";
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
