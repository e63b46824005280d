import { createHash } from "node:crypto";
import { demoScheduleYear } from "../../db/seed";
import type { Database } from "../../db/connect";
import { dispatchDueMessages } from "../email/dispatcher.server";
import { createMailTransport } from "../email/transport.server";
import { listTransmissions, recipientsFor } from "../models/transmissions.server";
import { testConfig } from "../test-support/config";
import { CAMILLE, CANTON, circuitWorld, SCHAER } from "../test-support/circuit";
import { createTestDatabase } from "../test-support/db";
import { startSmtpSink } from "../test-support/smtp-sink";
import { acknowledgeReceipt, UnknownReceiptError } from "./acknowledge-receipt.server";
import { addRecipient } from "./add-recipient.server";
import { launchCircuit } from "./launch-circuit.server";
import { resendTransmission } from "./resend-transmission.server";
import { sendSigningCode } from "./send-signing-code.server";
import { signStep } from "./sign-step.server";

let db: Database;
let close: () => Promise<void>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let world: Awaited<ReturnType<typeof circuitWorld>>;
const config = testConfig();
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const CBCM_SPM = ["nadia.lefevre@cbcm.example", "cbcm-spm@cbcm.example"];
const CBCM_JUSTICE = "cbcm-justice@cbcm.example";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  sink = await startSmtpSink();
}, 120_000);
afterAll(async () => {
  await sink.close();
  await close();
});

async function drain() {
  const transport = createMailTransport({ smtpUrl: sink.url, mailFrom: "Paraphe <p@paraphe.test>" });
  const options = { maxAttempts: 5, retryBaseSeconds: 0.01, random: () => 0, mailDomain: "paraphe.test", publicUrl: config.publicUrl, sessionSecret: config.sessionSecret };
  for (let i = 0; i < 60; i++) {
    const pending = await db.selectFrom("outbox_messages").select("id").where("status", "=", "pending").execute();
    if (pending.length === 0) break;
    await dispatchDueMessages(db, transport, options);
    await new Promise((r) => setTimeout(r, 20));
  }
  transport.close();
}

const ackTokenIn = (text: string) => /accuse-reception\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

describe("transmission of a signed act", () => {
  it("derives the recipients: the PM's CBCM, the délégant's ministry's CBCM, added ones, the parties", async () => {
    const id = await world.freshDraft();
    await addRecipient(db, world.actor(CAMILLE), id, { name: "Bureau du budget", email: "Budget@Justice.example" });
    const recipients = await recipientsFor(db, id);
    expect(recipients.filter((r) => r.kind === "cbcm").map((r) => r.email)).toEqual([...CBCM_SPM, CBCM_JUSTICE]);
    expect(recipients.find((r) => r.kind === "destinataire")?.email).toBe("budget@justice.example");
    expect(recipients.filter((r) => r.kind === "partie").map((r) => r.email)).toEqual(expect.arrayContaining([CAMILLE, CANTON, SCHAER]));
    expect(recipients.some((r) => r.email === "paul.girard@culture.example")).toBe(false);
  });

  it("sends once to each CBCM and party, with the stored signed PDF and certificate attached", async () => {
    sink.received.length = 0;
    const id = await world.signedConvention();
    await drain();
    const transmitted = sink.received.filter((m) => /^(Copie signée|Votre exemplaire signé) : /.test(m.parsed.subject ?? ""));
    const to = transmitted.flatMap((m) => m.to);
    for (const email of [...CBCM_SPM, CBCM_JUSTICE, CAMILLE, CANTON, SCHAER]) expect(to.filter((t) => t === email)).toHaveLength(1);
    const complete = await db.selectFrom("documents").select("bytes").where("convention_id", "=", id).where("kind", "=", "complet").executeTakeFirstOrThrow();
    // Outside the parties, the certificate without IP addresses.
    const certificate = await db.selectFrom("documents").select("bytes").where("convention_id", "=", id).where("kind", "=", "certificat_tiers").executeTakeFirstOrThrow();
    const cbcm = sink.received.find((m) => m.to.includes(CBCM_JUSTICE))!;
    expect(cbcm.parsed.text).toContain(`${demoScheduleYear()} : AE 150\u00a0000\u00a0€ — CP 150\u00a0000\u00a0€`);
    expect(cbcm.parsed.text).toContain("Délégant : Le Ministère de la Justice");
    expect(cbcm.parsed.text).toContain("accuser réception");
    const hashes = cbcm.parsed.attachments.map((a) => sha(a.content));
    expect(hashes).toEqual([sha(complete.bytes), sha(certificate.bytes)]);
    const party = sink.received.find((m) => m.to.includes(CANTON) && /exemplaire/.test(m.parsed.subject ?? ""))!;
    expect(party.parsed.text).not.toContain("accuse-reception");
    const statuses = await listTransmissions(db, id);
    expect(statuses.every((s) => s.status === "sent" && s.sent_at)).toBe(true);
    const events = await db.selectFrom("audit_events").select("type").where("convention_id", "=", id).where("type", "=", "email_envoye").execute();
    expect(events.length).toBeGreaterThanOrEqual(statuses.length);
  });

  it("records the CBCM's acknowledgement once, without an account", async () => {
    sink.received.length = 0;
    const id = await world.signedConvention();
    await drain();
    const token = ackTokenIn(sink.received.find((m) => m.to.includes(CBCM_JUSTICE))!.parsed.text ?? "")!;
    const first = await acknowledgeReceipt(db, token, { ip: "192.0.2.1", userAgent: "messagerie" });
    expect(first.already).toBe(false);
    const again = await acknowledgeReceipt(db, token, { ip: "192.0.2.1", userAgent: "messagerie" });
    expect(again).toEqual({ acknowledgedAt: first.acknowledgedAt, already: true });
    const row = (await listTransmissions(db, id)).find((t) => t.recipient_email === CBCM_JUSTICE)!;
    expect(row.acknowledged_at).not.toBeNull();
    await expect(acknowledgeReceipt(db, "x".repeat(43), { ip: null, userAgent: null })).rejects.toBeInstanceOf(UnknownReceiptError);
  });

  it("451 three times then 250 gives exactly one delivered message", async () => {
    sink.received.length = 0;
    sink.failNext(3, 451, "Try again later", CBCM_JUSTICE);
    const id = await world.signedConvention();
    await drain();
    const ids = sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sink.received.filter((m) => m.to.includes(CBCM_JUSTICE))).toHaveLength(1);
    expect((await listTransmissions(db, id)).find((t) => t.recipient_email === CBCM_JUSTICE)!.attempts).toBe(4);
    expect((await listTransmissions(db, id)).every((t) => t.status === "sent")).toBe(true);
  });

  it("550 marks the transmission failed with the server's answer, alerts rédacteurs and admins, and re-sending works", async () => {
    sink.received.length = 0;
    sink.failNext(1, 550, "5.1.1 Mailbox unknown", CBCM_JUSTICE);
    const id = await world.signedConvention();
    await drain();
    const failed = (await listTransmissions(db, id)).filter((t) => t.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0].last_error).toContain("Mailbox unknown");
    const alerts = await db.selectFrom("alerts").innerJoin("people", "people.id", "alerts.person_id").select(["people.email", "alerts.message"]).where("alerts.convention_id", "=", id).execute();
    expect(alerts.map((a) => a.email)).toEqual(expect.arrayContaining([CAMILLE, "sophie.petit@dinum.example"]));
    expect(sink.received.some((m) => m.to.includes("sophie.petit@dinum.example") && /Échec de transmission/.test(m.parsed.subject ?? ""))).toBe(true);

    const before = sink.received.length;
    await resendTransmission(db, world.actor(CAMILLE), id, failed[0].id, world.deps.config);
    await drain();
    const resent = sink.received.slice(before).find((m) => m.to.includes(failed[0].recipient_email))!;
    expect(resent.messageId).toBe(failed[0].message_id);
    expect((await listTransmissions(db, id)).find((t) => t.id === failed[0].id)!.status).toBe("sent");
  });

  it("a completion that rolls back transmits nothing", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    await world.sign(CANTON, id);
    await sendSigningCode(db, world.deps, world.actor(SCHAER), id);
    const code = await world.lastCode(SCHAER);
    // Completion itself fails, late: the last signature is written, the B-LTA document stored and
    // the act marked « signée » before the portal's seal (for the signature certificate) is refused.
    const pki = world.deps.pki;
    const asked: string[] = [];
    const brokenSeal = {
      ...pki,
      signerFor: async (who: Parameters<typeof pki.signerFor>[0]) => {
        asked.push(who.name);
        if (who.name === "Portail Paraphe") throw new Error("Cachet du portail indisponible");
        return pki.signerFor(who);
      },
    };
    await expect(signStep(db, { ...world.deps, pki: brokenSeal }, world.actor(SCHAER), id, code)).rejects.toThrow("Cachet du portail indisponible");
    // The signatory's own signature was made first: the failure is completion's.
    expect(asked).toEqual(["Stéphanie Schaer", "Portail Paraphe"]);
    expect(await db.selectFrom("transmissions").select("id").where("convention_id", "=", id).execute()).toHaveLength(0);
    expect(await db.selectFrom("outbox_messages").select("id").where("convention_id", "=", id).where("kind", "=", "transmission").execute()).toHaveLength(0);
    expect((await db.selectFrom("conventions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("en_signature");
    const docs = await db.selectFrom("documents").select("kind").where("convention_id", "=", id).execute();
    expect(docs.map((d) => d.kind).sort()).toEqual(["fige", "signe"]);
    // Nothing of it stayed: the same code signs again and completes.
    const again = await signStep(db, world.deps, world.actor(SCHAER), id, code);
    expect(again.completed).toBe(true);
    expect((await db.selectFrom("transmissions").select("id").where("convention_id", "=", id).execute()).length).toBeGreaterThan(0);
  });

  it("above the size limit, a personal download link replaces the attachments", async () => {
    // What earlier tests left in the outbox goes out first: only this act's messages are read below.
    await drain();
    sink.received.length = 0;
    // Same session secret: the dispatcher decrypts the links this world's transmission stored.
    const small = testConfig({ TRANSMISSION_ATTACHMENT_LIMIT_BYTES: "1000", SESSION_SECRET: config.sessionSecret });
    const w = await circuitWorld(db, small);
    const id = await w.signedConvention();
    await drain();
    const mails = sink.received.filter((m) => m.to.includes(CBCM_JUSTICE));
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) expect(mail.parsed.attachments).toHaveLength(0);
    expect(mails.some((mail) => /\/telechargement\/[A-Za-z0-9_-]+/.test(mail.parsed.text ?? ""))).toBe(true);
    const row = await db.selectFrom("transmissions").select(["download_token_hash", "download_expires_at"]).where("convention_id", "=", id).where("recipient_email", "=", CBCM_JUSTICE).executeTakeFirstOrThrow();
    expect(row.download_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(row.download_expires_at!).getTime()).toBeGreaterThan(Date.now() + 29 * 86400_000);
  });
});
