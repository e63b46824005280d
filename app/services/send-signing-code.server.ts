import { createHmac, randomInt } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { enqueueEmail, mailDomainOf, secretSlot } from "../email/outbox.server";
import { signingCodeEmail } from "../email/messages";
import { appendAuditEvent } from "../models/audit.server";
import { hitRateLimit } from "./rate-limit.server";
import { actingMember, CircuitError, lockConvention, type Actor, type CircuitDeps } from "./circuit-shared.server";

export const CODE_MINUTES = 10;
export const CODE_MAX_ATTEMPTS = 5;
/** Codes a person may ask for one convention in 15 minutes. */
export const CODE_MAX_REQUESTS = 5;

export function hashSigningCode(secret: string, codeId: string, code: string) {
  return createHmac("sha256", secret).update(`${codeId}:${code}`).digest("hex");
}

/** Sends a fresh 6-digit code to the person about to sign; earlier codes stop working. */
export async function sendSigningCode(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string) {
  // Every request counts, refused ones too (recorded outside the transaction below).
  if (await hitRateLimit(db, `code:${actor.id}:${conventionId}`, CODE_MAX_REQUESTS)) {
    throw new CircuitError("Trop de codes demandés. Patientez un quart d'heure avant d'en demander un autre.");
  }
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    if (convention.status !== "en_signature") throw new CircuitError("Ce document n'est pas en cours de signature.");
    const { step, member } = await actingMember(trx, conventionId, actor.id);
    if (step.kind !== "signature") throw new CircuitError("Cette étape est un visa : aucun code n'est nécessaire.");

    await trx.updateTable("signing_codes").set({ expires_at: sql`now()` }).where("member_id", "=", member.id).where("used_at", "is", null).execute();
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const row = await trx
      .insertInto("signing_codes")
      .values({ member_id: member.id, person_id: actor.id, code_hash: "", expires_at: new Date(Date.now() + CODE_MINUTES * 60_000), used_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.updateTable("signing_codes").set({ code_hash: hashSigningCode(deps.config.sessionSecret, row.id, code) }).where("id", "=", row.id).execute();
    const person = await trx.selectFrom("people").select(["email", "first_name"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
    await enqueueEmail(
      trx,
      {
        kind: "code_signature",
        to: person.email,
        conventionId,
        dedupeKey: `code:${row.id}`,
        ...signingCodeEmail({ firstName: person.first_name, title: convention.title, code: secretSlot("code"), minutes: CODE_MINUTES }),
        secrets: { code },
      },
      mailDomainOf(deps.config.mailFrom),
      deps.config.sessionSecret,
    );
    await appendAuditEvent(trx, {
      conventionId,
      type: "code_envoye",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      documentSha256: convention.frozen_sha256,
      payload: { step: step.position },
    });
  });
}
