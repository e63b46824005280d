// Every form action of the portal, fed hostile and random field names by the people allowed to
// post them: nothing reaches Object.prototype, nothing answers 500, and a forged nested name is
// refused with a French message. Then the attack found in review, end to end: a rédacteur posts
// `constructor.prototype.bcc`, and the next e-mail the server sends (here a sign-in link for the
// administratrice) must not be copied to the attacker.
import fc from "fast-check";
import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { startSmtpSink } from "../test-support/smtp-sink";
import { openPki } from "../pdf/pki/pki";
import { openSession } from "../models/sessions.server";
import { commitSessionCookie } from "../session.server";
import { dispatchDueMessages } from "../email/dispatcher.server";
import { createMailTransport } from "../email/transport.server";
import { requestLoginLink } from "../services/request-login-link.server";
import type { Config } from "../config.server";
import * as modifier from "./conventions.$id_.modifier";
import * as circuit from "./conventions.$id_.circuit";
import * as nouvelle from "./conventions.nouvelle";
import * as transmission from "./conventions.$id_.transmission";
import * as versions from "./conventions.$id_.versions";
import * as signer from "./conventions.$id_.signer";
import * as personnes from "./admin.personnes.$id";
import * as organisations from "./admin.organisations.$id";
import * as cbcm from "./admin.cbcm.$id";
import * as delegations from "./delegations";
import * as alertes from "./alertes";

const ATTACKER = "attaquant@evil.example";
const prototypeKeys = () => [...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Array.prototype)].sort();
const pristine = prototypeKeys();
const polluted = () => prototypeKeys().join() !== pristine.join() || ({} as Record<string, unknown>).bcc !== undefined;

let db: Database;
let close: () => Promise<void>;
let config: Config;
let context: AppLoadContext;
let draftId: string;
const cookies: Record<string, string> = Object.create(null);

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  config = testConfig();
  await seedDemo(db);
  const pki = await openPki({ dataDir: config.dataDir, env: {} as NodeJS.ProcessEnv });
  context = { config, db, pki, verifyDocument: async () => Promise.reject(new Error("non utilisé")), cspNonce: "n", clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  for (const p of await db.selectFrom("people").select(["id", "email"]).execute()) {
    const { sessionToken } = await openSession(db, { personId: p.id, authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "vitest" });
    cookies[p.email] = (await commitSessionCookie(context, sessionToken)).split(";")[0];
  }
  draftId = (await db.selectFrom("conventions").select("id").where("status", "=", "brouillon").orderBy("created_at").executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await close?.();
});
afterEach(() => {
  // Never leave a polluted prototype to the next test, whatever happened.
  delete (Object.prototype as Record<string, unknown>).bcc;
});

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
interface Target {
  label: string;
  action: Action;
  as: string;
  params: () => Record<string, string>;
  path: () => string;
  base: () => [string, string][];
  /** Nested forms refuse a forged name they parse (those under `nested`) with this French message; flat forms ignore it. */
  refuses?: RegExp;
  nested?: string;
}

const CAMILLE = "camille.durand@justice.example";
const CANTON = "anne-florence.canton@justice.example";
const SOPHIE = "sophie.petit@dinum.example";
const NESTED_REFUSAL = /^Le formulaire envoyé contient un champ non reconnu/;

const targets: Target[] = [
  { label: "brouillon (modifier)", action: modifier.action, as: CAMILLE, params: () => ({ id: draftId }), path: () => `/conventions/${draftId}/modifier`, base: () => [["intent", "enregistrer"], ["version", "1"], ["intitule", "Titre"]], refuses: NESTED_REFUSAL },
  { label: "circuit", action: circuit.action, as: CAMILLE, params: () => ({ id: draftId }), path: () => `/conventions/${draftId}/circuit`, base: () => [["intent", "enregistrer"], ["steps[0].kind", "signature"]], refuses: NESTED_REFUSAL, nested: "steps[" },
  { label: "nouvelle convention", action: nouvelle.action, as: CAMILLE, params: () => ({}), path: () => "/conventions/nouvelle", base: () => [["intitule", "Essai"]] },
  { label: "destinataires (transmission)", action: transmission.action, as: CAMILLE, params: () => ({ id: draftId }), path: () => `/conventions/${draftId}/transmission`, base: () => [["intent", "ajouter"], ["name", "CBCM"], ["email", "cbcm@exemple.gouv.fr"]] },
  { label: "versions", action: versions.action, as: CAMILLE, params: () => ({ id: draftId }), path: () => `/conventions/${draftId}/versions`, base: () => [["version", "1"], ["actuelle", "1"]] },
  { label: "signature", action: signer.action, as: CANTON, params: () => ({ id: draftId }), path: () => `/conventions/${draftId}/signer`, base: () => [["intent", "signer"], ["code", "000000"]] },
  { label: "personnes", action: personnes.action, as: SOPHIE, params: () => ({ id: "nouvelle" }), path: () => "/admin/personnes/nouvelle", base: () => [["email", "nouvelle.personne@justice.example"], ["first_name", "Nina"], ["last_name", "Roux"]] },
  { label: "organisations", action: organisations.action, as: SOPHIE, params: () => ({ id: "nouvelle" }), path: () => "/admin/organisations/nouvelle", base: () => [["name", "Ministère de l'essai"]] },
  { label: "CBCM", action: cbcm.action, as: SOPHIE, params: () => ({ id: "nouveau" }), path: () => "/admin/cbcm/nouveau", base: () => [["name", "CBCM essai"], ["emails", "cbcm@exemple.gouv.fr"]] },
  { label: "délégation", action: delegations.action, as: CANTON, params: () => ({}), path: () => "/delegations", base: () => [["delegateEmail", "x@justice.example"], ["startsOn", "2030-01-01"], ["endsOn", "2030-01-31"]] },
  { label: "alertes", action: alertes.action, as: CAMILLE, params: () => ({}), path: () => "/alertes", base: () => [["intent", "lue"]] },
];

/** Posts a form as a signed-in person; a thrown Response is an answer like any other. */
async function post(t: Target, entries: [string, string][]) {
  const body = new URLSearchParams();
  for (const [k, v] of entries) body.append(k, v);
  const request = new Request(`${config.publicUrl}${t.path()}`, { method: "POST", body, headers: { Cookie: cookies[t.as], "Content-Type": "application/x-www-form-urlencoded" } });
  try {
    return { value: await t.action({ request, context, params: t.params() }) };
  } catch (thrown) {
    if (thrown instanceof Response) return { value: thrown };
    return { error: thrown as Error };
  }
}

async function expectHandled(t: Target, entries: [string, string][]) {
  const answer = await post(t, entries);
  expect(answer.error, `${t.label}: ${answer.error?.message}`).toBeUndefined();
  if (answer.value instanceof Response) expect(answer.value.status, t.label).toBeLessThan(500);
  expect(polluted(), t.label).toBe(false);
  return answer.value;
}

const HOSTILE_NAMES = ["constructor.prototype.bcc", "__proto__.bcc", "__proto__[bcc]", "steps[0].__proto__.bcc", "steps[0].constructor.prototype.bcc", "articles[0].constructor[prototype][bcc]", "steps[4294967294].kind", "articles[99999999].titre"];

describe("form actions against hostile field names", () => {
  it.each(targets.map((t) => [t.label, t] as const))("%s: no prototype pollution, no 500", async (_label, t) => {
    for (const name of HOSTILE_NAMES) {
      const value = await expectHandled(t, [...t.base(), [name, ATTACKER]]);
      if (t.refuses && name.startsWith(t.nested ?? "")) {
        const message = value instanceof Response ? await value.text() : (value as { error?: string }).error;
        expect(message, `${t.label} ${name}`).toMatch(t.refuses);
      }
    }
  });

  it("property: random field names on every form action never pollute a prototype nor answer 500", async () => {
    const segment = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "bcc", "steps", "articles", "0", "toString"), fc.string({ maxLength: 5 }), fc.nat({ max: 1e9 }).map(String));
    const name = fc.array(fc.tuple(segment, fc.constantFrom(".", "[", "]", "", "].")), { minLength: 1, maxLength: 5 }).map((p) => p.map(([s, j]) => s + j).join(""));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.array(name, { minLength: 1, maxLength: 4 }), async (t, names) => {
        await expectHandled(t, [...t.base(), ...names.map((n) => [n, ATTACKER] as [string, string])]);
      }),
      { numRuns: 150 },
    );
  });
});

describe("the e-mail copy attack", () => {
  it("a rédacteur's constructor.prototype.bcc is refused and the next sign-in link reaches only its recipient", async () => {
    const sink = await startSmtpSink();
    try {
      const answer = await post(targets[0], [...targets[0].base(), ["constructor.prototype.bcc", ATTACKER]]);
      await requestLoginLink(db, config, { email: SOPHIE, ip: "127.0.0.1" });
      const transport = createMailTransport({ smtpUrl: sink.url, mailFrom: "Paraphe <paraphe@paraphe.test>" });
      for (let i = 0; i < 20 && sink.received.length === 0; i++) {
        await dispatchDueMessages(db, transport, { maxAttempts: 3, retryBaseSeconds: 0.01, random: () => 0, sessionSecret: config.sessionSecret });
        await new Promise((r) => setTimeout(r, 20));
      }
      transport.close();
      expect(sink.received.length).toBeGreaterThan(0);
      for (const mail of sink.received) expect(mail.to).toEqual([SOPHIE]);
      expect(answer.value).toBeInstanceOf(Response);
      expect((answer.value as Response).status).toBe(400);
    } finally {
      await sink.close();
    }
  });
});
