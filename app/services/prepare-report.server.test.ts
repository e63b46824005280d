import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "../../db/connect";
import { eurosFromCents } from "../domain/compte-rendu";
import { getDocument } from "../models/circuit.server";
import { nssDb, pdfsig, tmpDir } from "../pdf/test-support/tools";
import { CAMILLE, circuitWorld, SCHAER } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { launchCircuit } from "./launch-circuit.server";
import { recordSpending } from "./record-spending.server";
import { renderActPdf } from "./render-draft.server";
import { runScheduler } from "./run-scheduler.server";
import { proposedCircuit, setCircuit } from "./set-circuit.server";
import { setPublishable } from "./set-publishable.server";

let db: Database;
let close: () => Promise<void>;
let engine: string;
let world: Awaited<ReturnType<typeof circuitWorld>>;
const LOUIS = "louis.bernard@dinum.example";
const config = testConfig({ REPORT_REMINDER_DAYS: "30" });
const deps = () => ({ config });
const DAY = 86_400_000;

beforeAll(async () => {
  ({ db, close, engine } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 120_000);
afterAll(async () => close());

/** A convention signed through the portal, in force, with the given lines recorded by the DINUM's rédacteur. */
async function conventionWithLines(lines: Record<string, string>[]) {
  const id = await world.signedConvention();
  await db.updateTable("conventions").set({ status: "en_vigueur" }).where("id", "=", id).execute();
  for (const l of lines) expect(await recordSpending(db, world.actor(LOUIS), id, l)).toMatchObject({ ok: true });
  return id;
}
const firstYear = async (id: string) =>
  ((await db.selectFrom("conventions").select("data").where("id", "=", id).executeTakeFirstOrThrow()).data as { financement: { echeancier: { annee: number }[] } }).financement.echeancier[0].annee;
const reportsOf = (id: string) => db.selectFrom("conventions").selectAll().where("parent_id", "=", id).where("kind", "=", "compte_rendu").execute();
const end = (id: string) => db.updateTable("conventions").set({ status: "expiree", ends_on: "2026-11-30" }).where("id", "=", id).execute();
const pdfText = (pdf: Uint8Array) => {
  const file = path.join(tmpDir("paraphe-cr-"), "cr.pdf");
  fs.writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/[\u00a0\u202f]/g, " ");
};

describe("compte rendu d'exécution", () => {
  let id = "";
  let reportId = "";
  let year = 0;
  const today = new Date();

  it("is prepared once by the scheduler when the convention has ended, with the recorded lines and totals equal to them in its PDF", async () => {
    id = await conventionWithLines([]);
    year = await firstYear(id);
    const line = (credit: string, montant: string, extra: Record<string, string> = {}) => ({ annee: String(year), credit, date: `${year}-03-01`, montant, chorus: `EJ ${montant.replace(/\D/g, "")}`, ...extra });
    for (const l of [line("ae", "100 000"), line("ae", "25 000,50"), line("cp", "40 000"), line("ae", "-20 000", { motif: "Engagement annulé" })])
      expect(await recordSpending(db, world.actor(LOUIS), id, l)).toMatchObject({ ok: true });
    // Still in force: nothing to prepare.
    await runScheduler(db, deps(), today);
    expect(await reportsOf(id)).toHaveLength(0);

    await end(id);
    const first = await runScheduler(db, deps(), today);
    expect(first.comptesRendus).toBeGreaterThanOrEqual(1);
    const again = await runScheduler(db, deps(), today);
    expect(again.comptesRendus).toBe(0);
    const reports = await reportsOf(id);
    expect(reports).toHaveLength(1);
    reportId = reports[0].id;
    expect(reports[0]).toMatchObject({ status: "brouillon", template: "compte-rendu", publishable: false });

    const recorded = await db.selectFrom("spending_lines").select(["credit", "amount_cents"]).where("convention_id", "=", id).execute();
    const sum = (credit: string) => recorded.filter((r) => r.credit === credit).reduce((a, r) => a + Number(r.amount_cents), 0);
    expect(sum("ae")).toBe(10_500_050);
    const data = reports[0].data as { lignes: unknown[]; signatures: { partie: string }[] };
    expect(data.lignes).toHaveLength(4);
    expect(data.signatures.map((s) => s.partie)).toEqual(["delegataire"]);

    const rendered = await renderActPdf(reports[0].data as { modele: "compte-rendu" });
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.problems));
    const text = pdfText(rendered.pdf);
    expect(text).toContain("Compte rendu d'exécution");
    const totalAe = new RegExp(`Total AE\\s+${eurosFromCents(sum("ae")).replace(/\u00a0/g, " ")}`);
    const totalCp = new RegExp(`Total CP\\s+${eurosFromCents(sum("cp")).replace(/\u00a0/g, " ")}`);
    expect(text).toMatch(totalAe);
    expect(text).toMatch(totalCp);
    // The year row: delegated, consumed (= the lines), remaining.
    expect(text).toMatch(new RegExp(`${year}\\s+150 000 €\\s+105 000,50 €\\s+44 999,50 €`));
    expect(text).toContain("Correction : Engagement");
    expect(text).toContain("EJ 2500050");
    // Never in the public register: the publication switch refuses it.
    await expect(setPublishable(db, config, world.actor(LOUIS), reportId, { publier: "oui" })).rejects.toThrow(/ne figure pas au registre public/);
  }, 120_000);

  it("reminds the délégataire's rédacteurs every REPORT_REMINDER_DAYS days until it is signed, once per period", async () => {
    const reminders = () => db.selectFrom("outbox_messages").select(["to_address"]).where("convention_id", "=", reportId).where("kind", "=", "rappel_compte_rendu").execute();
    await runScheduler(db, deps(), new Date(today.getTime() + 29 * DAY));
    expect(await reminders()).toHaveLength(0);
    const r30 = await runScheduler(db, deps(), new Date(today.getTime() + 30 * DAY));
    expect(r30.rappelsCompteRendu).toBeGreaterThanOrEqual(1);
    expect((await reminders()).map((m) => m.to_address)).toEqual([LOUIS]);
    await runScheduler(db, deps(), new Date(today.getTime() + 45 * DAY));
    expect(await reminders()).toHaveLength(1);
    await runScheduler(db, deps(), new Date(today.getTime() + 60 * DAY));
    expect(await reminders()).toHaveLength(2);
    const alerts = await db.selectFrom("alerts").select("message").where("convention_id", "=", reportId).execute();
    expect(alerts.filter((a) => a.message.includes("attend sa signature"))).toHaveLength(2);
  }, 120_000);

  it("is signed by the délégataire's signatory alone (one step), passes pdfsig valid and trusted, and reaches the délégant and the CBCM", async () => {
    const { steps } = await proposedCircuit(db, reportId, (await reportsOf(id))[0].data);
    expect(steps).toHaveLength(1);
    await setCircuit(db, world.actor(LOUIS), reportId, { steps });
    await launchCircuit(db, world.deps, world.actor(LOUIS), reportId);
    await world.sign(SCHAER, reportId);
    const report = (await reportsOf(id))[0];
    expect(report.status).toBe("signee");
    const complete = await getDocument(db, reportId, report.circuit_round, "complet");
    if (!complete) throw new Error("no signed document");
    const dir = tmpDir("paraphe-cr-sig-");
    const file = path.join(dir, "cr-signe.pdf");
    fs.writeFileSync(file, complete.bytes);
    const results = pdfsig(file, nssDb(dir, world.pki.trustPem()));
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results[0]).toEqual({ valid: true, trusted: true });
    const sent = await db.selectFrom("transmissions").select(["recipient_email", "recipient_kind"]).where("convention_id", "=", reportId).execute();
    expect(sent.map((t) => t.recipient_email)).toContain(CAMILLE);
    expect(sent.some((t) => t.recipient_kind === "cbcm")).toBe(true);
    const events = await db.selectFrom("audit_events").select("type").where("convention_id", "=", id).where("type", "=", "compte_rendu_signe").execute();
    expect(events).toHaveLength(1);
    // Signed: no more reminders.
    await runScheduler(db, deps(), new Date(today.getTime() + 90 * DAY));
    expect(await db.selectFrom("outbox_messages").select("id").where("convention_id", "=", reportId).where("kind", "=", "rappel_compte_rendu").execute()).toHaveLength(2);
  }, 180_000);

  it("two schedulers at once prepare one report (PostgreSQL: SKIP LOCKED and the unique index)", async () => {
    if (engine !== "postgresql") return;
    const other = await conventionWithLines([]);
    await end(other);
    await Promise.all([runScheduler(db, deps(), today), runScheduler(db, deps(), today), runScheduler(db, deps(), today)]);
    expect(await reportsOf(other)).toHaveLength(1);
  }, 180_000);
});
