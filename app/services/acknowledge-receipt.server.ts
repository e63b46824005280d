import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { tokenHash } from "./transmit-act.server";

export class UnknownReceiptError extends Error {
  constructor() {
    super("Ce lien d'accusé de réception n'est pas reconnu. Vérifiez qu'il est complet.");
  }
}

/** The link in a CBCM e-mail: no account needed; the first acknowledgement is the one recorded. */
export async function findReceipt(db: Database, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  return db
    .selectFrom("transmissions")
    .innerJoin("conventions", "conventions.id", "transmissions.convention_id")
    .select(["transmissions.id", "transmissions.recipient_email", "transmissions.recipient_name", "transmissions.acknowledged_at", "conventions.title", "conventions.reference"])
    .where("transmissions.ack_token_hash", "=", tokenHash(token))
    .executeTakeFirst();
}

export async function acknowledgeReceipt(db: Database, token: string, meta: { ip: string | null; userAgent: string | null }) {
  return db.transaction().execute(async (trx) => {
    const row = /^[A-Za-z0-9_-]{20,100}$/.test(token)
      ? await trx.selectFrom("transmissions").selectAll().where("ack_token_hash", "=", tokenHash(token)).forUpdate().executeTakeFirst()
      : undefined;
    if (!row) throw new UnknownReceiptError();
    if (row.acknowledged_at) return { acknowledgedAt: new Date(row.acknowledged_at), already: true };
    const now = new Date();
    await trx.updateTable("transmissions").set({ acknowledged_at: now }).where("id", "=", row.id).execute();
    await appendAuditEvent(trx, { conventionId: row.convention_id, type: "accuse_reception", actorId: null, authMethod: "lien_accuse_reception", ip: meta.ip, userAgent: meta.userAgent, payload: { by: row.recipient_email, name: row.recipient_name } });
    return { acknowledgedAt: now, already: false };
  });
}
