/**
 * Every list query of the portal, planned by PostgreSQL over a realistic volume (6,000 conventions
 * over three organisations, their parties, versions, audit events, circuits, outbox, transmissions,
 * alerts; ANALYZE run as autovacuum would): no sequential scan of a large table. No planner setting is
 * touched (`enable_seqscan` stays on): the plans are those production gets at this size.
 * PostgreSQL only (DATABASE_URL): PGlite's planner is the same code, but CI measures the real engine.
 */
import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from "kysely";
import { seedScale } from "../../bench/seed-scale";
import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { countUnreadAlerts, pageAlerts } from "./alerts.server";
import { countWaitingFor, pageWaitingFor } from "./circuit.server";
import { CONVENTION_TABS, countConventionsOfOrganisationByStatus, pageConventionsOfOrganisation } from "./conventions.server";
import { pageUnacknowledged } from "./transmissions.server";

const LARGE = new Set(["conventions", "convention_organisations", "convention_versions", "audit_events", "circuit_steps", "step_members", "outbox_messages", "transmissions", "alerts", "documents"]);
const CONVENTIONS = 6000;

let db: Database;
let close: () => Promise<void>;
let justice: string;
let dinum: string;
let canton: string;
let camille: string;
const captured: RootOperationNode[] = [];

/** Keeps the operation node of every query the list functions run, to plan it afterwards. */
const capture: KyselyPlugin = {
  transformQuery: (args) => {
    captured.push(args.node);
    return args.node;
  },
  transformResult: async (args) => args.result,
};

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };
function seqScans(plan: PlanNode, out: string[] = []): string[] {
  if (plan["Node Type"] === "Seq Scan" && plan["Relation Name"] && LARGE.has(plan["Relation Name"])) out.push(plan["Relation Name"]);
  for (const child of plan.Plans ?? []) seqScans(child, out);
  return out;
}

/** The plan as an indented outline (node type, relation, index), for the failure message. */
function planText(plan: PlanNode & { "Index Name"?: string }, depth = 0): string {
  const line = `${"  ".repeat(depth)}${plan["Node Type"]}${plan["Relation Name"] ? ` on ${plan["Relation Name"]}` : ""}${plan["Index Name"] ? ` using ${plan["Index Name"]}` : ""}`;
  return [line, ...(plan.Plans ?? []).map((c) => planText(c, depth + 1))].join("\n");
}

/** Runs `run` with the capturing plugin and returns each of its queries' plans. */
async function plans(run: (db: Database) => Promise<unknown>) {
  captured.length = 0;
  await run(db.withPlugin(capture) as Database);
  const out: { sql: string; scans: string[]; plan: PlanNode }[] = [];
  for (const node of captured.splice(0)) {
    const compiled = db.getExecutor().compileQuery(node, { queryId: "explain" } as never);
    const result = await db.executeQuery<{ "QUERY PLAN": { Plan: PlanNode }[] }>(CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]));
    const plan = result.rows[0]["QUERY PLAN"][0].Plan;
    out.push({ sql: compiled.sql, scans: seqScans(plan), plan });
  }
  return out;
}

async function expectNoSeqScan(what: string, run: (db: Database) => Promise<unknown>) {
  const all = await plans(run);
  expect(all.length, `${what} : aucune requête capturée`).toBeGreaterThan(0);
  for (const p of all) expect(p.scans, `${what} : ${p.sql}\n${planText(p.plan)}`).toEqual([]);
}

const first = { after: null, before: null, limit: 25 };

describe.skipIf(!process.env.DATABASE_URL)("list queries on PostgreSQL at scale: no sequential scan of a large table", () => {
  beforeAll(async () => {
    ({ db, close } = await createTestDatabase());
    await seedScale(db, { conventions: CONVENTIONS });
    const org = async (short: string) => (await db.selectFrom("organisations").select("id").where("short_name", "=", short).executeTakeFirstOrThrow()).id;
    justice = await org("MJ SG/SNUM");
    dinum = await org("DINUM");
    const person = async (email: string) => (await db.selectFrom("people").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    canton = await person("anne-florence.canton@justice.example");
    camille = await person("camille.durand@justice.example");
    expect(Number((await db.selectFrom("conventions").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBeGreaterThanOrEqual(CONVENTIONS);
  }, 300_000);
  afterAll(() => close?.());

  it("the dashboard's tabs, each first page and the next one", async () => {
    for (const [tab, statuses] of Object.entries(CONVENTION_TABS)) {
      await expectNoSeqScan(`onglet ${tab}`, (d) => pageConventionsOfOrganisation(d, justice, { statuses }, first));
    }
    const page1 = await pageConventionsOfOrganisation(db, justice, { statuses: CONVENTION_TABS.brouillons }, first);
    expect(page1.next).not.toBeNull();
    await expectNoSeqScan("brouillons, page 2", (d) => pageConventionsOfOrganisation(d, justice, { statuses: CONVENTION_TABS.brouillons }, { ...first, after: page1.next }));
    await expectNoSeqScan("brouillons, page précédente", (d) => pageConventionsOfOrganisation(d, justice, { statuses: CONVENTION_TABS.brouillons }, { ...first, before: page1.next }));
  });

  it("search, party and year filters", async () => {
    await expectNoSeqScan("recherche", (d) => pageConventionsOfOrganisation(d, justice, { q: "hébergement dinum", statuses: CONVENTION_TABS.brouillons }, first));
    await expectNoSeqScan("recherche par référence", (d) => pageConventionsOfOrganisation(d, justice, { q: "DG-2023-00042" }, first));
    await expectNoSeqScan("partie", (d) => pageConventionsOfOrganisation(d, justice, { partie: dinum, statuses: CONVENTION_TABS.signees }, first));
    await expectNoSeqScan("année", (d) => pageConventionsOfOrganisation(d, justice, { annee: 2024, statuses: CONVENTION_TABS["en-cours"] }, first));
    await expectNoSeqScan("tous les filtres", (d) => pageConventionsOfOrganisation(d, justice, { q: "crédits", partie: dinum, annee: 2023 }, first));
  });

  it("the counts per tab", async () => {
    await expectNoSeqScan("comptes", (d) => countConventionsOfOrganisationByStatus(d, justice, {}));
    await expectNoSeqScan("comptes filtrés", (d) => countConventionsOfOrganisationByStatus(d, justice, { q: "formation", annee: 2024 }));
  });

  it("« À signer », alerts and unacknowledged transmissions", async () => {
    await expectNoSeqScan("à signer", (d) => pageWaitingFor(d, canton, [], first));
    await expectNoSeqScan("à signer, compte", (d) => countWaitingFor(d, canton, []));
    await expectNoSeqScan("alertes", (d) => pageAlerts(d, camille, first));
    await expectNoSeqScan("alertes non lues", (d) => countUnreadAlerts(d, camille));
    await expectNoSeqScan("transmissions sans accusé", (d) => pageUnacknowledged(d, justice, 7, first));
  });
});
