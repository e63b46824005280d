/**
 * The scheduler prepares the compte rendu d'exécution of a convention that has ended (expired, or its
 * termination has taken effect): a draft act of kind `compte_rendu` from templates/compte-rendu.tpl,
 * whose figures are the lines the délégataire recorded, signed by the délégataire's signatory alone
 * (a one-step circuit proposed from its signature block). Then, until it is signed, the délégataire's
 * rédacteurs are reminded every REPORT_REMINDER_DAYS days (e-mail + portal alert).
 *
 * Both run in the scheduler's transaction with the row claimed FOR UPDATE SKIP LOCKED; the partial
 * unique index `conventions_one_report` and the `report_reminders` key make a replay a no-op.
 */
import type { Config } from "../config.server";
import { buildCompteRendu } from "../domain/compte-rendu";
import { formatDateLongue } from "../domain/convention";
import { daysBetween } from "../domain/dates";
import { reportPreparedEmail, reportReminderEmail } from "../email/report-email";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { appendAuditEvent } from "../models/audit.server";
import { insertConventionVersion } from "../models/convention-versions.server";
import type { Executor } from "../models/people.server";
import { listSpendingLines } from "../models/spending.server";
import { lockConvention, type Trx } from "./circuit-shared.server";
import { actBasis } from "./create-avenant.server";
import { actLink } from "./lifecycle-shared.server";

/** The active rédacteurs of the convention's délégataire(s): they prepare, launch and are reminded. */
export function delegataireRedacteurs(db: Executor, conventionId: string) {
  return db
    .selectFrom("people")
    .innerJoin("convention_organisations", "convention_organisations.organisation_id", "people.organisation_id")
    .select(["people.id", "people.email", "people.first_name", "people.last_name"])
    .where("convention_organisations.convention_id", "=", conventionId)
    .where("convention_organisations.role", "=", "delegataire")
    .where("people.active", "=", true)
    .where((eb) => eb(eb.val("redacteur"), "=", eb.fn.any("people.roles")))
    .orderBy("people.last_name")
    .orderBy("people.first_name")
    .execute();
}

/** Prepares the report of an ended convention (claimed by the scheduler). Returns the report's id. */
export async function prepareReport(trx: Trx, config: Config, conventionId: string, today: string): Promise<string> {
  const parent = await lockConvention(trx, conventionId);
  const resiliee = parent.status === "resiliee";
  const endedOn = resiliee ? parent.termination_effective_on : parent.ends_on;
  const { base, baseSigneeLe, actesModifies } = await actBasis(trx, parent);
  const lines = await listSpendingLines(trx, parent.id);
  const data = buildCompteRendu({
    base,
    baseSigneeLe,
    actesModifies,
    fin: { cause: resiliee ? "resiliation" : "expiration", date: endedOn ?? today },
    etabliLe: today,
    lines: lines.map((l) => ({ ...l, line_date: l.line_date })),
  });
  const redacteurs = await delegataireRedacteurs(trx, parent.id);
  // The act's author: the délégataire's rédacteur who will carry it (none active: the convention's author).
  const author = redacteurs[0]?.id ?? parent.created_by;
  const title = `Compte rendu d'exécution — ${parent.title}`;
  const row = await trx
    .insertInto("conventions")
    .values({
      kind: "compte_rendu",
      parent_id: parent.id,
      status: "brouillon",
      title,
      reference: parent.reference,
      delegant_organisation_id: parent.delegant_organisation_id,
      template: "compte-rendu",
      data: JSON.stringify(data),
      version: 1,
      frozen_sha256: null,
      created_by: author,
      decline_reason: null,
      avenant_number: null,
      // A report between the parties, not an act of the public register.
      publishable: false,
      unpublished_reason: "Compte rendu d'exécution : document adressé au délégant et aux CBCM, hors registre public.",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const parties = await trx.selectFrom("convention_organisations").selectAll().where("convention_id", "=", parent.id).execute();
  await trx.insertInto("convention_organisations").values(parties.map((p) => ({ ...p, convention_id: row.id }))).execute();
  await insertConventionVersion(trx, { conventionId: row.id, version: 1, data, authorId: author, summary: "Compte rendu d'exécution préparé par le portail à la fin de la convention" });
  const payload = { parentId: parent.id, reportId: row.id, fin: data.fin, lignes: data.lignes.length };
  await appendAuditEvent(trx, { conventionId: row.id, type: "compte_rendu_prepare", actorId: null, payload });
  await appendAuditEvent(trx, { conventionId: parent.id, type: "compte_rendu_prepare", actorId: null, payload });
  const endedLabel = formatDateLongue(data.fin.date);
  for (const p of redacteurs) {
    await enqueueEmail(
      trx,
      {
        kind: "compte_rendu_prepare",
        to: p.email,
        conventionId: row.id,
        dedupeKey: `compte_rendu_prepare:${row.id}:${p.id}`,
        ...reportPreparedEmail({ firstName: p.first_name, title: parent.title, endedOn: endedLabel, link: actLink(config, row.id) }),
      },
      mailDomainOf(config.mailFrom),
    );
    await trx
      .insertInto("alerts")
      .values({ person_id: p.id, convention_id: row.id, message: `Le compte rendu d'exécution de « ${parent.title} » est prêt : faites-le signer par le délégataire.`, read_at: null })
      .execute();
  }
  return row.id;
}

/**
 * Reminder n° k of a report still unsigned, k = ⌊days since prepared / REPORT_REMINDER_DAYS⌋ (k ≥ 1),
 * to the délégataire's rédacteurs. After downtime over several periods, one reminder stands for all.
 */
export async function remindReport(trx: Trx, config: Config, report: { id: string; title: string; parent_id: string | null; data: unknown }, today: string) {
  const preparedOn = (report.data as { etabliLe?: string }).etabliLe;
  if (!preparedOn || !report.parent_id) return;
  const days = daysBetween(preparedOn, today);
  const number = Math.floor(days / config.reportReminderDays);
  if (number < 1) return;
  const inserted = await trx.insertInto("report_reminders").values({ report_id: report.id, number }).onConflict((oc) => oc.doNothing()).returning("number").executeTakeFirst();
  if (!inserted) return;
  const parent = await trx.selectFrom("conventions").select("title").where("id", "=", report.parent_id).executeTakeFirstOrThrow();
  for (const p of await delegataireRedacteurs(trx, report.id)) {
    await enqueueEmail(
      trx,
      {
        kind: "rappel_compte_rendu",
        to: p.email,
        conventionId: report.id,
        dedupeKey: `rappel_compte_rendu:${report.id}:${number}:${p.id}`,
        ...reportReminderEmail({ firstName: p.first_name, title: parent.title, preparedOn: formatDateLongue(preparedOn), days, link: actLink(config, report.id) }),
      },
      mailDomainOf(config.mailFrom),
    );
    await trx
      .insertInto("alerts")
      .values({ person_id: p.id, convention_id: report.id, message: `Le compte rendu d'exécution de « ${parent.title} » attend sa signature depuis ${days} jours.`, read_at: null })
      .execute();
  }
  await appendAuditEvent(trx, { conventionId: report.id, type: "rappel_compte_rendu", actorId: null, payload: { number, days } });
}
