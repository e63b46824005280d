import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { CAMILLE, CANTON, circuitWorld } from "../test-support/circuit";
import { CircuitError } from "./circuit-shared.server";
import { launchCircuit } from "./launch-circuit.server";
import { hashToken, requestLoginLink } from "./request-login-link.server";
import { sendSigningCode } from "./send-signing-code.server";
import { signInWithLink } from "./sign-in-with-link.server";

/** Rate limits: refused attempts count too, so that hammering keeps the door shut. */

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 300_000);
afterAll(() => close());
beforeEach(async () => {
  await db.deleteFrom("rate_limit_hits").execute();
});

/** Time passes: what was recorded until now is 16 minutes old (out of the 15-minute window). */
async function sixteenMinutesLater(table: "rate_limit_hits" | "signing_codes", before: Date) {
  await db.updateTable(table).set({ created_at: sql`created_at - interval '16 minutes'` }).where("created_at", "<=", before).execute();
}

/** A valid sign-in link for `email`, as requestLoginLink stores it (only its hash). */
async function freshLinkToken(email: string): Promise<string> {
  const person = await db.selectFrom("people").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  const token = randomBytes(32).toString("base64url");
  await db.insertInto("login_tokens").values({ person_id: person.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 600_000), used_at: null, ip: null }).execute();
  return token;
}

describe("rate limits count refused attempts", () => {
  it("sign-in link requests: hammering past the limit keeps the address locked after the first requests age out", async () => {
    const email = "louis.bernard@dinum.example";
    for (let i = 0; i < config.loginRateLimitPerEmail; i++) await requestLoginLink(db, config, { email, ip: `10.2.0.${i}` });
    const { now } = await sql<{ now: Date }>`select now()`.execute(db).then((r) => r.rows[0]);
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < config.loginRateLimitPerEmail + 1; i++) {
      await expect(requestLoginLink(db, config, { email, ip: `10.2.1.${i}` })).rejects.toThrow(/Trop de demandes de connexion/);
    }
    await sixteenMinutesLater("rate_limit_hits", now);
    // Only the refused attempts are left in the window, and they are over the limit.
    await expect(requestLoginLink(db, config, { email, ip: "10.2.2.1" })).rejects.toThrow(/Trop de demandes de connexion/);
  });

  it("sign-in links: failed links from one IP address lock that address out, a valid link included; other addresses are unaffected", async () => {
    for (let i = 0; i < config.loginRateLimitPerIp; i++) {
      await expect(signInWithLink(db, config, { token: `faux${i}`.padEnd(43, "A"), ip: "10.3.0.1", userAgent: "vitest" })).rejects.toThrow(/plus valable/);
    }
    const token = await freshLinkToken(CAMILLE);
    await expect(signInWithLink(db, config, { token, ip: "10.3.0.1", userAgent: "vitest" })).rejects.toThrow(/Trop de liens de connexion refusés/);
    // The token was not consumed by the refused attempt: its owner uses it from another network.
    const row = await db.selectFrom("login_tokens").select("used_at").where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow();
    expect(row.used_at).toBeNull();
    await expect(signInWithLink(db, config, { token, ip: "10.3.0.2", userAgent: "vitest" })).resolves.toMatchObject({ sessionToken: expect.any(String) });
  });

  it("signing codes: requests refused for the limit still count", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
    for (let i = 0; i < 5; i++) await sendSigningCode(db, world.deps, world.actor(CANTON), id);
    const { now } = await sql<{ now: Date }>`select now()`.execute(db).then((r) => r.rows[0]);
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 6; i++) await expect(sendSigningCode(db, world.deps, world.actor(CANTON), id)).rejects.toBeInstanceOf(CircuitError);
    await sixteenMinutesLater("rate_limit_hits", now);
    await sixteenMinutesLater("signing_codes", now);
    await expect(sendSigningCode(db, world.deps, world.actor(CANTON), id)).rejects.toThrow(/Trop de codes demandés/);
  });
});

describe("user enumeration", () => {
  it("an unknown address leaves nothing behind: no person, no token, no e-mail (the same work is undone)", async () => {
    const count = async (table: "people" | "login_tokens" | "outbox_messages") => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    const before = [await count("people"), await count("login_tokens"), await count("outbox_messages")];
    await requestLoginLink(db, config, { email: "personne.inconnue@justice.example", ip: "10.4.0.1" });
    expect([await count("people"), await count("login_tokens"), await count("outbox_messages")]).toEqual(before);
    // A known address does get its link.
    await requestLoginLink(db, config, { email: CAMILLE, ip: "10.4.0.1" });
    expect(await count("outbox_messages")).toBe(before[2] + 1);
    expect(await count("people")).toBe(before[0]); // the stand-in never stays
  });
});
