import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { findOrganisationByName, insertOrganisation, updateOrganisation } from "../models/organisations.server";

export class DuplicateError extends Error {}

export type OrganisationInput = { name: string; shortName: string; ministry: string; address: string | null };

/** Creates (id null) or updates an organisation; administrateurs only (checked by the route). */
export function saveOrganisation(db: Database, actorId: string, id: string | null, input: OrganisationInput) {
  return db.transaction().execute(async (trx) => {
    const same = await findOrganisationByName(trx, input.name);
    if (same && same.id !== id) throw new DuplicateError("Une organisation porte déjà ce nom.");
    const values = { name: input.name, short_name: input.shortName, ministry: input.ministry, address: input.address };
    const saved = id ? await updateOrganisation(trx, id, values) : await insertOrganisation(trx, values);
    if (!saved) throw new Response("Organisation introuvable", { status: 404 });
    await appendAuditEvent(trx, { conventionId: null, type: id ? "organisation_modifiee" : "organisation_creee", actorId, payload: { organisationId: saved.id, ...values } });
    return saved;
  });
}
