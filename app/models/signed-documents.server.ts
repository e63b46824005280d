import { sql } from "kysely";
import type { Executor } from "./people.server";

/**
 * The portal's signed documents holding this exact signature value: a signed act that was then
 * altered keeps its signatures' /Contents bytes even when no revision hash matches any more.
 * Only documents written around the signing time are read (`around` ± `windowMs`, from the
 * signature's timestamp or its /M), and the bytes are compared in the database.
 */
export function findSignedDocumentsHolding(db: Executor, signature: Uint8Array, around: Date, windowMs = 15 * 60_000) {
  if (signature.length < 64) return Promise.resolve([]);
  return db
    .selectFrom("documents")
    .innerJoin("conventions", "conventions.id", "documents.convention_id")
    .select(["documents.sha256", "documents.kind", "documents.revision", "conventions.id as convention_id", "conventions.title", "conventions.kind as act_kind", "conventions.status", "conventions.reference"])
    .where("documents.kind", "in", ["signe", "complet"])
    .where("documents.created_at", ">=", new Date(around.getTime() - windowMs))
    .where("documents.created_at", "<=", new Date(around.getTime() + windowMs))
    .where(sql<boolean>`position(${Buffer.from(signature)}::bytea in documents.bytes) > 0`)
    .orderBy("documents.revision", "desc")
    .limit(1)
    .execute();
}
