import type { Transaction } from "kysely";
import type { DB, OutboxMessage } from "../../db/schema";
import { appendAuditEvent } from "../models/audit.server";
import { enqueueEmail } from "./outbox.server";

/**
 * What a delivery outcome means beyond the outbox row: the convention's timeline records every
 * e-mail sent or definitely failed, and a failed transmission alerts its rédacteurs and the
 * administrateurs, in the portal and by e-mail, so that someone re-sends it.
 */
export async function recordDeliveryOutcome(
  trx: Transaction<DB>,
  message: OutboxMessage,
  outcome: { sent: true } | { sent: false; error: string },
  options: { mailDomain: string; publicUrl: string },
) {
  if (!message.convention_id) return;
  await appendAuditEvent(trx, {
    conventionId: message.convention_id,
    type: outcome.sent ? "email_envoye" : "email_echec",
    actorId: null,
    payload: { to: message.to_address, kind: message.kind, messageId: message.message_id, ...(outcome.sent ? {} : { error: outcome.error }) },
  });
  if (outcome.sent || message.kind !== "transmission") return;

  const convention = await trx.selectFrom("conventions").select(["id", "title", "created_by", "delegant_organisation_id"]).where("id", "=", message.convention_id).executeTakeFirstOrThrow();
  const people = await trx
    .selectFrom("people")
    .select(["id", "email", "first_name"])
    .where("active", "=", true)
    .where((eb) =>
      eb.or([
        eb("id", "=", convention.created_by),
        eb(eb.val("administrateur"), "=", eb.fn.any("roles")),
        eb.and([eb("organisation_id", "=", convention.delegant_organisation_id), eb(eb.val("redacteur"), "=", eb.fn.any("roles"))]),
      ]),
    )
    .execute();
  const text = `La transmission de « ${convention.title} » à ${message.to_address} a échoué : ${outcome.error}`;
  for (const p of people) {
    await trx.insertInto("alerts").values({ person_id: p.id, convention_id: convention.id, message: text, read_at: null }).execute();
    await enqueueEmail(
      trx,
      {
        kind: "alerte",
        to: p.email,
        conventionId: null,
        dedupeKey: `alerte:${message.id}:${message.attempts}:${p.id}`,
        subject: `Échec de transmission : ${convention.title}`,
        text: `Bonjour ${p.first_name},\n\n${text}\n\nVous pouvez corriger l'adresse ou renvoyer le message depuis la page de transmission :\n${options.publicUrl}/conventions/${convention.id}/transmission\n\nParaphe — conventions de délégation de gestion`,
      },
      options.mailDomain,
    );
  }
}
