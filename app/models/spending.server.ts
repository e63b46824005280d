/** The délégataire's spending lines (issue 15): read by the spending page, the recording and the compte rendu d'exécution. */
import type { Credit } from "../domain/spending";
import type { Executor } from "./people.server";

export async function listSpendingLines(db: Executor, conventionId: string) {
  const rows = await db
    .selectFrom("spending_lines")
    .innerJoin("people", "people.id", "spending_lines.created_by")
    .select([
      "spending_lines.id",
      "spending_lines.year",
      "spending_lines.credit",
      "spending_lines.line_date",
      "spending_lines.amount_cents",
      "spending_lines.chorus_reference",
      "spending_lines.comment",
      "spending_lines.correction_reason",
      "spending_lines.created_at",
      "people.first_name",
      "people.last_name",
    ])
    .where("spending_lines.convention_id", "=", conventionId)
    .orderBy("spending_lines.year")
    .orderBy("spending_lines.line_date")
    .orderBy("spending_lines.created_at")
    .execute();
  return rows.map((r) => ({
    ...r,
    line_date: typeof r.line_date === "string" ? r.line_date : new Date(r.line_date as unknown as Date).toISOString().slice(0, 10),
    amountCents: Number(r.amount_cents),
    credit: r.credit as Credit,
  }));
}

/** Whether the person may record lines: a rédacteur of a délégataire organisation of the convention. */
export async function isDelegataireRedacteur(db: Executor, personId: string, conventionId: string) {
  const row = await db
    .selectFrom("people")
    .innerJoin("convention_organisations", "convention_organisations.organisation_id", "people.organisation_id")
    .select("people.roles")
    .where("people.id", "=", personId)
    .where("convention_organisations.convention_id", "=", conventionId)
    .where("convention_organisations.role", "=", "delegataire")
    .executeTakeFirst();
  return !!row && row.roles.includes("redacteur");
}


/** The comptes rendus d'exécution not yet signed (draft or in signature) of conventions the organisation is a party to. */
export async function listDueReports(db: Executor, organisationId: string) {
  const rows = await db
    .selectFrom("conventions as cr")
    .innerJoin("convention_organisations as co", (j) => j.onRef("co.convention_id", "=", "cr.id").on("co.organisation_id", "=", organisationId))
    .innerJoin("conventions as parent", "parent.id", "cr.parent_id")
    .select(["cr.id", "cr.status", "cr.data", "parent.id as parent_id", "parent.title as parent_title", "parent.reference", "co.role"])
    .where("cr.kind", "=", "compte_rendu")
    .where("cr.status", "in", ["brouillon", "en_signature"])
    .orderBy("cr.created_at")
    .limit(200)
    .execute();
  return rows.map(({ data, ...r }) => {
    const d = (data ?? {}) as { etabliLe?: string; fin?: { cause?: string; date?: string } };
    return { ...r, preparedOn: d.etabliLe ?? null, endedOn: d.fin?.date ?? null, terminated: d.fin?.cause === "resiliation" };
  });
}

/** The compte rendu d'exécution of a convention (the latest not cancelled), if prepared. */
export function findReport(db: Executor, conventionId: string) {
  return db
    .selectFrom("conventions")
    .select(["id", "status", "title"])
    .where("parent_id", "=", conventionId)
    .where("kind", "=", "compte_rendu")
    .where("status", "<>", "annulee")
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}
