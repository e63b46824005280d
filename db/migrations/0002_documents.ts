import { sql, type Kysely } from "kysely";

/** Every PDF the portal produces or stores (frozen draft, each signed revision, certificates). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("documents")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("convention_id", "uuid", (c) => c.notNull().references("conventions.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('fige','signe','complet','certificat')`))
    .addColumn("round", "integer", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("bytes", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("documents_revision_unique", ["convention_id", "round", "kind", "revision"])
    .execute();
  await db.schema.createIndex("documents_sha256").on("documents").column("sha256").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("documents").execute();
}
