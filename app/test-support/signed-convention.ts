import type { Database } from "../../db/connect";

export type SignedConventionValues = {
  status: string;
  title?: string;
  reference?: string | null;
  signed_on?: string;
  starts_on?: string;
  ends_on?: string | null;
  termination_effective_on?: string | null;
};

/**
 * A signed convention of Justice and the DINUM written straight into the tables, as finishCircuit
 * leaves it (the demo convention's data, template and parties), with the given status and dates.
 */
export async function insertSignedConvention(db: Database, values: SignedConventionValues): Promise<string> {
  const demo = await db.selectFrom("conventions").selectAll().where("title", "like", "%Incubateur%").executeTakeFirstOrThrow();
  const signedOn = values.signed_on ?? "2025-01-10";
  const { id } = await db
    .insertInto("conventions")
    .values({
      kind: "convention",
      parent_id: null,
      status: values.status,
      title: values.title ?? `Convention ${Math.random().toString(36).slice(2, 8)}`,
      reference: values.reference ?? null,
      delegant_organisation_id: demo.delegant_organisation_id,
      template: demo.template,
      data: JSON.stringify(demo.data),
      frozen_sha256: null,
      created_by: demo.created_by,
      decline_reason: null,
      signed_on: signedOn,
      starts_on: values.starts_on ?? signedOn,
      ends_on: values.ends_on === undefined ? "2026-12-31" : values.ends_on,
      termination_effective_on: values.termination_effective_on ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const parties = await db.selectFrom("convention_organisations").selectAll().where("convention_id", "=", demo.id).execute();
  await db.insertInto("convention_organisations").values(parties.map((p) => ({ ...p, convention_id: id }))).execute();
  return id;
}
