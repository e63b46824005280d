// Issue 13: after each save the administration says what was saved (DSFR success alert on the list),
// and a new person gets a welcome e-mail through the outbox saying how to sign in.
import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { openSession } from "../models/sessions.server";
import { commitSessionCookie } from "../session.server";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import * as cbcmForm from "./admin.cbcm.$id";
import * as cbcmList from "./admin.cbcm._index";
import * as organisationForm from "./admin.organisations.$id";
import * as organisationList from "./admin.organisations._index";
import * as personForm from "./admin.personnes.$id";
import * as personList from "./admin.personnes._index";

let db: Database;
let close: () => Promise<void>;
let context: AppLoadContext;
let cookie: string;
const config = testConfig();
const BASE = "http://localhost";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
  context = { config, db, cspNonce: "n", clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  const sophie = await db.selectFrom("people").select("id").where("email", "=", "sophie.petit@dinum.example").executeTakeFirstOrThrow();
  const { sessionToken } = await openSession(db, { personId: sophie.id, authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "vitest" });
  cookie = (await commitSessionCookie(context, sessionToken)).split(";")[0];
}, 120_000);
afterAll(() => close());

type Module = { action?: (args: never) => Promise<unknown>; loader: (args: never) => Promise<unknown> };

async function post(mod: Module, path: string, id: string, fields: [string, string][]): Promise<string> {
  const body = new URLSearchParams(fields);
  const request = new Request(BASE + path, { method: "POST", body, headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
  const response = (await mod.action!({ request, context, params: { id } } as never)) as Response;
  expect(response).toBeInstanceOf(Response);
  expect(response.status).toBe(302);
  return response.headers.get("Location")!;
}

async function notice(mod: Module, location: string): Promise<string | null> {
  const request = new Request(BASE + location, { headers: { cookie } });
  const data = (await mod.loader({ request, context, params: {} } as never)) as { notice: string | null };
  return data.notice;
}

describe("administration saves", () => {
  it("an organisation: the list says it was added, then saved", async () => {
    const location = await post(organisationForm, "/admin/organisations/nouvelle", "nouvelle", [
      ["name", "Incubateur des territoires"],
      ["shortName", "IDT"],
      ["ministry", "Ministère de la Cohésion des territoires"],
    ]);
    expect(location).toMatch(/^\/admin\/organisations\?enregistre=[0-9a-f-]{36}&cree=1$/);
    expect(await notice(organisationList, location)).toBe("Organisation « Incubateur des territoires » ajoutée.");
    const id = new URL(BASE + location).searchParams.get("enregistre")!;
    const again = await post(organisationForm, `/admin/organisations/${id}`, id, [
      ["name", "Incubateur des territoires"],
      ["shortName", "IDT"],
      ["ministry", "Ministère de la Cohésion des territoires"],
      ["address", "20 avenue de Ségur, Paris"],
    ]);
    expect(await notice(organisationList, again)).toBe("Organisation « Incubateur des territoires » enregistrée.");
    // Without a save, no message.
    expect(await notice(organisationList, "/admin/organisations")).toBeNull();
    expect(await notice(organisationList, "/admin/organisations?enregistre=pas-un-id")).toBeNull();
  });

  it("a new person: success message and a welcome e-mail (sign-in link, roles, organisation) in the outbox; a later save sends none", async () => {
    const justice = await db.selectFrom("organisations").select("id").where("short_name", "=", "MJ SG/SNUM").executeTakeFirstOrThrow();
    const fields: [string, string][] = [
      ["firstName", "Élodie"],
      ["lastName", "Arnaud"],
      ["email", "elodie.arnaud@justice.example"],
      ["organisationId", justice.id],
      ["roles", "redacteur"],
      ["roles", "signataire"],
      ["active", "on"],
    ];
    const location = await post(personForm, "/admin/personnes/nouvelle", "nouvelle", fields);
    expect(await notice(personList, location)).toBe(
      "Élodie Arnaud a été ajouté(e). Un e-mail de bienvenue part à elodie.arnaud@justice.example : il dit comment se connecter à Paraphe.",
    );
    const mails = await db.selectFrom("outbox_messages").selectAll().where("to_address", "=", "elodie.arnaud@justice.example").execute();
    expect(mails).toHaveLength(1);
    expect(mails[0].kind).toBe("bienvenue");
    expect(mails[0].subject).toBe("Votre accès à Paraphe");
    expect(mails[0].body_text).toContain("Bonjour Élodie,");
    expect(mails[0].body_text).toContain(`${config.publicUrl}/connexion`);
    expect(mails[0].body_text).toContain("Vos rôles : rédacteur ou juriste, signataire.");
    expect(mails[0].body_text).toContain("pour l'organisation « Ministère de la Justice — Secrétariat général / Service du numérique »");
    expect(mails[0].body_text).toContain("saisissez votre adresse elodie.arnaud@justice.example");

    const id = new URL(BASE + location).searchParams.get("enregistre")!;
    const again = await post(personForm, `/admin/personnes/${id}`, id, fields.filter(([k]) => k !== "roles").concat([["roles", "redacteur"]]));
    expect(await notice(personList, again)).toBe("Fiche d'Élodie Arnaud enregistrée.");
    expect(await db.selectFrom("outbox_messages").select("id").where("to_address", "=", "elodie.arnaud@justice.example").execute()).toHaveLength(1);
  });

  it("a person created inactive gets no e-mail, and the message says so", async () => {
    const location = await post(personForm, "/admin/personnes/nouvelle", "nouvelle", [
      ["firstName", "Hugo"],
      ["lastName", "Morel"],
      ["email", "hugo.morel@cbcm.example"],
      ["organisationId", ""],
      ["roles", "cbcm"],
    ]);
    expect(await notice(personList, location)).toBe("Hugo Morel a été ajouté(e), avec un compte désactivé : aucun e-mail ne lui a été envoyé.");
    expect(await db.selectFrom("outbox_messages").select("id").where("to_address", "=", "hugo.morel@cbcm.example").execute()).toEqual([]);
  });

  it("a CBCM entry: the directory says it was added", async () => {
    const location = await post(cbcmForm, "/admin/cbcm/nouveau", "nouveau", [
      ["name", "CBCM du ministère de la Culture"],
      ["emails", "cbcm@culture.example"],
      ["ministry", "Ministère de la Culture"],
    ]);
    expect(await notice(cbcmList, location)).toBe("« CBCM du ministère de la Culture » ajouté à l'annuaire des CBCM.");
  });
});
