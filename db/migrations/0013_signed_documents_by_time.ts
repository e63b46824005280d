import { sql, type Kysely } from "kysely";

/**
 * The verify page recognises a portal act altered after signing by its signatures: it looks for the
 * signed documents written around the signing time (app/models/signed-documents.server.ts). The
 * time comes from the uploaded file, so the lookup must not read the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index documents_signed_created_at on documents (created_at) where kind in ('signe', 'complet')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index documents_signed_created_at`.execute(db);
}
