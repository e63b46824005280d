/**
 * « Actes reçus »: what a CBCM recipient sees. A person whose address is in the CBCM directory
 * sees every act transmitted to that address (as CBCM), with its date, parties, amounts and
 * acknowledgement, downloads the signed PDF and the certificate (the version without IP
 * addresses, as the e-mail carried), and acknowledges receipt from there. Never a draft, never an
 * act not transmitted to them: every function checks the address against the transmission itself.
 */
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { keysetPage, type PageRequest } from "../models/keyset.server";
import type { Executor } from "../models/people.server";

export type Recipient = { id: string; email: string; auth_method?: string };

/** A refusal: 403 when the person is no CBCM recipient, 404 for a transmission that is not theirs. */
export class ReceivedActsError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404,
  ) {
    super(message);
    this.name = "ReceivedActsError";
  }
}

export const NOT_A_RECIPIENT = "Cette page est réservée aux destinataires inscrits dans l'annuaire des CBCM.";
export const NOT_YOURS = "Cet acte n'existe pas ou ne vous a pas été transmis.";

/** The CBCM directory entries that list this address (empty: the person receives nothing). */
export async function cbcmEntriesOf(db: Executor, email: string) {
  return db
    .selectFrom("cbcm")
    .select(["id", "name"])
    .where(sql<boolean>`${email.trim().toLowerCase()} = any(select lower(e) from unnest(cbcm.emails) as e)`)
    .orderBy("name")
    .execute();
}

async function requireRecipient(db: Executor, person: Recipient) {
  const entries = await cbcmEntriesOf(db, person.email);
  if (!entries.length) throw new ReceivedActsError(NOT_A_RECIPIENT, 403);
  return entries;
}

type Party = { nom?: string };
type Row = { annee: number; ae: number; cp: number };

/** One page of the acts transmitted to the person's address, newest first. */
export async function listReceivedActs(db: Database, person: Recipient, page: PageRequest) {
  const entries = await requireRecipient(db, person);
  const email = person.email.trim().toLowerCase();
  const query = db
    .selectFrom("transmissions")
    .innerJoin("conventions", "conventions.id", "transmissions.convention_id")
    .innerJoin("outbox_messages", "outbox_messages.id", "transmissions.outbox_message_id")
    .select([
      "transmissions.id",
      "transmissions.round",
      "transmissions.created_at",
      "transmissions.acknowledged_at",
      "transmissions.recipient_name",
      "outbox_messages.status as delivery",
      "outbox_messages.sent_at",
      "conventions.id as convention_id",
      "conventions.kind",
      "conventions.title",
      "conventions.reference",
      "conventions.data",
    ])
    .where("transmissions.recipient_email", "=", email)
    .where("transmissions.recipient_kind", "=", "cbcm")
    // A transmission exists only for a signed act; said again so that a draft can never show.
    .where("conventions.status", "not in", ["brouillon", "en_signature", "annulee"]);
  const result = await keysetPage(query, {
    keys: [
      { expr: sql.ref("transmissions.created_at"), type: "timestamptz" },
      { expr: sql.ref("transmissions.id"), type: "uuid" },
    ],
    direction: "desc",
    ...page,
  });
  return {
    directory: entries.map((e) => e.name),
    next: result.next,
    prev: result.prev,
    rows: result.rows.map((r) => {
      const data = (r.data ?? {}) as { delegant?: Party; delegataires?: Party[]; financement?: { echeancier?: Row[] }; dateFin?: string };
      const schedule = (data.financement?.echeancier ?? []).filter((e) => typeof e?.annee === "number");
      return {
        id: r.id,
        conventionId: r.convention_id,
        kind: r.kind,
        title: r.title,
        reference: r.reference,
        round: r.round,
        transmittedAt: new Date(r.sent_at ?? r.created_at).toISOString(),
        delivered: r.delivery === "sent",
        acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
        delegant: data.delegant?.nom ?? "",
        delegataires: (data.delegataires ?? []).map((d) => d.nom ?? ""),
        schedule: schedule.map((e) => ({ annee: e.annee, ae: Number(e.ae) || 0, cp: Number(e.cp) || 0 })),
        totals: { ae: schedule.reduce((s, e) => s + (Number(e.ae) || 0), 0), cp: schedule.reduce((s, e) => s + (Number(e.cp) || 0), 0) },
      };
    }),
  };
}

/** The transmission if it was made to this person's address as CBCM, else a 404. */
async function ownTransmission(db: Executor, person: Recipient, transmissionId: string, lock = false) {
  await requireRecipient(db, person);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(transmissionId)) throw new ReceivedActsError(NOT_YOURS, 404);
  let q = db
    .selectFrom("transmissions")
    .selectAll()
    .where("id", "=", transmissionId)
    .where("recipient_email", "=", person.email.trim().toLowerCase())
    .where("recipient_kind", "=", "cbcm");
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new ReceivedActsError(NOT_YOURS, 404);
  return row;
}

/** The signed PDF or the certificate (without IP addresses) of a transmission made to the person. */
export async function receivedActFile(db: Database, person: Recipient, transmissionId: string, file: "signe" | "certificat") {
  const t = await ownTransmission(db, person, transmissionId);
  const doc = await db
    .selectFrom("documents")
    .innerJoin("conventions", "conventions.id", "documents.convention_id")
    .select(["documents.bytes", "documents.sha256", "conventions.title"])
    .where("documents.convention_id", "=", t.convention_id)
    .where("documents.round", "=", t.round)
    .where("documents.kind", "=", file === "signe" ? "complet" : "certificat_tiers")
    .orderBy("documents.revision", "desc")
    .executeTakeFirst();
  if (!doc) throw new ReceivedActsError(NOT_YOURS, 404);
  return { bytes: doc.bytes, sha256: doc.sha256, title: doc.title };
}

/** « Accuser réception » from the portal: the first acknowledgement is the one recorded (audit event). */
export async function acknowledgeReceivedAct(db: Database, person: Recipient & { ip: string | null; userAgent: string | null }, transmissionId: string) {
  return db.transaction().execute(async (trx) => {
    const t = await ownTransmission(trx, person, transmissionId, true);
    if (t.acknowledged_at) return { acknowledgedAt: new Date(t.acknowledged_at), already: true };
    const now = new Date();
    await trx.updateTable("transmissions").set({ acknowledged_at: now }).where("id", "=", t.id).execute();
    await appendAuditEvent(trx, {
      conventionId: t.convention_id,
      type: "accuse_reception",
      actorId: person.id,
      authMethod: person.auth_method ?? "session",
      ip: person.ip,
      userAgent: person.userAgent,
      payload: { by: t.recipient_email, name: t.recipient_name, via: "actes-recus" },
    });
    return { acknowledgedAt: now, already: false };
  });
}
