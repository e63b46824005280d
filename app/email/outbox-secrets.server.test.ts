import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { findDownload } from "../services/download-by-token.server";
import { requestLoginLink, hashToken } from "../services/request-login-link.server";
import { resendTransmission } from "../services/resend-transmission.server";
import { tokenHash } from "../services/transmit-act.server";
import { CAMILLE, CANTON, circuitWorld, SCHAER } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { startSmtpSink } from "../test-support/smtp-sink";
import { dispatchDueMessages } from "./dispatcher.server";
import { readSigningCode } from "./messages";
import { enqueueEmail, secretSlot } from "./outbox.server";
import { createMailTransport } from "./transport.server";

let db: Database;
let close: () => Promise<void>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let world: Awaited<ReturnType<typeof circuitWorld>>;
// Small attachment limit: the transmissions carry personal download links as well as receipt links.
const config = testConfig({ TRANSMISSION_ATTACHMENT_LIMIT_BYTES: "1000" });
const CBCM_JUSTICE = "cbcm-justice@cbcm.example";
let conventionId: string;

async function drain(sessionSecret = config.sessionSecret) {
  const transport = createMailTransport({ smtpUrl: sink.url, mailFrom: "Paraphe <p@paraphe.test>" });
  const options = { maxAttempts: 3, retryBaseSeconds: 0.01, random: () => 0, mailDomain: "paraphe.test", publicUrl: config.publicUrl, sessionSecret };
  for (let i = 0; i < 60; i++) {
    const pending = await db.selectFrom("outbox_messages").select("id").where("status", "=", "pending").execute();
    if (pending.length === 0) break;
    await dispatchDueMessages(db, transport, options);
  }
  transport.close();
}

/** Every table and column of the application's schema that can hold text or bytes. */
async function scannableColumns() {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')`.execute(db);
  return rows;
}

/** Where a secret appears, as "table.column". Codes are matched as whole 6-digit words in text (PDF bytes are full of digit runs). */
async function whereFound(secret: string, kind: "token" | "code"): Promise<string[]> {
  const found: string[] = [];
  for (const c of await scannableColumns()) {
    const col = sql.id(c.column_name);
    const table = sql.id(c.table_name);
    let condition;
    if (c.data_type === "bytea") {
      if (kind === "code") continue;
      condition = sql`position(convert_to(${secret}, 'UTF8') in ${col}) > 0`;
    } else if (kind === "token") {
      condition = sql`strpos(${col}::text, ${secret}) > 0`;
    } else {
      condition = sql`${col}::text ~ ${`(^|[^0-9A-Za-z])${secret}([^0-9A-Za-z]|$)`}`;
    }
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from ${table} where ${condition}`.execute(db);
    if (Number(rows[0].n) > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

const textOf = (m: { parsed: { text?: string } }) => m.parsed.text ?? "";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  sink = await startSmtpSink();
  await requestLoginLink(db, config, { email: CAMILLE, ip: "127.0.0.1" });
  conventionId = await world.signedConvention();
  await drain();
}, 240_000);
afterAll(async () => {
  await sink?.close();
  await close();
});

describe("secrets in the outbox", () => {
  it("after delivery, no table holds a usable sign-in link, signing code, download or receipt link", async () => {
    const jetons = sink.received.flatMap((m) => [...textOf(m).matchAll(/jeton=([A-Za-z0-9_-]{40,})/g)].map((x) => x[1]));
    const codes = sink.received.map((m) => readSigningCode(textOf(m))).filter((c): c is string => !!c);
    const downloads = sink.received.flatMap((m) => [...textOf(m).matchAll(/\/telechargement\/([A-Za-z0-9_-]{40,})/g)].map((x) => x[1]));
    const receipts = sink.received.flatMap((m) => [...textOf(m).matchAll(/\/accuse-reception\/([A-Za-z0-9_-]{40,})/g)].map((x) => x[1]));
    expect(jetons.length).toBeGreaterThanOrEqual(1);
    expect(codes).toHaveLength(2);
    expect(downloads.length).toBeGreaterThanOrEqual(3);
    expect(receipts.length).toBeGreaterThanOrEqual(3);
    // They are the live ones: the portal knows them by their hashes.
    for (const j of jetons) expect(await db.selectFrom("login_tokens").select("id").where("token_hash", "=", hashToken(j)).executeTakeFirst()).toBeDefined();
    for (const d of downloads) expect(await findDownload(db, d)).toBeDefined();
    for (const r of receipts) expect(await db.selectFrom("transmissions").select("id").where("ack_token_hash", "=", tokenHash(r)).executeTakeFirst()).toBeDefined();

    for (const token of [...jetons, ...downloads, ...receipts]) expect({ token, at: await whereFound(token, "token") }).toEqual({ token, at: [] });
    for (const code of codes) expect({ code, at: await whereFound(code, "code") }).toEqual({ code, at: [] });
  });

  it("a delivered message keeps its metadata and the hash of what was sent, not its body", async () => {
    const rows = await db.selectFrom("outbox_messages").selectAll().where("status", "=", "sent").execute();
    expect(rows.length).toBe(sink.received.length);
    for (const row of rows) {
      const mail = sink.received.find((m) => m.messageId === row.message_id)!;
      expect(row.body_text).toBeNull();
      expect(row.body_html).toBeNull();
      expect(row.secrets).toBeNull();
      expect(row.attachments).toEqual([]);
      expect(row.subject).toBe(mail.parsed.subject);
      // The text part as nodemailer received it (line endings normalised by the MIME round trip).
      expect(row.body_sha256).toBe(createHash("sha256").update(textOf(mail).replace(/\n$/, "")).digest("hex"));
    }
  });

  it("a pending message holds its secrets encrypted only; a wrong session secret fails it instead of sending placeholders", async () => {
    await db.transaction().execute((trx) =>
      enqueueEmail(trx, { kind: "test", to: "x@justice.example", subject: "Essai", text: `Lien : https://p.example/?jeton=${secretSlot("jeton")}`, dedupeKey: "secret-test", secrets: { jeton: "JETON-TRES-SECRET-0123456789abcdefghijklmnop" } }, "paraphe.test", config.sessionSecret),
    );
    expect(await whereFound("JETON-TRES-SECRET-0123456789abcdefghijklmnop", "token")).toEqual([]);
    const before = sink.received.length;
    await drain("un-autre-secret-de-session-0123456789abcdef");
    expect(sink.received.length).toBe(before);
    const row = await db.selectFrom("outbox_messages").select(["status", "last_error"]).where("to_address", "=", "x@justice.example").executeTakeFirstOrThrow();
    expect(row.status).toBe("failed");
    expect(row.last_error).toMatch(/ne se déchiffrent pas/);
  });

  it("re-sending a delivered transmission rebuilds it with fresh links; the earlier ones stop working", async () => {
    const t = await db.selectFrom("transmissions").select(["id"]).where("convention_id", "=", conventionId).where("recipient_email", "=", CBCM_JUSTICE).executeTakeFirstOrThrow();
    const first = sink.received.filter((m) => m.to.includes(CBCM_JUSTICE) && /^Copie signée/.test(m.parsed.subject ?? ""));
    expect(first).toHaveLength(1);
    const oldDownload = /\/telechargement\/([A-Za-z0-9_-]+)/.exec(textOf(first[0]))![1];
    await resendTransmission(db, world.actor(CAMILLE), conventionId, t.id, config);
    await drain();
    const again = sink.received.filter((m) => m.to.includes(CBCM_JUSTICE) && /^Copie signée/.test(m.parsed.subject ?? ""));
    expect(again).toHaveLength(2);
    expect(again[1].messageId).toBe(again[0].messageId);
    const newDownload = /\/telechargement\/([A-Za-z0-9_-]+)/.exec(textOf(again[1]))![1];
    expect(newDownload).not.toBe(oldDownload);
    expect(await findDownload(db, newDownload)).toBeDefined();
    expect(await findDownload(db, oldDownload)).toBeUndefined();
  });
});

describe("certificat de signature outside the parties", () => {
  const pdfText = (bytes: Uint8Array) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "paraphe-cert-")), "c.pdf");
    writeFileSync(file, bytes);
    return execFileSync("pdftotext", ["-raw", file, "-"]).toString("utf8");
  };

  it("the copy for the CBCM and added recipients has no IP address; the parties' copy and the audit trail keep them", async () => {
    const docs = await db.selectFrom("documents").select(["kind", "bytes"]).where("convention_id", "=", conventionId).where("kind", "in", ["certificat", "certificat_tiers"]).execute();
    const parties = pdfText(docs.find((d) => d.kind === "certificat")!.bytes);
    const tiers = pdfText(docs.find((d) => d.kind === "certificat_tiers")!.bytes);
    // circuitWorld's people act from 127.0.0.1.
    expect(parties).toContain("127.0.0.1");
    expect(parties).toContain("Adresse IP");
    expect(tiers).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
    expect(tiers).not.toContain("Adresse IP");
    expect(tiers).toContain("Journal des évènements");
    const ips = await db.selectFrom("audit_events").select("ip").where("convention_id", "=", conventionId).where("type", "=", "signature").execute();
    expect(ips.map((e) => e.ip)).toEqual(["127.0.0.1", "127.0.0.1"]);
    // The CBCM's download link serves that copy; a party's e-mail carries the full one.
    const cbcm = await db.selectFrom("transmissions").select("recipient_kind").where("convention_id", "=", conventionId).where("recipient_email", "=", CBCM_JUSTICE).executeTakeFirstOrThrow();
    expect(cbcm.recipient_kind).toBe("cbcm");
    const party = sink.received.find((m) => m.to.includes(CANTON) && /exemplaire/.test(m.parsed.subject ?? ""));
    expect(party).toBeDefined();
    expect(SCHAER).toBeTruthy();
  });

  it("the certificate prints the timestamped anchors of the journal (each signature and completion)", async () => {
    const anchors = await db.selectFrom("audit_anchors").select(["reason", "head_hash"]).where("convention_id", "=", conventionId).orderBy("id").execute();
    expect(anchors.map((a) => a.reason)).toEqual(["signature", "signature", "achèvement"]);
    const doc = await db.selectFrom("documents").select("bytes").where("convention_id", "=", conventionId).where("kind", "=", "certificat_tiers").executeTakeFirstOrThrow();
    const text = pdfText(doc.bytes).replace(/\s+/g, "");
    for (const a of anchors) expect(text).toContain(a.head_hash);
  });
});
