import { createHash } from "node:crypto";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { dispatchDueMessages } from "../email/dispatcher.server";
import { createMailTransport } from "../email/transport.server";
import type { AppLoadContext } from "@remix-run/node";
import { openSession } from "../models/sessions.server";
import * as openDataAdmin from "../routes/admin.donnees";
import { commitSessionCookie } from "../session.server";
import { CAMILLE, circuitWorld } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { startFakeDatagouv, type FakeDatagouv } from "../test-support/fake-datagouv";
import { exportOpenData } from "./export-open-data.server";
import { runScheduler } from "./run-scheduler.server";
import { setPublishable } from "./set-publishable.server";
import { DATAGOUV_KIND, dispatchDueUpload, enqueueDatagouvUpload, SUPERSEDED } from "./upload-datagouv.server";

let db: Database;
let close: () => Promise<void>;
let fake: FakeDatagouv;
let config: Config;
let target: NonNullable<Config["datagouv"]>;
let signedId = "";
let world: Awaited<ReturnType<typeof circuitWorld>>;
const options = { maxAttempts: 4, retryBaseSeconds: 0.01, random: () => 0, mailDomain: "paraphe.test", publicUrl: "http://localhost:3999" };
const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

beforeAll(async () => {
  fake = await startFakeDatagouv();
  config = testConfig({
    DATAGOUV_API_URL: fake.apiUrl,
    DATAGOUV_API_KEY: fake.apiKey,
    DATAGOUV_DATASET_ID: fake.datasetId,
    DATAGOUV_RESOURCE_ID: fake.resourceId,
    DATAGOUV_TIMEOUT_MS: "400",
  });
  target = config.datagouv!;
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  signedId = await world.signedConvention();
}, 180_000);
afterAll(async () => {
  await fake.close();
  await close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.files.length = 0;
});

const jobs = () => db.selectFrom("outbox_messages").selectAll().where("kind", "=", DATAGOUV_KIND).orderBy("created_at").execute();
const enqueue = (reason = "test") => db.transaction().execute((trx) => enqueueDatagouvUpload(trx, config, reason));
/** Runs the dispatcher's upload step until nothing is due (retries are 10 ms apart here). */
async function runUploads(limit = 30) {
  for (let i = 0; i < limit; i++) {
    await dispatchDueUpload(db, target, options);
    const pending = (await jobs()).filter((j) => j.status === "pending");
    if (pending.length === 0) return;
    await new Promise((r) => setTimeout(r, 30));
  }
}
const settle = async () => {
  await runUploads();
  await db.updateTable("outbox_messages").set({ status: "sent" }).where("kind", "=", DATAGOUV_KIND).where("status", "=", "pending").execute();
};

describe("data.gouv.fr upload through the outbox", () => {
  it("the last signature of a publishable act writes an upload job in its transaction", async () => {
    const all = await jobs();
    expect(all).toHaveLength(1);
    expect(all[0].body_text).toMatch(/^Acte signé/);
    expect(all[0].to_address).toBe(`${fake.apiUrl}/datasets/${fake.datasetId}/resources/${fake.resourceId}/upload/`);
    await settle();
  });

  it("survives 500 twice then 200: one replacement with the current export, status and attempts kept", async () => {
    await settle();
    fake.script([{ status: 500 }, { status: 500 }, { status: 200 }]);
    const id = await enqueue("Acte signé : essai");
    await runUploads();
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(fake.files).toHaveLength(1);
    const expected = await exportOpenData(db, options.publicUrl, "csv");
    expect(fake.files[0].content).toBe(expected.body);
    expect(fake.files[0].content).toContain(signedId);
    expect(fake.requests.every((r) => r.key === fake.apiKey)).toBe(true);
    const job = (await jobs()).find((j) => j.id === id)!;
    expect(job.status).toBe("sent");
    expect(job.attempts).toBe(3);
    expect(job.last_error).toBeNull();
    expect(job.body_sha256).toBe(sha(expected.body));
    expect(job.subject).toBe("Fichier remplacé sur data.gouv.fr : 1 acte(s)");
  });

  it("a 401 is a final failure at once, with the error kept and an alert to the administrators", async () => {
    await settle();
    const wrong = { ...target, apiKey: "mauvaise-cle" };
    const id = await enqueue("Acte signé : clé refusée");
    await dispatchDueUpload(db, wrong, options);
    expect(fake.requests.map((r) => r.status)).toEqual([401]);
    const job = (await jobs()).find((j) => j.id === id)!;
    expect(job.status).toBe("failed");
    expect(job.attempts).toBe(1);
    expect(job.last_error).toMatch(/data\.gouv\.fr a répondu 401 \(clé d'API refusée/);
    const admin = await db.selectFrom("people").select("id").where("email", "=", "sophie.petit@dinum.example").executeTakeFirstOrThrow();
    const alerts = await db.selectFrom("alerts").select("message").where("person_id", "=", admin.id).execute();
    expect(alerts.map((a) => a.message).join("\n")).toMatch(/data\.gouv\.fr a définitivement échoué après 1 tentative\(s\) : data\.gouv\.fr a répondu 401/);
    const mails = await db.selectFrom("outbox_messages").select(["to_address", "subject"]).where("kind", "=", "alerte").execute();
    expect(mails).toContainEqual({ to_address: "sophie.petit@dinum.example", subject: "Échec de la publication sur data.gouv.fr" });
    // A rédacteur is not alerted (the upload is the administrators' business).
    const camille = await db.selectFrom("people").select("id").where("email", "=", "camille.durand@justice.example").executeTakeFirstOrThrow();
    expect(await db.selectFrom("alerts").select("id").where("person_id", "=", camille.id).where("message", "like", "%data.gouv%").execute()).toHaveLength(0);
  });

  it("5xx until the last attempt: final failure after maxAttempts, retried with backoff in between", async () => {
    await settle();
    fake.script([{ status: 503 }, { status: 502 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    const id = await enqueue("Acte signé : panne");
    await runUploads();
    expect(fake.requests.map((r) => r.status)).toEqual([503, 502, 500, 500]);
    const job = (await jobs()).find((j) => j.id === id)!;
    expect(job).toMatchObject({ status: "failed", attempts: 4 });
    expect(fake.files).toHaveLength(0);
  });

  it("a slow answer is cut at the configured timeout and retried", async () => {
    await settle();
    fake.script([{ status: 200, delayMs: 1500 }, { status: 200 }]);
    const id = await enqueue("Acte signé : lenteur");
    const started = Date.now();
    await dispatchDueUpload(db, target, options);
    expect(Date.now() - started).toBeLessThan(1400);
    const first = (await jobs()).find((j) => j.id === id)!;
    expect(first).toMatchObject({ status: "pending", attempts: 1 });
    expect(first.last_error).toBe("pas de réponse de data.gouv.fr en 400 ms");
    await new Promise((r) => setTimeout(r, 1300)); // the fake finishes its slow answer, unheard
    await runUploads();
    expect((await jobs()).find((j) => j.id === id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("never two uploads at once, and the newest export wins", async () => {
    await settle();
    // Two changes before any upload: one job covers both.
    const a = await enqueue("Changement 1");
    const b = await enqueue("Changement 2");
    expect(b).toBe(a);
    // Claimed and in flight (slow): another dispatcher does not start a second upload.
    fake.script([{ status: 200, delayMs: 250 }, { status: 200 }]);
    const first = dispatchDueUpload(db, target, options);
    await new Promise((r) => setTimeout(r, 100));
    expect(await dispatchDueUpload(db, target, options)).toBe(0);
    // A change while it runs gets its own job, run after it with the data as it is then.
    await db.updateTable("conventions").set({ reference: "REF-NOUVELLE" }).where("id", "=", signedId).execute();
    const c = await enqueue("Changement 3");
    expect(c).not.toBe(a);
    expect(await first).toBe(1);
    await runUploads();
    expect(fake.maxInFlight()).toBe(1);
    expect(fake.files).toHaveLength(2);
    expect(fake.files[1].content).toContain("REF-NOUVELLE");
    expect(fake.files[1].content).toBe((await exportOpenData(db, options.publicUrl, "csv")).body);
  });

  it("older waiting jobs are covered by the newest one (one request, marked replaced)", async () => {
    await settle();
    // Two waiting jobs (as two instances racing to enqueue could leave): only the newest is sent.
    const old = await enqueue("Ancien");
    await db.updateTable("outbox_messages").set({ locked_until: new Date(Date.now() + 60_000) }).where("id", "=", old!).execute();
    const newest = await enqueue("Récent");
    await db.updateTable("outbox_messages").set({ locked_until: null, created_at: new Date(Date.now() - 60_000) }).where("id", "=", old!).execute();
    await runUploads();
    expect(fake.requests).toHaveLength(1);
    const all = await jobs();
    expect(all.find((j) => j.id === old)).toMatchObject({ status: "sent", last_error: SUPERSEDED, attempts: 0 });
    expect(all.find((j) => j.id === newest)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("the e-mail dispatcher runs the upload jobs (and never sends them as e-mail)", async () => {
    await settle();
    await enqueue("Par le distributeur");
    const transport = createMailTransport({ mailFrom: config.mailFrom });
    for (let i = 0; i < 10 && (await jobs()).some((j) => j.status === "pending"); i++)
      await dispatchDueMessages(db, transport, { ...options, sessionSecret: config.sessionSecret, datagouv: target });
    expect(fake.files).toHaveLength(1);
    expect(await db.selectFrom("dev_mailbox_messages").select("id").where("to_address", "like", "%datasets%").execute()).toHaveLength(0);
  });

  it("a publishable convention's status changed by the scheduler (in force, termination, expiry) queues exactly one upload each time", async () => {
    const pending = async () => (await jobs()).filter((j) => j.status === "pending");
    const set = (id: string, values: Record<string, unknown>) => db.updateTable("conventions").set(values).where("id", "=", id).execute();
    const status = async (id: string) => (await db.selectFrom("conventions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
    // Nothing else is due in this database: only the acts below change.
    await db.updateTable("conventions").set({ status: "expiree" }).where("kind", "=", "convention").where("status", "in", ["signee", "en_vigueur", "resiliation_notifiee"]).execute();
    await settle();

    await set(signedId, { status: "signee", starts_on: "2030-03-01", ends_on: "2030-06-30", termination_effective_on: null });
    await runScheduler(db, { config }, new Date("2030-03-02T12:00:00Z"));
    expect(await status(signedId)).toBe("en_vigueur");
    expect((await pending()).map((j) => j.body_text)).toEqual([expect.stringMatching(/^Entrée en vigueur/)]);
    await settle();

    await runScheduler(db, { config }, new Date("2030-07-02T12:00:00Z"));
    expect(await status(signedId)).toBe("expiree");
    expect((await pending()).map((j) => j.body_text)).toEqual([expect.stringMatching(/^Expiration/)]);
    await settle();

    await set(signedId, { status: "resiliation_notifiee", ends_on: "2031-12-31", termination_effective_on: "2031-01-31" });
    await runScheduler(db, { config }, new Date("2031-02-01T12:00:00Z"));
    expect(await status(signedId)).toBe("resiliee");
    expect((await pending()).map((j) => j.body_text)).toEqual([expect.stringMatching(/^Résiliation effective/)]);
    await settle();

    // Taken off the register: its status changes, the published file does not.
    await set(signedId, { status: "signee", starts_on: "2032-01-01", ends_on: "2032-12-31", termination_effective_on: null, publishable: false, unpublished_reason: "test" });
    await runScheduler(db, { config }, new Date("2032-01-02T12:00:00Z"));
    expect(await status(signedId)).toBe("en_vigueur");
    expect(await pending()).toEqual([]);
    await set(signedId, { publishable: true, unpublished_reason: null });
  });

  it("the publication switch of a signed act queues one upload each way; a draft's queues none", async () => {
    await settle();
    const pending = async () => (await jobs()).filter((j) => j.status === "pending");
    await setPublishable(db, config, world.actor(CAMILLE), signedId, { publier: "non", motif: "Clause confidentielle" });
    expect((await pending()).map((j) => j.body_text)).toEqual(["Acte retiré du registre"]);
    await settle();
    await setPublishable(db, config, world.actor(CAMILLE), signedId, { publier: "oui" });
    expect((await pending()).map((j) => j.body_text)).toEqual(["Acte republié"]);
    await settle();
    // Unchanged: nothing to replace.
    await setPublishable(db, config, world.actor(CAMILLE), signedId, { publier: "oui" });
    // A draft is in no published file.
    const draft = await world.freshDraft();
    await setPublishable(db, config, world.actor(CAMILLE), draft, { publier: "non", motif: "Brouillon confidentiel" });
    expect(await pending()).toEqual([]);
  });

  it("/admin/donnees shows the administrators each upload: a sent one with its result and SHA-256, a failed one with its attempts and last error, never the API key", async () => {
    await settle();
    await db.deleteFrom("outbox_messages").where("kind", "=", DATAGOUV_KIND).execute();
    const sent = await enqueue("Acte signé : envoyé");
    await dispatchDueUpload(db, target, options);
    await db.updateTable("outbox_messages").set({ created_at: new Date(Date.now() - 60_000) }).where("id", "=", sent!).execute();
    const failed = await enqueue("Acte signé : refusé");
    await dispatchDueUpload(db, { ...target, apiKey: "mauvaise-cle" }, options);

    const context = { config, db, cspNonce: "n", clientIp: "127.0.0.1" } as unknown as AppLoadContext;
    const sophie = await db.selectFrom("people").select("id").where("email", "=", "sophie.petit@dinum.example").executeTakeFirstOrThrow();
    const { sessionToken } = await openSession(db, { personId: sophie.id, authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "vitest" });
    const cookie = (await commitSessionCookie(context, sessionToken)).split(";")[0];
    const data = await openDataAdmin.loader({ request: new Request("http://localhost/admin/donnees", { headers: { cookie } }), context, params: {} } as never);

    expect(data.target).toEqual({ url: `${fake.apiUrl}/datasets/${fake.datasetId}/resources/${fake.resourceId}/upload/`, timeoutMs: 400 });
    expect(data.jobs.map((j) => j.id)).toEqual([failed, sent]);
    const [f, s] = data.jobs;
    expect(f).toMatchObject({ status: "failed", attempts: 1, cause: "Acte signé : refusé", result: null, sentAt: null });
    expect(f.lastError).toMatch(/data\.gouv\.fr a répondu 401/);
    const file = (await exportOpenData(db, options.publicUrl, "csv")).body;
    expect(s).toMatchObject({ status: "sent", attempts: 1, cause: "Acte signé : envoyé", lastError: null, sha256: sha(file) });
    expect(s.result).toMatch(/^Fichier remplacé sur data\.gouv\.fr : \d+ acte\(s\)$/);
    expect(s.sentAt).toEqual(expect.any(String));
    expect(JSON.stringify(data)).not.toContain(fake.apiKey);
    // Anyone else is refused.
    const camille = await db.selectFrom("people").select("id").where("email", "=", "camille.durand@justice.example").executeTakeFirstOrThrow();
    const other = (await commitSessionCookie(context, (await openSession(db, { personId: camille.id, authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "vitest" })).sessionToken)).split(";")[0];
    await expect(openDataAdmin.loader({ request: new Request("http://localhost/admin/donnees", { headers: { cookie: other } }), context, params: {} } as never)).rejects.toMatchObject({ status: 403 });
  });

  it("nothing is queued when data.gouv.fr is not configured", async () => {
    const id = await db.transaction().execute((trx) => enqueueDatagouvUpload(trx, { ...config, datagouv: undefined }, "rien"));
    expect(id).toBeNull();
  });
});
