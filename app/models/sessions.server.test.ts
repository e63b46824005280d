import type { AppLoadContext } from "@remix-run/node";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import { commitSessionCookie, getCurrentUser } from "../session.server";
import { hashToken } from "../services/request-login-link.server";
import { savePerson } from "../services/save-person.server";
import { findLiveSession, openSession } from "./sessions.server";

let db: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
});
afterAll(() => close());

const personId = async (email: string) => (await db.selectFrom("people").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
const open = async (email: string) => (await openSession(db, { personId: await personId(email), authMethod: "lien_magique", ttlHours: 12, ip: "127.0.0.1", userAgent: "vitest" })).sessionToken;
const lastSeen = (token: string, minutesAgo: number) =>
  db.updateTable("sessions").set({ last_seen_at: sql`now() - make_interval(mins => ${minutesAgo})` }).where("token_hash", "=", hashToken(token)).execute();

describe("session idle timeout", () => {
  it("a session unused for longer than the idle limit (2 hours by default) is over, though its absolute expiry is hours away", async () => {
    const token = await open("camille.durand@justice.example");
    await lastSeen(token, 119);
    expect(await findLiveSession(db, hashToken(token))).toBeDefined();
    await lastSeen(token, 121);
    expect(await findLiveSession(db, hashToken(token))).toBeUndefined();
    expect(await findLiveSession(db, hashToken(token), 180)).toBeDefined();
  });

  it("each request keeps the session alive; SESSION_IDLE_MINUTES sets the limit", async () => {
    const config = testConfig({ SESSION_IDLE_MINUTES: "30" });
    expect(config.sessionIdleMinutes).toBe(30);
    expect(testConfig().sessionIdleMinutes).toBe(120);
    const context = { config, db, clientIp: "127.0.0.1" } as unknown as AppLoadContext;
    const token = await open("louis.bernard@dinum.example");
    const cookie = (await commitSessionCookie(context, token)).split(";")[0];
    const request = () => new Request(`${config.publicUrl}/tableau-de-bord`, { headers: { Cookie: cookie } });

    await lastSeen(token, 25);
    expect((await getCurrentUser(request(), context))?.email).toBe("louis.bernard@dinum.example");
    // That request counted as activity: 25 more minutes later it is still alive.
    const row = await db.selectFrom("sessions").select(sql<number>`extract(epoch from now() - last_seen_at)`.as("idle")).where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow();
    expect(Number(row.idle)).toBeLessThan(60);

    await lastSeen(token, 31);
    expect(await getCurrentUser(request(), context)).toBeNull();
  });
});

describe("sessions end when who the person is changes", () => {
  const admin = () => personId("sophie.petit@dinum.example");
  async function edit(email: string, change: (p: { email: string; roles: ("redacteur" | "signataire" | "administrateur" | "cbcm")[]; organisation_id: string | null; job_title: string | null }) => void) {
    const person = await db.selectFrom("people").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    const next = { email: person.email, roles: [...person.roles], organisation_id: person.organisation_id, job_title: person.job_title };
    change(next);
    await savePerson(db, await admin(), person.id, {
      firstName: person.first_name, lastName: person.last_name, email: next.email, jobTitle: next.job_title,
      organisationId: next.organisation_id, roles: next.roles, active: person.active,
    });
    return next.email;
  }

  it("a new job title keeps the session", async () => {
    const token = await open("paul.girard@culture.example");
    await edit("paul.girard@culture.example", (p) => void (p.job_title = "Juriste principal"));
    expect(await findLiveSession(db, hashToken(token))).toBeDefined();
  });

  it("a new e-mail address, other roles or another organisation end every session of the person", async () => {
    let email = "paul.girard@culture.example";
    const dinum = (await db.selectFrom("organisations").select("id").where("short_name", "=", "DINUM").executeTakeFirstOrThrow()).id;
    const changes: [string, (p: { email: string; roles: ("redacteur" | "signataire" | "administrateur" | "cbcm")[]; organisation_id: string | null }) => void][] = [
      ["address", (p) => void (p.email = "paul.girard2@culture.example")],
      ["roles", (p) => void (p.roles = ["redacteur"])],
      ["organisation", (p) => void (p.organisation_id = dinum)],
    ];
    for (const [what, change] of changes) {
      const first = await open(email);
      const second = await open(email);
      email = await edit(email, change);
      expect(await findLiveSession(db, hashToken(first)), what).toBeUndefined();
      expect(await findLiveSession(db, hashToken(second)), what).toBeUndefined();
    }
  });
});
