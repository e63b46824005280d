import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { reminderEmail } from "../email/messages";
import { appendAuditEvent } from "../models/audit.server";
import { conventionLink } from "./circuit-shared.server";

/**
 * Reminds people whose turn it is: first `firstDays` after the invitation, then every `everyDays`,
 * at most `max` times; nothing once they have acted. Rows are claimed with SKIP LOCKED so that
 * several server instances never remind twice.
 */
export async function sendReminders(db: Database, config: Config, now = new Date()): Promise<number> {
  const { firstDays, everyDays, max } = config.reminders;
  if (max === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom("step_members")
      .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
      .innerJoin("conventions", "conventions.id", "circuit_steps.convention_id")
      .innerJoin("people", "people.id", "step_members.person_id")
      .select([
        "step_members.id",
        "step_members.reminders_sent",
        "circuit_steps.deadline",
        "conventions.id as convention_id",
        "conventions.title",
        "conventions.circuit_round",
        "people.email",
        "people.first_name",
      ])
      .where("conventions.status", "=", "en_signature")
      .where("circuit_steps.status", "=", "en_cours")
      .where("step_members.status", "=", "en_attente")
      .where("step_members.invited_at", "is not", null)
      .where("step_members.reminders_sent", "<", max)
      .where((eb) =>
        eb.or([
          eb.and([eb("step_members.last_reminder_at", "is", null), eb("step_members.invited_at", "<=", sql<Date>`${now}::timestamptz - make_interval(secs => ${firstDays * 86400})`)]),
          eb("step_members.last_reminder_at", "<=", sql<Date>`${now}::timestamptz - make_interval(secs => ${everyDays * 86400})`),
        ]),
      )
      .forUpdate("step_members")
      .skipLocked()
      .execute();
    for (const m of due) {
      const count = m.reminders_sent + 1;
      const deadline = m.deadline ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${m.deadline}T00:00:00Z`)) : null;
      await enqueueEmail(
        trx,
        { kind: "relance", to: m.email, conventionId: m.convention_id, dedupeKey: `relance:${m.id}:${m.circuit_round}:${count}`, ...reminderEmail({ firstName: m.first_name, title: m.title, link: conventionLink(config, m.convention_id), deadline, count }) },
        mailDomainOf(config.mailFrom),
      );
      await trx.updateTable("step_members").set({ reminders_sent: count, last_reminder_at: now }).where("id", "=", m.id).execute();
      await appendAuditEvent(trx, { conventionId: m.convention_id, type: "relance", actorId: null, payload: { to: m.email, count } });
    }
    return due.length;
  });
}
