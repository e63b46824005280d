// Forged ids in form fields and route parameters, and an unknown template name: PostgreSQL refuses
// to compare a uuid column with a malformed value, which used to surface as a 500. Each must be
// answered « not found » (404) or with a French message. Run on PostgreSQL too (DATABASE_URL).
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { openSession } from "../models/sessions.server";
import { commitSessionCookie } from "../session.server";
import type { Config } from "../config.server";
import { saveDraft } from "../services/save-draft.server";
import { draftProblems, renderDraftHtml } from "../services/render-draft.server";
import * as circuit from "./conventions.$id_.circuit";
import * as nouvelle from "./conventions.nouvelle";
import * as transmission from "./conventions.$id_.transmission";
import * as delegations from "./delegations";
import * as versions from "./conventions.$id_.versions";
import * as convention from "./conventions.$id";
import * as personne from "./admin.personnes.$id";
import * as organisation from "./admin.organisations.$id";
import * as cbcm from "./admin.cbcm.$id";

let db: Database;
let close: () => Promise<void>;
let config: Config;
let context: AppLoadContext;
let draftId: string;
const cookies: Record<string, string> = Object.create(null);

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SOPHIE = "sophie.petit@dinum.example";
const FORGED = ["", "abc", "1", "-1", "00000000-0000-0000-0000-00000000000g", "' or '1'='1", "%00", "x".repeat(5000)];

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  config = testConfig();
  await seedDemo(db);
  context = { config, db, pki: null, cspNonce: "n", clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  for (const p of await db.selectFrom("people").select(["id", "email"]).execute()) {
    const { sessionToken } = await openSession(db, { personId: p.id, authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "vitest" });
    cookies[p.email] = (await commitSessionCookie(context, sessionToken)).split(";")[0];
  }
  draftId = (await db.selectFrom("conventions").select("id").where("status", "=", "brouillon").orderBy("created_at").executeTakeFirstOrThrow()).id;
});
afterAll(() => close?.());

/** Calls a loader or action as `as`; a thrown Response is an answer, anything else a failure (a 500). */
async function call(fn: (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<unknown>, as: string, path: string, params: Record<string, string>, form?: [string, string][]) {
  const body = form ? new URLSearchParams(form) : undefined;
  const request = new Request(`${config.publicUrl}${path}`, {
    method: form ? "POST" : "GET",
    body,
    headers: { Cookie: cookies[as], ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
  });
  try {
    return await fn({ request, context, params } as ActionFunctionArgs & LoaderFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const errorOf = (answer: unknown) => (answer && typeof answer === "object" && "error" in answer ? (answer as { error: unknown }).error : answer instanceof Response ? answer.status : answer);

describe("malformed ids in form fields", () => {
  it.each(FORGED.map((v) => [JSON.stringify(v.slice(0, 20)), v]))("delegationId %s: « Délégation introuvable. »", async (_label, value) => {
    const answer = await call(delegations.action, CANTON, "/delegations", {}, [["intent", "revoquer"], ["delegationId", value]]);
    expect(errorOf(answer)).toBe("Délégation introuvable.");
  });

  it.each(FORGED.map((v) => [JSON.stringify(v.slice(0, 20)), v]))("recipientId and transmissionId %s: a French message", async (_label, value) => {
    const path = `/conventions/${draftId}/transmission`;
    expect(errorOf(await call(transmission.action, CAMILLE, path, { id: draftId }, [["intent", "retirer"], ["recipientId", value]]))).toBe("Ce destinataire n'existe pas ou a déjà été retiré.");
    expect(errorOf(await call(transmission.action, CAMILLE, path, { id: draftId }, [["intent", "renvoyer"], ["transmissionId", value]]))).toBe("Transmission introuvable.");
  });

  it.each(FORGED.map((v) => [JSON.stringify(v.slice(0, 20)), v]))("memberId %s: a French message", async (_label, value) => {
    const answer = (await call(circuit.action, CAMILLE, `/conventions/${draftId}/circuit`, { id: draftId }, [["intent", "renvoyer"], ["memberId", value]])) as { kind: string; error: string };
    expect(answer.kind).toBe("error");
    expect(answer.error).toBe("Cette personne n'a pas d'invitation en attente.");
  });

  it.each(FORGED.map((v) => [JSON.stringify(v.slice(0, 20)), v]))("a new convention's délégataire %s: a French message", async (_label, value) => {
    const answer = (await call(nouvelle.action, CAMILLE, "/conventions/nouvelle", {}, [["intitule", "Essai"], ["delegataires", value]])) as { errors: Record<string, string> };
    expect(answer.errors.delegataires).toBe("Un des délégataires choisis n'existe pas.");
  });
});

describe("version numbers out of PostgreSQL's integer range", () => {
  it.each([["99999999999"], ["-99999999999"], ["1.5"], ["1e3"], ["0x10"], [""]])("version %s: a French message", async (value) => {
    for (const [version, actuelle] of [[value, "1"], ["1", value]]) {
      const answer = await call(versions.action, CAMILLE, `/conventions/${draftId}/versions`, { id: draftId }, [["version", version], ["actuelle", actuelle]]);
      expect(answer instanceof Response ? answer.status : 200, `${version}/${actuelle}`).toBeLessThan(500);
      if (!(answer instanceof Response)) expect((answer as { message: string }).message, `${version}/${actuelle}`).toMatch(/[a-zà-ü]/);
    }
  });
});

describe("malformed ids in route parameters", () => {
  it.each(FORGED.filter(Boolean).map((v) => [JSON.stringify(v.slice(0, 20)), v]))("$id %s: 404", async (_label, value) => {
    for (const [fn, as, params] of [
      [convention.loader, CAMILLE, { id: value }],
      [personne.loader, SOPHIE, { id: value }],
      [organisation.loader, SOPHIE, { id: value }],
      [cbcm.loader, SOPHIE, { id: value }],
    ] as const) {
      const answer = await call(fn as never, as, "/", params);
      expect(answer instanceof Response ? answer.status : answer).toBe(404);
    }
  });
});

describe("an unknown template name", () => {
  it.each([["inconnu"], ["../../etc/passwd"], ["Convention"], ["x".repeat(300)]])("%s: the save is refused with a French message on the field; rendering says so too", async (modele) => {
    const draft = await db.selectFrom("conventions").select(["data", "version", "title"]).where("id", "=", draftId).executeTakeFirstOrThrow();
    const people = await db.selectFrom("people").select(["id", "organisation_id"]).where("email", "=", CAMILLE).executeTakeFirstOrThrow();
    const data = { ...(draft.data as Record<string, unknown>), modele };
    const result = await saveDraft(db, { actorId: people.id, organisationId: people.organisation_id, conventionId: draftId, expectedVersion: draft.version, intitule: draft.title, data });
    expect(result.status).toBe("invalid");
    expect(result.status === "invalid" && result.errors).toEqual([{ path: "modele", message: expect.stringMatching(/^Modèle de convention inconnu : « .* »\. Rechargez la page de rédaction\.$/) }]);
    // A draft stored with it anyway (written before this check) is shown with the same message.
    expect(draftProblems(data)).toEqual([{ path: "modele", message: expect.stringMatching(/^Modèle de convention inconnu/) }]);
    expect(renderDraftHtml(data)).toMatchObject({ ok: false, problems: [{ path: "modele" }] });
  });
});
