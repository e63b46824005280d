import { Migrator, type MigrationResultSet } from "kysely/migration";
import type { Database } from "./connect";
import { migrations } from "./migrations";

export async function migrateToLatest(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`La migration ${failed ?? "?"} a échoué : ${(result.error as Error).message ?? result.error}`);
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
