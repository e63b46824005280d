/**
 * The one scheduler of time-driven changes, run every minute by the server (and by /dev/horloge in
 * tests): entry into force, termination taking effect, expiry, end-date reminders and the signing
 * reminders; the compte rendu d'exécution of an ended convention and its reminders. `at` is the clock: nothing here reads the time itself.
 *
 * Each due job is claimed with FOR UPDATE SKIP LOCKED and applied in its own transaction with its
 * audit event, e-mails and alerts; what it changes takes the row out of the due set, so that several
 * instances over one PostgreSQL apply each change once, a replay is a no-op, and a server stopped over
 * a due date catches up when it runs again (the queries ask « due on or before today », not « today »).
 */
import { sql, type SelectQueryBuilder } from "kysely";
import type { Database } from "../../db/connect";
import type { DB } from "../../db/schema";
import type { Config } from "../config.server";
import { formatDateLongue } from "../domain/convention";
import { daysBetween, parisDate } from "../domain/dates";
import { endReminderEmail } from "../email/messages";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { appendAuditEvent } from "../models/audit.server";
import { enterIntoForce, expire, terminate } from "./apply-signed-act.server";
import type { Trx } from "./circuit-shared.server";
import { actLink, partyRedacteurs } from "./lifecycle-shared.server";
import { prepareReport, remindReport } from "./prepare-report.server";
import { sendReminders } from "./send-reminders.server";

export type SchedulerDeps = { config: Config };
export type SchedulerReport = {
  entreesEnVigueur: number;
  resiliations: number;
  expirations: number;
  rappelsEcheance: number;
  comptesRendus: number;
  rappelsCompteRendu: number;
  relances: number;
  erreurs: number;
};

type Row = { id: string; title: string; status: string; starts_on: string | null; ends_on: string | null; termination_effective_on: string | null };

export async function runScheduler(db: Database, deps: SchedulerDeps, at: Date): Promise<SchedulerReport> {
  const { config } = deps;
  const today = parisDate(at);
  const report: SchedulerReport = { entreesEnVigueur: 0, resiliations: 0, expirations: 0, rappelsEcheance: 0, comptesRendus: 0, rappelsCompteRendu: 0, relances: 0, erreurs: 0 };
  const columns = ["id", "title", "status", "starts_on", "ends_on", "termination_effective_on"] as const;
  const conventions = (trx: Trx) => trx.selectFrom("conventions").select(columns).where("kind", "=", "convention");

  // Order matters only for a catch-up over several dates: in force first, then the end (termination
  // before expiry when the notice takes effect on or before the end date; the conditions are disjoint).
  report.entreesEnVigueur = await eachDue(db, report, "entrée en vigueur", (trx) => conventions(trx).where("status", "=", "signee").where("starts_on", "<=", today).orderBy("starts_on"), (trx, c) => enterIntoForce(trx, config, c));
  report.resiliations = await eachDue(
    db,
    report,
    "résiliation",
    (trx) =>
      conventions(trx)
        .where("status", "=", "resiliation_notifiee")
        .where("termination_effective_on", "<=", today)
        .where((eb) => eb.or([eb("ends_on", "is", null), eb("termination_effective_on", "<=", eb.ref("ends_on"))]))
        .orderBy("termination_effective_on"),
    (trx, c) => terminate(trx, config, c),
  );
  report.expirations = await eachDue(
    db,
    report,
    "expiration",
    (trx) =>
      conventions(trx)
        .where("status", "in", ["en_vigueur", "resiliation_notifiee"])
        .where("ends_on", "<", today)
        .where((eb) => eb.or([eb("termination_effective_on", "is", null), eb("termination_effective_on", ">", eb.ref("ends_on"))]))
        .orderBy("ends_on"),
    (trx, c) => expire(trx, config, c),
  );
  const days = config.endReminderDays;
  if (days.length > 0) {
    report.rappelsEcheance = await eachDue(
      db,
      report,
      "rappel d'échéance",
      (trx) =>
        conventions(trx)
          .where("status", "=", "en_vigueur")
          .where("ends_on", ">=", today)
          .where(
            sql<boolean>`exists (select 1 from unnest(${sql.val(days)}::int[]) as d(days)
              where conventions.ends_on - d.days <= ${today}::date
              and not exists (select 1 from end_reminders r where r.convention_id = conventions.id and r.days_before = d.days and r.ends_on = conventions.ends_on))`,
          )
          .orderBy("ends_on"),
      (trx, c) => remindEnd(trx, config, c, today),
    );
  }
  // The compte rendu d'exécution of every ended convention (expired, or terminated), once: a cancelled
  // one is prepared again, the report being owed.
  report.comptesRendus = await eachDue(
    db,
    report,
    "compte rendu d'exécution",
    (trx) =>
      conventions(trx)
        .where("status", "in", ["expiree", "resiliee"])
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("conventions as cr")
                .select("cr.id")
                .whereRef("cr.parent_id", "=", "conventions.id")
                .where("cr.kind", "=", "compte_rendu")
                .where("cr.status", "<>", "annulee"),
            ),
          ),
        )
        .orderBy("ends_on"),
    async (trx, c) => {
      await prepareReport(trx, config, c.id, today);
    },
  );
  // Until it is signed, its reminders every REPORT_REMINDER_DAYS days (number k due on day k × N).
  const every = config.reportReminderDays;
  report.rappelsCompteRendu = await eachDue(
    db,
    report,
    "rappel de compte rendu",
    (trx) =>
      trx
        .selectFrom("conventions")
        .select(columns)
        .where("kind", "=", "compte_rendu")
        .where("status", "in", ["brouillon", "en_signature"])
        .where(sql<boolean>`(${today}::date - (conventions.data->>'etabliLe')::date) >= ${every}`)
        .where(
          sql<boolean>`not exists (select 1 from report_reminders r where r.report_id = conventions.id
            and r.number = (${today}::date - (conventions.data->>'etabliLe')::date) / ${every})`,
        )
        .orderBy("created_at"),
    async (trx, c) => {
      const row = await trx.selectFrom("conventions").select(["id", "title", "parent_id", "data"]).where("id", "=", c.id).executeTakeFirstOrThrow();
      await remindReport(trx, config, row, today);
    },
  );
  try {
    report.relances = await sendReminders(db, config, at);
  } catch (error) {
    report.erreurs++;
    console.error("[planificateur] relances de signature :", (error as Error).message);
  }
  return report;
}

/**
 * Claims due rows one at a time (FOR UPDATE SKIP LOCKED: a row another instance holds is left to it)
 * and applies `apply` in the same transaction. A job that fails is logged and skipped for this run.
 */
async function eachDue(
  db: Database,
  report: SchedulerReport,
  label: string,
  due: (trx: Trx) => SelectQueryBuilder<DB, "conventions", Row>,
  apply: (trx: Trx, row: Row) => Promise<void>,
): Promise<number> {
  let applied = 0;
  const failed: string[] = [];
  for (;;) {
    let id: string | null = null;
    try {
      const done = await db.transaction().execute(async (trx) => {
        let query = due(trx);
        if (failed.length) query = query.where("id", "not in", failed);
        const row = await query.limit(1).forUpdate().skipLocked().executeTakeFirst();
        if (!row) return false;
        id = row.id;
        await apply(trx, row);
        return true;
      });
      if (!done) return applied;
      applied++;
    } catch (error) {
      report.erreurs++;
      console.error(`[planificateur] ${label} de ${id ?? "?"} :`, (error as Error).message);
      if (!id) return applied;
      failed.push(id);
    }
  }
}

/**
 * The rédacteurs of both parties are told the end date is near: once per threshold and end date.
 * After downtime over several thresholds, one message (the nearest threshold) stands for all.
 */
async function remindEnd(trx: Trx, config: Config, c: Row, today: string) {
  const endsOn = c.ends_on!;
  const daysLeft = daysBetween(today, endsOn);
  const sent = await trx.selectFrom("end_reminders").select("days_before").where("convention_id", "=", c.id).where("ends_on", "=", endsOn).execute();
  const due = config.endReminderDays.filter((d) => d >= daysLeft && !sent.some((s) => s.days_before === d));
  if (due.length === 0) return;
  const threshold = Math.min(...due);
  await trx
    .insertInto("end_reminders")
    .values(due.map((d) => ({ convention_id: c.id, days_before: d, ends_on: endsOn })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  const endsOnLabel = formatDateLongue(endsOn);
  for (const p of await partyRedacteurs(trx, c.id)) {
    await enqueueEmail(
      trx,
      {
        kind: "rappel_echeance",
        to: p.email,
        conventionId: c.id,
        dedupeKey: `rappel_echeance:${c.id}:${endsOn}:${threshold}:${p.id}`,
        ...endReminderEmail({ firstName: p.first_name, title: c.title, endsOn: endsOnLabel, daysLeft, link: actLink(config, c.id), avenantLink: `${actLink(config, c.id)}/avenant` }),
      },
      mailDomainOf(config.mailFrom),
    );
    await trx
      .insertInto("alerts")
      .values({ person_id: p.id, convention_id: c.id, message: `« ${c.title} » prend fin le ${endsOnLabel} : préparez un avenant pour la prolonger.`, read_at: null })
      .execute();
  }
  await appendAuditEvent(trx, { conventionId: c.id, type: "rappel_echeance", actorId: null, payload: { endsOn, daysBefore: threshold, daysLeft } });
}
