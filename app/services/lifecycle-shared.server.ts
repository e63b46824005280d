/** Pieces shared by the life-after-signature use cases (signed acts, scheduler): who is told, and how. Not a use case itself. */
import type { Config } from "../config.server";
import { formatDateLongue } from "../domain/convention";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { lifecycleEmail } from "../email/messages";
import type { Executor } from "../models/people.server";

/** The active rédacteurs of every party to the convention (délégant and délégataires). */
export function partyRedacteurs(db: Executor, conventionId: string) {
  return db
    .selectFrom("people")
    .innerJoin("convention_organisations", "convention_organisations.organisation_id", "people.organisation_id")
    .select(["people.id", "people.email", "people.first_name", "people.last_name"])
    .where("convention_organisations.convention_id", "=", conventionId)
    .where("people.active", "=", true)
    .where((eb) => eb(eb.val("redacteur"), "=", eb.fn.any("people.roles")))
    .orderBy("people.last_name")
    .execute();
}

export const actLink = (config: Config, conventionId: string) => `${config.publicUrl}/conventions/${conventionId}`;

/**
 * Tells the rédacteurs of both parties, in the caller's transaction: an e-mail each (deduplicated by
 * `dedupeKey`, so a replayed job never mails twice) and a portal alert.
 */
export async function tellParties(
  trx: Executor,
  config: Config,
  convention: { id: string; title: string },
  input: { kind: string; dedupeKey: string; what: string },
) {
  for (const p of await partyRedacteurs(trx, convention.id)) {
    const queued = await enqueueEmail(
      trx,
      {
        kind: input.kind,
        to: p.email,
        conventionId: convention.id,
        dedupeKey: `${input.dedupeKey}:${p.id}`,
        ...lifecycleEmail({ firstName: p.first_name, title: convention.title, what: input.what, link: actLink(config, convention.id) }),
      },
      mailDomainOf(config.mailFrom),
    );
    if (queued) await trx.insertInto("alerts").values({ person_id: p.id, convention_id: convention.id, message: `« ${convention.title} » ${input.what}.`, read_at: null }).execute();
  }
}

export const longDate = (iso: string) => formatDateLongue(iso);
