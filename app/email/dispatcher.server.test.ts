import { createServer } from "node:net";
import { sql } from "kysely";
import { createTestDatabase } from "../test-support/db";
import { startSmtpSink } from "../test-support/smtp-sink";
import { dispatchDueMessages, backoffSeconds } from "./dispatcher.server";
import { enqueueEmail, getCapturedMessage, listCapturedMessages, secretSlot } from "./outbox.server";
import { createMailTransport } from "./transport.server";
import type { Database } from "../../db/connect";

let db: Database;
let close: () => Promise<void>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const options = { maxAttempts: 5, retryBaseSeconds: 0.01, random: () => 0, sessionSecret: "secret-de-session-de-test-0123456789abcdef" };

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
  await close();
});
beforeEach(async () => {
  await db.deleteFrom("outbox_messages").execute();
  sink.received.length = 0;
});

async function enqueue(key: string, to = "agent@justice.example") {
  return db.transaction().execute((trx) =>
    enqueueEmail(trx, { kind: "test", to, subject: `Sujet ${key}`, text: `Corps ${key} — accentué`, dedupeKey: key }, "paraphe.test"),
  );
}

/** Runs the dispatcher until nothing is due any more (retries are due almost at once here). */
async function drain(transport = createMailTransport({ smtpUrl: sink.url, mailFrom: "Paraphe <p@paraphe.test>" })) {
  for (let i = 0; i < 50; i++) {
    const pending = await db.selectFrom("outbox_messages").select("id").where("status", "=", "pending").execute();
    if (pending.length === 0) break;
    await dispatchDueMessages(db, transport, options);
    await new Promise((r) => setTimeout(r, 30));
  }
  transport.close();
}

describe("e-mail outbox and dispatcher (real SMTP on loopback)", () => {
  it("delivers a message once, with its stable Message-ID", async () => {
    const row = await enqueue("a");
    await drain();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0].messageId).toBe(row!.message_id);
    expect(sink.received[0].parsed.text).toContain("Corps a — accentué");
    const stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect(stored.status).toBe("sent");
    expect(stored.attempts).toBe(1);
  });

  it("enqueuing the same dedupe key twice writes one message", async () => {
    await enqueue("same");
    await enqueue("same");
    const rows = await db.selectFrom("outbox_messages").select("id").execute();
    expect(rows).toHaveLength(1);
  });

  it("retries 451 answers and delivers exactly one message", async () => {
    sink.failNext(3, 451);
    await enqueue("b");
    await drain();
    expect(sink.received).toHaveLength(1);
    const stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect(stored.status).toBe("sent");
    expect(stored.attempts).toBe(4);
  });

  it("records a permanent failure on 550 without retrying", async () => {
    sink.failNext(1, 550, "No such user");
    await enqueue("c");
    await drain();
    expect(sink.received).toHaveLength(0);
    const stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect(stored.status).toBe("failed");
    expect(stored.attempts).toBe(1);
    expect(stored.last_error).toMatch(/550|No such user/);
  });

  it("keeps retrying while the server refuses connections, then delivers", async () => {
    // A port with nobody listening: connection refused.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const deadPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await enqueue("d");
    const dead = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${deadPort}`, mailFrom: "p@paraphe.test", timeoutMs: 2000 });
    await dispatchDueMessages(db, dead, options);
    dead.close();
    let stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect(stored.status).toBe("pending");
    expect(stored.last_error).toMatch(/ECONNREFUSED|ECONNECTION|connect/i);
    await new Promise((r) => setTimeout(r, 50));
    await drain();
    stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect(stored.status).toBe("sent");
    expect(sink.received).toHaveLength(1);
  });

  it("gives up after the maximum number of temporary failures", async () => {
    sink.failNext(5, 421);
    await enqueue("e");
    await drain();
    const stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect(stored.status).toBe("failed");
    expect(stored.attempts).toBe(5);
    expect(sink.received).toHaveLength(0);
  });

  // PGlite runs one query at a time: only PostgreSQL lets the dispatchers really overlap.
  it.skipIf(!process.env.DATABASE_URL)("never sends a message twice when several dispatchers run at once (PostgreSQL)", async () => {
    for (let i = 0; i < 12; i++) await enqueue(`p${i}`);
    const transports = [0, 1, 2].map(() => createMailTransport({ smtpUrl: sink.url, mailFrom: "p@paraphe.test" }));
    await Promise.all(transports.map((t) => dispatchDueMessages(db, t, { ...options, batchSize: 4 })));
    await Promise.all(transports.map((t) => dispatchDueMessages(db, t, { ...options, batchSize: 4 })));
    transports.forEach((t) => t.close());
    const ids = sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(12);
  });

  // Deterministic overlap: the test is the other dispatcher, holding its claim's row locks open.
  it.skipIf(!process.env.DATABASE_URL)("never takes messages another dispatcher is claiming (PostgreSQL)", async () => {
    for (let i = 0; i < 8; i++) await enqueue(`h${i}`, `h${i}@justice.example`);
    const transport = createMailTransport({ smtpUrl: sink.url, mailFrom: "p@paraphe.test" });
    let sent: Promise<number> | undefined;
    const held = await db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom("outbox_messages").select(["id", "to_address"]).orderBy("next_attempt_at").limit(4).forUpdate().execute();
      sent = dispatchDueMessages(db, transport, { ...options, batchSize: 4 });
      await new Promise((r) => setTimeout(r, 500));
      await trx.updateTable("outbox_messages").set({ locked_until: sql`now() + interval '1 hour'` }).where("id", "in", rows.map((r) => r.id)).execute();
      return rows.map((r) => r.to_address);
    });
    expect(await sent).toBe(4);
    transport.close();
    const to = sink.received.flatMap((m) => m.to);
    expect(to).toHaveLength(4);
    for (const address of held) expect(to).not.toContain(address);
  });

  it("a crash between send and record yields at most one duplicate with the same Message-ID", async () => {
    await enqueue("crash");
    const real = createMailTransport({ smtpUrl: sink.url, mailFrom: "p@paraphe.test" });
    // The process "dies" right after the SMTP server accepted the message: the outcome is never recorded.
    const crashing = { ...real, kind: "smtp" as const, deliver: async (m: Parameters<typeof real.deliver>[0]) => { await real.deliver(m); throw new Error("crash"); } };
    await expect(dispatchDueMessages(db, crashing, { ...options, leaseSeconds: 3600 })).rejects.toThrow("crash");
    // While the claim holds, no other dispatcher takes the message.
    expect(await dispatchDueMessages(db, real, options)).toBe(0);
    // The lease runs out (moved on the clock, not waited for: a race with a real send flaked under load).
    await db.updateTable("outbox_messages").set({ locked_until: sql`now() - interval '1 second'` }).execute();
    await drain(real);
    expect(sink.received).toHaveLength(2);
    expect(sink.received[0].messageId).toBe(sink.received[1].messageId);
    const stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect(stored.status).toBe("sent");
  });

  it("a rolled-back transaction sends nothing", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueEmail(trx, { kind: "test", to: "x@justice.example", subject: "s", text: "t", dedupeKey: "rollback" }, "paraphe.test");
        throw new Error("échec de la transaction");
      }),
    ).rejects.toThrow();
    await drain();
    expect(sink.received).toHaveLength(0);
    expect(await db.selectFrom("outbox_messages").select("id").execute()).toHaveLength(0);
  });

  it("backs off exponentially with jitter, capped at one hour", () => {
    expect(backoffSeconds(1, 30, () => 1)).toBe(30);
    expect(backoffSeconds(3, 30, () => 1)).toBe(120);
    expect(backoffSeconds(3, 30, () => 0)).toBe(60);
    expect(backoffSeconds(30, 30, () => 1)).toBe(3600);
  });

  it("without SMTP, the dev mailbox gets the message as delivered (secrets in place) and the outbox forgets it", async () => {
    await db.transaction().execute((trx) =>
      enqueueEmail(
        trx,
        { kind: "connexion", to: "agent@justice.example", subject: "Votre lien", text: `Ouvrez https://p.localhost/connexion/lien?jeton=${secretSlot("jeton")}`, dedupeKey: "dev", secrets: { jeton: "jeton-de-dev-0123456789" } },
        "paraphe.test",
        options.sessionSecret,
      ),
    );
    await drain(createMailTransport({ mailFrom: "p@paraphe.test" }));
    expect(sink.received).toHaveLength(0);
    const [captured] = await listCapturedMessages(db);
    expect(captured.subject).toBe("Votre lien");
    expect((await getCapturedMessage(db, captured.id))!.body_text).toBe("Ouvrez https://p.localhost/connexion/lien?jeton=jeton-de-dev-0123456789");
    const stored = await db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
    expect([stored.status, stored.body_text, stored.secrets]).toEqual(["sent", null, null]);
  });

  it("checks the outbox schema keeps statuses honest", async () => {
    await enqueue("f");
    await expect(sql`update outbox_messages set status = 'perdu'`.execute(db)).rejects.toThrow();
  });
});
