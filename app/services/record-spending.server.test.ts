import type { Database } from "../../db/connect";
import { CAMILLE, circuitWorld } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { recordSpending, spendingSummary } from "./record-spending.server";

let db: Database;
let close: () => Promise<void>;
let engine: string;
let world: Awaited<ReturnType<typeof circuitWorld>>;
let id = "";
let year = 0;
const LOUIS = "louis.bernard@dinum.example";
const config = testConfig();

beforeAll(async () => {
  ({ db, close, engine } = await createTestDatabase());
  world = await circuitWorld(db, config);
  id = await world.freshDraft();
  // A convention in force (how it gets there is issue 11's scheduler): its schedule is the demo's.
  await db.updateTable("conventions").set({ status: "en_vigueur" }).where("id", "=", id).execute();
  const row = await db.selectFrom("conventions").select("data").where("id", "=", id).executeTakeFirstOrThrow();
  year = (row.data as { financement: { echeancier: { annee: number; ae: number }[] } }).financement.echeancier[0].annee;
}, 120_000);
afterAll(async () => close());

const line = (montant: string, extra: Record<string, string> = {}) => ({ annee: String(year), credit: "ae", date: `${year}-02-01`, montant, chorus: "EJ 1800012345", ...extra });

describe("recordSpending", () => {
  it("records lines of the délégataire's rédacteur and refuses over-consumption, writing nothing", async () => {
    expect(await recordSpending(db, world.actor(LOUIS), id, line("100 000"))).toMatchObject({ ok: true });
    const refused = await recordSpending(db, world.actor(LOUIS), id, line("60 000"));
    expect(refused).toEqual({ ok: false, errors: [{ path: "montant", message: `Dépassement refusé : les AE consommés en ${year} atteindraient 160\u00a0000\u00a0€ pour 150\u00a0000\u00a0€ délégués, soit 10\u00a0000\u00a0€ de trop` }] });
    const { lines, table } = await spendingSummary(db, id, (await db.selectFrom("conventions").select("data").where("id", "=", id).executeTakeFirstOrThrow()).data);
    expect(lines).toHaveLength(1);
    expect(table.find((r) => r.annee === year)).toMatchObject({ consomme: { ae: 10_000_000, cp: 0 }, restant: { ae: 5_000_000 } });
    const events = await db.selectFrom("audit_events").select("type").where("convention_id", "=", id).where("type", "like", "depense%").execute();
    expect(events.map((e) => e.type)).toEqual(["depense_enregistree"]);
  });

  it("a correction is a new negative line with its reason; the history stays", async () => {
    expect(await recordSpending(db, world.actor(LOUIS), id, line("-20 000"))).toEqual({ ok: false, errors: [{ path: "motif", message: "Une correction (montant négatif) doit indiquer son motif" }] });
    expect(await recordSpending(db, world.actor(LOUIS), id, line("-20 000", { motif: "Engagement annulé" }))).toMatchObject({ ok: true });
    const { lines, table } = await spendingSummary(db, id, (await db.selectFrom("conventions").select("data").where("id", "=", id).executeTakeFirstOrThrow()).data);
    expect(lines.map((l) => [l.amountCents, l.correction_reason])).toEqual([[10_000_000, null], [-2_000_000, "Engagement annulé"]]);
    expect(table.find((r) => r.annee === year)?.consomme.ae).toBe(lines.reduce((a, l) => a + l.amountCents, 0));
  });

  it("only a rédacteur of the délégataire, only while in force, and never on a draft", async () => {
    await expect(recordSpending(db, world.actor(CAMILLE), id, line("10"))).rejects.toThrow(/rédacteurs du délégataire/);
    const draft = await world.freshDraft();
    await expect(recordSpending(db, world.actor(LOUIS), draft, line("10"))).rejects.toThrow(/en vigueur/);
  });

  it("two lines at once cannot overshoot together (PostgreSQL: the convention's row lock orders them)", async () => {
    if (engine !== "postgresql") return;
    const other = await world.freshDraft();
    await db.updateTable("conventions").set({ status: "en_vigueur" }).where("id", "=", other).execute();
    const results = await Promise.all([recordSpending(db, world.actor(LOUIS), other, line("100 000")), recordSpending(db, world.actor(LOUIS), other, line("100 000"))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});
