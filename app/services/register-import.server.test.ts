import { createHash } from "node:crypto";
import type { Database } from "../../db/connect";
import { addMonths, parisDate } from "../domain/dates";
import { CAMILLE, circuitWorld } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import type { ConventionUser } from "./convention-access.server";
import { registerImport } from "./register-import.server";
import { DATAGOUV_KIND } from "./upload-datagouv.server";

let db: Database;
let close: () => Promise<void>;
// data.gouv.fr configured (nothing is contacted here: the job is only written to the outbox).
const config = testConfig({
  DATAGOUV_API_URL: "http://127.0.0.1:9/api/1",
  DATAGOUV_API_KEY: "cle-de-test",
  DATAGOUV_DATASET_ID: "jeu-conventions",
  DATAGOUV_RESOURCE_ID: "ressource-csv",
});
let signedData: unknown;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  const world = await circuitWorld(db, config);
  const id = await world.signedConvention();
  signedData = (await db.selectFrom("consolidations").select("data").where("convention_id", "=", id).executeTakeFirstOrThrow()).data;
  // That signature's own upload job: out of the way, this test counts the import's.
  await db.deleteFrom("outbox_messages").where("kind", "=", DATAGOUV_KIND).execute();
}, 180_000);
afterAll(() => close());

const user = (email: string): Promise<ConventionUser> => db.selectFrom("people").select(["id", "email", "roles", "organisation_id"]).where("email", "=", email).executeTakeFirstOrThrow();

/** An act uploaded as signed elsewhere, its data entered (as the import page leaves it before « Enregistrer l'acte »). */
async function uploadedAct(publishable: boolean) {
  const camille = await user(CAMILLE);
  const today = parisDate(new Date());
  const data = { ...(signedData as Record<string, unknown>), dateSignature: addMonths(today, -1), dateFin: addMonths(today, 6) };
  const bytes = new TextEncoder().encode(`%PDF-1.7 acte importé ${Math.random()}`);
  const row = await db
    .insertInto("conventions")
    .values({
      kind: "convention",
      parent_id: null,
      status: "brouillon",
      origin: "importe",
      title: `Acte importé ${Math.random().toString(36).slice(2, 8)}`,
      reference: null,
      delegant_organisation_id: (await db.selectFrom("organisations").select("id").where("short_name", "=", "MJ SG/SNUM").executeTakeFirstOrThrow()).id,
      template: "convention",
      data: JSON.stringify(data),
      frozen_sha256: null,
      created_by: camille.id,
      decline_reason: null,
      publishable,
      unpublished_reason: publishable ? null : "Acte classifié",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const orgs = await db.selectFrom("organisations").select(["id", "short_name"]).execute();
  await db
    .insertInto("convention_organisations")
    .values([
      { convention_id: row.id, organisation_id: orgs.find((o) => o.short_name === "MJ SG/SNUM")!.id, role: "delegant" },
      { convention_id: row.id, organisation_id: orgs.find((o) => o.short_name === "DINUM")!.id, role: "delegataire" },
    ])
    .execute();
  await db
    .insertInto("documents")
    .values({ convention_id: row.id, kind: "importe", round: 0, revision: 0, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length, bytes })
    .execute();
  return row.id;
}
const uploads = () => db.selectFrom("outbox_messages").select(["id", "body_text", "status"]).where("kind", "=", DATAGOUV_KIND).execute();

describe("registering an imported act", () => {
  it("enqueues the data.gouv.fr upload when the act is publishable, as a signed act does; not when it is marked not publishable", async () => {
    const hidden = await uploadedAct(false);
    expect(await registerImport(db, await user(CAMILLE), hidden, {}, new Date(), config)).toEqual({ ok: true, status: "en_vigueur" });
    expect(await uploads()).toHaveLength(0);

    const id = await uploadedAct(true);
    const title = (await db.selectFrom("conventions").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title;
    expect(await registerImport(db, await user(CAMILLE), id, {}, new Date(), config)).toEqual({ ok: true, status: "en_vigueur" });
    const jobs = await uploads();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "pending", body_text: `Acte importé enregistré : ${title}` });
  }, 120_000);
});
