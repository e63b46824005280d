// Issue 13: a draft whose délégant's ministry has no CBCM in the directory cannot be launched; an
// administrator adding that ministry's CBCM (the « Annuaire des CBCM » page, its action and service)
// unblocks it, with nothing for the rédacteur to change.
import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { openSession } from "../models/sessions.server";
import * as cbcmForm from "../routes/admin.cbcm.$id";
import { commitSessionCookie } from "../session.server";
import { CAMILLE, circuitWorld } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { launchCircuit } from "./launch-circuit.server";
import { launchReadiness } from "./launch-readiness.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;
let context: AppLoadContext;
let cookie: string;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  context = { config, db, cspNonce: "n", clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  const sophie = await db.selectFrom("people").select("id").where("email", "=", "sophie.petit@dinum.example").executeTakeFirstOrThrow();
  const { sessionToken } = await openSession(db, { personId: sophie.id, authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "vitest" });
  cookie = (await commitSessionCookie(context, sessionToken)).split(";")[0];
}, 300_000);
afterAll(() => close());

const status = async (id: string) => (await db.selectFrom("conventions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

/** The administrator submits the « Nouveau CBCM » form. */
async function adminAddsCbcm(fields: [string, string][]): Promise<Response> {
  const request = new Request("http://localhost/admin/cbcm/nouveau", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
  });
  return (await cbcmForm.action({ request, context, params: { id: "nouveau" } } as never)) as Response;
}

describe("no CBCM for the délégant's ministry", () => {
  it("refuses the launch until an administrator adds that ministry's CBCM to the directory, then launches", async () => {
    const id = await world.freshDraft();
    const culture = await db.selectFrom("organisations").select("id").where("ministry", "=", "Ministère de la Culture").executeTakeFirstOrThrow();
    await db.updateTable("conventions").set({ delegant_organisation_id: culture.id }).where("id", "=", id).execute();
    expect(await db.selectFrom("cbcm").select("id").where("ministry", "=", "Ministère de la Culture").execute()).toEqual([]);
    const conv = await db.selectFrom("conventions").select(["id", "data"]).where("id", "=", id).executeTakeFirstOrThrow();
    const message = "Aucun CBCM n'est enregistré pour le ministère de la Culture : l'acte ne lui sera pas transmis";
    expect((await launchReadiness(db, conv)).cbcm).toBe(message);
    await expect(launchCircuit(db, world.deps, world.actor(CAMILLE), id)).rejects.toThrow(message);
    expect(await status(id)).toBe("brouillon");

    // A CBCM of another ministry does not cover the Culture.
    const other = await adminAddsCbcm([
      ["name", "CBCM du ministère des Sports"],
      ["emails", "cbcm-sports@cbcm.example"],
      ["ministry", "Ministère des Sports"],
    ]);
    expect(other.status).toBe(302);
    await expect(launchCircuit(db, world.deps, world.actor(CAMILLE), id)).rejects.toThrow(message);

    const saved = await adminAddsCbcm([
      ["name", "CBCM du ministère de la Culture"],
      ["emails", "cbcm-culture@cbcm.example"],
      ["ministry", "Ministère de la Culture"],
    ]);
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toMatch(/^\/admin\/cbcm\?enregistre=[0-9a-f-]{36}&cree=1$/);
    const entry = await db.selectFrom("cbcm").selectAll().where("ministry", "=", "Ministère de la Culture").executeTakeFirstOrThrow();
    expect(entry.emails).toEqual(["cbcm-culture@cbcm.example"]);

    // Nothing changed on the draft: the directory now covers its ministry.
    expect((await launchReadiness(db, conv)).cbcm).toBeNull();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    expect(await status(id)).toBe("en_signature");
  });
});
