import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { appendAuditEvent } from "../models/audit.server";
import { DuplicateError } from "./save-organisation.server";

export type CbcmInput = { name: string; emails: string[]; ministry: string | null; servesPremierMinistre: boolean };

/** Creates or updates a CBCM of the directory; only one serves the services du Premier ministre. */
export function saveCbcm(db: Database, actorId: string, id: string | null, input: CbcmInput) {
  return db.transaction().execute(async (trx) => {
    const same = await trx.selectFrom("cbcm").select("id").where("name", "=", input.name).executeTakeFirst();
    if (same && same.id !== id) throw new DuplicateError("Un CBCM porte déjà ce nom.");
    if (!input.servesPremierMinistre && !input.ministry) throw new DuplicateError("Indiquez le ministère couvert, ou cochez « services du Premier ministre ».");
    if (input.servesPremierMinistre) {
      await trx.updateTable("cbcm").set({ serves_premier_ministre: false }).where("serves_premier_ministre", "=", true).where("id", "!=", id ?? sql<string>`'00000000-0000-0000-0000-000000000000'::uuid`).execute();
    }
    const values = { name: input.name, emails: input.emails, ministry: input.ministry, serves_premier_ministre: input.servesPremierMinistre };
    const saved = id
      ? await trx.updateTable("cbcm").set(values).where("id", "=", id).returning("id").executeTakeFirst()
      : await trx.insertInto("cbcm").values(values).returning("id").executeTakeFirstOrThrow();
    if (!saved) throw new Response("CBCM introuvable", { status: 404 });
    await appendAuditEvent(trx, { conventionId: null, type: id ? "cbcm_modifie" : "cbcm_cree", actorId, payload: { cbcmId: saved.id, ...values } });
    return saved;
  });
}
