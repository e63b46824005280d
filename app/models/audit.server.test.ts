import { X509Certificate } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/connect";
import type { DB } from "../../db/schema";
import { main } from "../cli/main";
import { verifyAudit } from "../cli/audit";
import { openPki, type Pki } from "../pdf/pki/pki";
import { verifyToken } from "../pdf/pki/trust";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { anchorAuditChain, appendAuditEvent, checkAuditChain, eventHash, verifyAuditChain, type AnchorTokenCheck } from "./audit.server";

let db: Database;
let owner: Database;
let engine: "postgresql" | "pglite";
let close: () => Promise<void>;
let pki: Pki;
let checkToken: AnchorTokenCheck;
let personId: string;
let organisationId: string;
const config = testConfig();

beforeAll(async () => {
  ({ db, owner, engine, close } = await createTestDatabase());
  pki = await openPki({ dataDir: config.dataDir, env: {} as NodeJS.ProcessEnv });
  const trusted = pki.trustedCertificates().map((der) => new X509Certificate(der));
  checkToken = (token, imprint) => verifyToken(token, imprint, [], trusted, [], new Date());
  organisationId = (await db.insertInto("organisations").values({ name: "Organisation d'essai", short_name: "OE", ministry: "Ministère d'essai", address: null }).returning("id").executeTakeFirstOrThrow()).id;
  personId = (await db.insertInto("people").values({ email: "redactrice@essai.example", first_name: "Rita", last_name: "Essai", job_title: null, organisation_id: organisationId, roles: ["redacteur"] }).returning("id").executeTakeFirstOrThrow()).id;
}, 120_000);
afterAll(() => close());

/**
 * A convention whose chain has `types.length` events; an anchor right after each "signature"
 * and "circuit_termine", as the signing code does.
 */
async function chain(types: string[]): Promise<{ id: string; events: { id: string; hash: string }[] }> {
  const convention = await db
    .insertInto("conventions")
    .values({ kind: "convention", parent_id: null, status: "en_signature", title: `Essai ${Math.random().toString(36).slice(2, 8)}`, reference: null, delegant_organisation_id: organisationId, template: "convention", data: "{}", frozen_sha256: null, created_by: personId, decline_reason: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  const events: { id: string; hash: string }[] = [];
  for (const [i, type] of types.entries()) {
    await db.transaction().execute(async (trx) => {
      const e = await appendAuditEvent(trx, { conventionId: convention.id, type, actorId: personId, ip: "10.1.2.3", payload: { n: i, montant: 1000 * i } });
      events.push({ id: String(e.id), hash: e.hash });
      if (type === "signature") await anchorAuditChain(trx, pki.tsa, convention.id, "signature");
      if (type === "circuit_termine") await anchorAuditChain(trx, pki.tsa, convention.id, "achèvement");
    });
  }
  return { id: convention.id, events };
}

/** What only the tables' owner can do, triggers and foreign keys off (session_replication_role = replica). */
async function tamper(work: (trx: Kysely<DB>) => Promise<unknown>) {
  await owner.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await work(trx);
  });
}

const TYPES = ["circuit_defini", "circuit_lance", "code_envoye", "signature", "code_envoye", "signature", "circuit_termine"];

describe("audit chain verification", () => {
  it("an untouched chain with its anchors is intact, each anchor's token checked", async () => {
    const { id } = await chain(TYPES);
    const report = await checkAuditChain(db, id, checkToken);
    expect(report).toMatchObject({ ok: true, events: 7, anchors: 3, problems: [] });
    expect(await verifyAuditChain(db, id)).toBe(true);
  });

  it("an edited payload is reported", async () => {
    const { id, events } = await chain(TYPES);
    await tamper((trx) => trx.updateTable("audit_events").set({ payload: JSON.stringify({ n: 1, montant: 999_999 }) }).where("id", "=", events[1].id).execute());
    const report = await checkAuditChain(db, id, checkToken);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([`évènement n° ${events[1].id} (circuit_lance) modifié : son contenu ne correspond plus à son empreinte`]);
    expect(await verifyAuditChain(db, id)).toBe(false);
  });

  it("a removed event is reported as a gap", async () => {
    const { id, events } = await chain(TYPES);
    await tamper((trx) => trx.deleteFrom("audit_events").where("id", "=", events[2].id).execute());
    const report = await checkAuditChain(db, id, checkToken);
    expect(report.problems).toContain(`lacune : un ou plusieurs évènements manquent avant l'évènement n° ${events[3].id} (signature)`);
    // The anchors taken after it counted it.
    expect(report.problems.some((p) => /la chaîne compte 3 évènements jusqu'à lui au lieu de 4/.test(p))).toBe(true);
  });

  it("a reordered event is reported", async () => {
    const { id, events } = await chain(["circuit_defini", "circuit_lance", "code_envoye", "relance"]);
    const [a, b] = [events[1].id, events[2].id];
    await tamper(async (trx) => {
      await trx.updateTable("audit_events").set({ id: "-1" }).where("id", "=", a).execute();
      await trx.updateTable("audit_events").set({ id: a }).where("id", "=", b).execute();
      await trx.updateTable("audit_events").set({ id: b }).where("id", "=", "-1").execute();
    });
    const report = await checkAuditChain(db, id, checkToken);
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.startsWith("ordre modifié"))).toBe(true);
  });

  it("a truncated tail (the anchored head and what follows removed) is reported against the anchor", async () => {
    const { id, events } = await chain(TYPES);
    await tamper((trx) => trx.deleteFrom("audit_events").where("id", ">=", events[5].id).where("convention_id", "=", id).execute());
    // What remains is a consistent chain: only the anchors tell.
    const report = await checkAuditChain(db, id, checkToken);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^troncature : la chaîne s'arrête avant l'évènement n° ${events[5].id} `)),
        expect.stringMatching(new RegExp(`^troncature : la chaîne s'arrête avant l'évènement n° ${events[6].id} `)),
      ]),
    );
    expect(await verifyAuditChain(db, id)).toBe(false);
  });

  it("a chain rewritten from an anchored event on, every hash recomputed, is reported against the anchor", async () => {
    const { id, events } = await chain(TYPES);
    await tamper(async (trx) => {
      const rows = await trx.selectFrom("audit_events").selectAll().where("convention_id", "=", id).orderBy("id").execute();
      let prev = rows[2].hash;
      for (const row of rows.slice(3)) {
        const payload = String(row.id) === events[3].id ? { ...(row.payload as object), montant: 999_999 } : row.payload;
        const hash = eventHash({ ...row, payload, prev_hash: prev });
        await trx.updateTable("audit_events").set({ payload: JSON.stringify(payload), prev_hash: prev, hash }).where("id", "=", row.id).execute();
        prev = hash;
      }
    });
    // The chain agrees with itself: only the hash the anchor timestamped tells.
    const report = await checkAuditChain(db, id, checkToken);
    expect(report.problems.filter((p) => /modifié|lacune|premier/.test(p))).toEqual([]);
    expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^l'évènement n° ${events[3].id} ne porte plus l'empreinte horodatée`))]));
    expect(await verifyAuditChain(db, id)).toBe(false);
  });

  it("a removed anchor, or a token over another head, is reported", async () => {
    const { id, events } = await chain(TYPES);
    const forged = await pki.tsa.timestamp(Buffer.alloc(32, 7));
    await tamper(async (trx) => {
      await trx.deleteFrom("audit_anchors").where("event_id", "=", events[6].id).execute();
      await trx.updateTable("audit_anchors").set({ token: forged }).where("event_id", "=", events[3].id).execute();
    });
    const report = await checkAuditChain(db, id, checkToken);
    expect(report.problems).toContain(`évènement n° ${events[6].id} (circuit_termine) sans ancrage horodaté (acte antérieur à l'ancrage, ou ancrage supprimé)`);
    expect(report.problems.some((p) => /jeton d'horodatage invalide/.test(p) && /empreinte/.test(p))).toBe(true);
  });

  it("TRUNCATE of the journal is refused, even to the tables' owner", async () => {
    await expect(sql`truncate audit_events cascade`.execute(owner)).rejects.toThrow(/TRUNCATE refusé|permission denied/);
    await expect(sql`truncate audit_anchors`.execute(owner)).rejects.toThrow(/TRUNCATE refusé|permission denied/);
    await expect(sql`truncate audit_events cascade`.execute(db)).rejects.toThrow();
  });
});

describe("paraphe audit verify", () => {
  it("exit 0 and « intègre » for an untouched chain; exit 1 and the French reason for an edited one", async () => {
    const good = await chain(TYPES);
    const lines: string[] = [];
    expect(await verifyAudit(db, { conventionId: good.id, checkToken }, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^Convention « Essai \w+ » \(.+\) : 7 évènements, 3 ancrages — intègre$/);
    expect(lines).toContain("1 journal(aux) vérifié(s) : aucune altération détectée.");

    const bad = await chain(TYPES);
    await tamper((trx) => trx.updateTable("audit_events").set({ ip: "192.0.2.1" }).where("id", "=", bad.events[3].id).execute());
    const out: string[] = [];
    expect(await verifyAudit(db, { conventionId: bad.id, checkToken }, (l) => out.push(l))).toBe(1);
    expect(out[0]).toMatch(/— ALTÉRÉ$/);
    expect(out).toContain(`  - évènement n° ${bad.events[3].id} (signature) modifié : son contenu ne correspond plus à son empreinte`);
    expect(out.some((l) => l.startsWith("Limite : "))).toBe(true);

    // Without --convention: every chain, the portal's included; one is broken so the exit code is 1.
    const all: string[] = [];
    expect(await verifyAudit(db, { checkToken }, (l) => all.push(l))).toBe(1);
    expect(all.some((l) => l.startsWith("Journal du portail (hors conventions)"))).toBe(true);
  });

  it("refuses bad arguments in French with the usage exit code, and an unknown convention with 66", async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((m: string) => void errors.push(m));
    const dataDir = process.env.DATA_DIR;
    process.env.DATA_DIR = config.dataDir;
    try {
      expect(await main(["audit", "verify", "--convention", "pas-un-uuid"])).toBe(64);
      expect(await main(["audit", "verifier"])).toBe(64);
    } finally {
      spy.mockRestore();
      if (dataDir === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = dataDir;
    }
    expect(errors).toEqual(["Identifiant de convention invalide : pas-un-uuid", "Utilisation : paraphe audit verify [--convention ID]"]);
    const lines: string[] = [];
    expect(await verifyAudit(db, { conventionId: "00000000-0000-4000-8000-000000000000" }, (l) => lines.push(l))).toBe(66);
    expect(lines).toEqual(["Convention introuvable : 00000000-0000-4000-8000-000000000000"]);
  });
});

// As .ci/run runs the PostgreSQL leg: migrations by the owner, the application under its own role.
const separateRoles = Boolean(process.env.DATABASE_URL && process.env.DATABASE_MIGRATION_URL);

describe.skipIf(!separateRoles)("the application's PostgreSQL role (DATABASE_URL without ownership)", () => {
  it("cannot truncate, disable a trigger, switch to replica mode, nor rewrite the journal; it can append", async () => {
    expect(engine).toBe("postgresql");
    const { id } = await chain(["circuit_defini"]);
    await expect(sql`truncate audit_events cascade`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`truncate audit_anchors`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`truncate outbox_messages cascade`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`alter table audit_events disable trigger audit_events_append_only`.execute(db)).rejects.toThrow(/must be owner/);
    await expect(sql`alter table audit_events disable trigger all`.execute(db)).rejects.toThrow(/must be owner/);
    await expect(sql`set session_replication_role = replica`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`update audit_events set ip = null where convention_id = ${id}`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from audit_events where convention_id = ${id}`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from audit_anchors`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`drop trigger audit_events_no_truncate on audit_events`.execute(db)).rejects.toThrow(/must be owner/);
    const { rows } = await sql<{ owns: boolean; superuser: boolean }>`
      select exists (select 1 from pg_tables where tableowner = current_user) as owns, (select rolsuper from pg_roles where rolname = current_user) as superuser`.execute(db);
    expect(rows[0]).toEqual({ owns: false, superuser: false });
    await db.transaction().execute((trx) => appendAuditEvent(trx, { conventionId: id, type: "circuit_lance", actorId: personId }));
    expect(await verifyAuditChain(db, id)).toBe(true);
  });
});
