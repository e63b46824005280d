import { sql } from "kysely";
import { renderOutboxMessage } from "../email/outbox.server";
import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { verifyAuditChain } from "../models/audit.server";
import { findLiveSession, revokeSession } from "../models/sessions.server";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { hashToken, RateLimitedError, requestLoginLink } from "./request-login-link.server";
import { InvalidLoginLinkError, signInWithLink } from "./sign-in-with-link.server";
import { savePerson } from "./save-person.server";

let db: Database;
let owner: Database;
let close: () => Promise<void>;
const config = testConfig();
const meta = { ip: "127.0.0.1", userAgent: "vitest" };

beforeAll(async () => {
  ({ db, owner, close } = await createTestDatabase());
  await seedDemo(db);
});
afterAll(() => close());
beforeEach(async () => {
  await db.deleteFrom("rate_limit_hits").execute();
});

async function lastLinkTokenFor(email: string): Promise<string> {
  const message = await db.selectFrom("outbox_messages").selectAll().where("to_address", "=", email).orderBy("created_at", "desc").executeTakeFirstOrThrow();
  // The stored body has a placeholder: the token is put in from the encrypted secrets, as at sending.
  const match = /jeton=([A-Za-z0-9_-]+)/.exec(renderOutboxMessage(message, config.sessionSecret).text);
  if (!match) throw new Error("pas de lien dans l'e-mail");
  return match[1];
}

describe("sign-in by magic link", () => {
  it("mails a single-use link whose token is stored only hashed", async () => {
    await requestLoginLink(db, config, { email: "  Camille.Durand@justice.example ", ip: "10.0.0.1" });
    const token = await lastLinkTokenFor("camille.durand@justice.example");
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const rows = await db.selectFrom("login_tokens").select("token_hash").execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.some((r) => r.token_hash === hashToken(token))).toBe(true);

    const { sessionToken } = await signInWithLink(db, config, { token, ...meta });
    const session = await findLiveSession(db, hashToken(sessionToken));
    expect(session?.email).toBe("camille.durand@justice.example");
    await expect(signInWithLink(db, config, { token, ...meta })).rejects.toBeInstanceOf(InvalidLoginLinkError);
  });

  it("brings the person back to the page they asked for", async () => {
    await requestLoginLink(db, config, { email: "louis.bernard@dinum.example", ip: "10.0.0.9", retour: "/conventions/abc/signer" });
    const message = await db.selectFrom("outbox_messages").selectAll().where("to_address", "=", "louis.bernard@dinum.example").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(renderOutboxMessage(message, config.sessionSecret).text).toMatch(/jeton=[A-Za-z0-9_-]+&retour=%2Fconventions%2Fabc%2Fsigner/);
  });

  it("answers the same for an unknown address and sends nothing", async () => {
    const before = await db.selectFrom("outbox_messages").select("id").execute();
    await expect(requestLoginLink(db, config, { email: "inconnu@justice.example", ip: "10.0.0.2" })).resolves.toBeUndefined();
    const after = await db.selectFrom("outbox_messages").select("id").execute();
    expect(after.length).toBe(before.length);
  });

  it("refuses an expired link", async () => {
    await requestLoginLink(db, config, { email: "louis.bernard@dinum.example", ip: "10.0.0.3" });
    const token = await lastLinkTokenFor("louis.bernard@dinum.example");
    await db.updateTable("login_tokens").set({ expires_at: sql`now() - interval '1 second'` }).where("token_hash", "=", hashToken(token)).execute();
    await expect(signInWithLink(db, config, { token, ...meta })).rejects.toBeInstanceOf(InvalidLoginLinkError);
  });

  it("refuses a forged token", async () => {
    await expect(signInWithLink(db, config, { token: "A".repeat(43), ...meta })).rejects.toBeInstanceOf(InvalidLoginLinkError);
  });

  it("rate-limits per address, whether or not it exists", async () => {
    for (let i = 0; i < config.loginRateLimitPerEmail; i++) {
      await requestLoginLink(db, config, { email: "nobody@justice.example", ip: `10.1.0.${i}` });
    }
    await expect(requestLoginLink(db, config, { email: "nobody@justice.example", ip: "10.1.1.1" })).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("rate-limits per IP address", async () => {
    for (let i = 0; i < config.loginRateLimitPerIp; i++) {
      await requestLoginLink(db, config, { email: `x${i}@justice.example`, ip: "10.9.9.9" });
    }
    await expect(requestLoginLink(db, config, { email: "other@justice.example", ip: "10.9.9.9" })).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("logout and deactivation really end sessions", async () => {
    await requestLoginLink(db, config, { email: "stephanie.schaer@dinum.example", ip: "10.0.0.4" });
    const first = await signInWithLink(db, config, { token: await lastLinkTokenFor("stephanie.schaer@dinum.example"), ...meta });
    const live = await findLiveSession(db, hashToken(first.sessionToken));
    await revokeSession(db, live!.session_id);
    expect(await findLiveSession(db, hashToken(first.sessionToken))).toBeUndefined();

    await requestLoginLink(db, config, { email: "stephanie.schaer@dinum.example", ip: "10.0.0.5" });
    const second = await signInWithLink(db, config, { token: await lastLinkTokenFor("stephanie.schaer@dinum.example"), ...meta });
    const admin = await db.selectFrom("people").select("id").where("email", "=", "sophie.petit@dinum.example").executeTakeFirstOrThrow();
    const person = await db.selectFrom("people").selectAll().where("email", "=", "stephanie.schaer@dinum.example").executeTakeFirstOrThrow();
    await savePerson(db, admin.id, person.id, {
      firstName: person.first_name, lastName: person.last_name, email: person.email, jobTitle: person.job_title,
      organisationId: person.organisation_id, roles: person.roles, active: false,
    });
    expect(await findLiveSession(db, hashToken(second.sessionToken))).toBeUndefined();
  });

  it("keeps an append-only, verifiable audit chain", async () => {
    expect(await verifyAuditChain(db, null)).toBe(true);
    // Even the tables' owner is refused by the trigger (the application's role lacks the privilege too).
    await expect(sql`update audit_events set type = 'falsifie'`.execute(owner)).rejects.toThrow(/ajout seul/);
    await expect(sql`delete from audit_events`.execute(owner)).rejects.toThrow(/ajout seul/);
    await expect(sql`update audit_events set type = 'falsifie'`.execute(db)).rejects.toThrow(/ajout seul|permission denied/);
  });

  it("seeding twice changes nothing", async () => {
    const count = async () => (await db.selectFrom("people").select("id").execute()).length;
    const before = await count();
    const { created } = await seedDemo(db);
    expect(created).toEqual([]);
    expect(await count()).toBe(before);
  });
});
