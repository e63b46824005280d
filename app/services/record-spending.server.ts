/**
 * Records one spending line of a convention in force (issue 15): by a rédacteur of the délégataire,
 * refused when it would make that year's consumption exceed what is delegated (or go below zero).
 * One transaction with the convention's row locked, so two lines recorded at once are checked one
 * after the other and can never overshoot together; an audit event; never an edit of a line.
 */
import type { Database } from "../../db/connect";
import { checkNewLine, spendingFormSchema, spendingTable, type Credit } from "../domain/spending";
import type { FieldError } from "../domain/convention";
import { appendAuditEvent } from "../models/audit.server";
import type { Executor } from "../models/people.server";
import { isDelegataireRedacteur, listSpendingLines } from "../models/spending.server";
import { CircuitError, lockConvention, type Actor } from "./circuit-shared.server";

/** Statuses in which the délégataire spends: in force, including while a termination notice runs. */
export const SPENDING_STATUSES = ["en_vigueur", "resiliation_notifiee"];

export { isDelegataireRedacteur, listSpendingLines };

export type RecordResult = { ok: true; id: string } | { ok: false; errors: FieldError[] };

export async function spendingSummary(db: Executor, conventionId: string, data: unknown) {
  const lines = await listSpendingLines(db, conventionId);
  return { lines, table: spendingTable(data, lines.map((l) => ({ year: l.year, credit: l.credit, amountCents: l.amountCents }))) };
}

export async function recordSpending(db: Database, actor: Actor, conventionId: string, input: unknown): Promise<RecordResult> {
  const parsed = spendingFormSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? ""), message: i.message })) };
  const line = parsed.data;
  return db.transaction().execute(async (trx) => {
    const convention = await lockConvention(trx, conventionId);
    if (convention.kind !== "convention") throw new CircuitError("Les dépenses se rattachent à la convention, pas à un avenant ni à une résiliation.");
    if (!SPENDING_STATUSES.includes(convention.status)) throw new CircuitError("Les dépenses ne s'enregistrent que pendant que la convention est en vigueur.");
    if (!(await isDelegataireRedacteur(trx, actor.id, conventionId))) throw new CircuitError("Seuls les rédacteurs du délégataire enregistrent les dépenses.");
    const lines = await listSpendingLines(trx, conventionId);
    const refusal = checkNewLine(convention.data, lines.map((l) => ({ year: l.year, credit: l.credit, amountCents: l.amountCents })), line);
    if (refusal) return { ok: false, errors: [refusal] };
    const row = await trx
      .insertInto("spending_lines")
      .values({
        convention_id: conventionId,
        year: line.annee,
        credit: line.credit,
        line_date: line.date,
        amount_cents: line.montant,
        chorus_reference: line.chorus,
        comment: line.commentaire ?? null,
        correction_reason: line.montant < 0 ? (line.motif ?? null) : null,
        created_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      conventionId,
      type: line.montant < 0 ? "depense_corrigee" : "depense_enregistree",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      payload: { ligne: row.id, annee: line.annee, credit: line.credit, montantCentimes: line.montant, chorus: line.chorus, ...(line.montant < 0 ? { motif: line.motif } : {}) },
    });
    return { ok: true, id: row.id };
  });
}
