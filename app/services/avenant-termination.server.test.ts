import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Convention } from "../domain/convention";
import { addDays, addMonths, parisDate } from "../domain/dates";
import { verifyAuditChain } from "../models/audit.server";
import { listConsolidations } from "../models/consolidations.server";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { CAMILLE, CANTON, circuitWorld, GIRARD, SCHAER } from "../test-support/circuit";
import type { ConventionUser } from "./convention-access.server";
import { createAvenant } from "./create-avenant.server";
import { CircuitError } from "./circuit-shared.server";
import { launchCircuit } from "./launch-circuit.server";
import { prepareTermination } from "./prepare-termination.server";
import { runScheduler } from "./run-scheduler.server";
import { saveAvenant } from "./save-avenant.server";
import { saveTermination } from "./save-termination.server";
import { proposedCircuit, setCircuit } from "./set-circuit.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;
const LOUIS = "louis.bernard@dinum.example";

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
}, 120_000);
afterAll(() => close());

async function user(email: string): Promise<ConventionUser> {
  return db.selectFrom("people").select(["id", "email", "roles", "organisation_id"]).where("email", "=", email).executeTakeFirstOrThrow();
}
const row = (id: string) => db.selectFrom("conventions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const count = async (table: "conventions" | "audit_events" | "convention_versions") =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n);

/** Proposed circuit saved, launched, signed by every block's signatory. */
async function signAct(id: string, signers: string[]) {
  const act = await row(id);
  const { steps } = await proposedCircuit(db, id, act.data);
  await setCircuit(db, world.actor(CAMILLE), id, { steps });
  await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
  for (const s of signers) await world.sign(s, id);
}

describe("avenants", () => {
  it("a rédacteur of either party creates avenant n° 1 on a convention in force; its base is the consolidated convention and it names the signed act's SHA-256", async () => {
    const id = await world.signedConvention();
    const convention = await row(id);
    expect(convention.status).toBe("en_vigueur");
    const created = await createAvenant(db, await user(LOUIS), id, { ip: "127.0.0.1" });
    if (!created.ok) throw new Error(created.message);
    const avenant = await row(created.id);
    expect(avenant).toMatchObject({ kind: "avenant", parent_id: id, status: "brouillon", avenant_number: 1, title: `Avenant n° 1 — ${convention.title}` });
    const data = avenant.data as { numero: number; base: Convention; baseSigneeLe: string; actesModifies: { sha256: string }[]; operations: unknown[] };
    expect(data.numero).toBe(1);
    expect(data.base).toEqual((await listConsolidations(db, id))[0].data);
    expect(data.baseSigneeLe).toBe(convention.signed_on);
    const signedPdf = await db.selectFrom("documents").select("sha256").where("convention_id", "=", id).where("kind", "=", "complet").executeTakeFirstOrThrow();
    expect(data.actesModifies.map((a) => a.sha256)).toEqual([signedPdf.sha256]);
    expect(await db.selectFrom("convention_organisations").select(["organisation_id", "role"]).where("convention_id", "=", created.id).orderBy("role").execute()).toEqual(
      await db.selectFrom("convention_organisations").select(["organisation_id", "role"]).where("convention_id", "=", id).orderBy("role").execute(),
    );
  });

  it("refuses a second avenant while one is in preparation, and an avenant on a convention not in force, in French, writing nothing", async () => {
    const id = await world.signedConvention();
    const first = await createAvenant(db, await user(CAMILLE), id);
    expect(first.ok).toBe(true);
    const before = await count("conventions");
    const second = await createAvenant(db, await user(LOUIS), id);
    expect(second).toEqual({ ok: false, existingId: first.ok ? first.id : "", message: "L'avenant n° 1 est déjà en préparation pour cette convention : terminez-le ou annulez-le avant d'en préparer un autre." });
    // The database says the same if two requests race past the check.
    await expect(
      db.insertInto("conventions").values({ ...(await row(first.ok ? first.id : "")), id: undefined, avenant_number: 2, version: 1, created_at: undefined, updated_at: undefined, circuit_round: 0, data: "{}", import_verification: null } as never).execute(),
    ).rejects.toThrow(/conventions_one_avenant_in_preparation/);

    const draft = await world.freshDraft();
    const rows = await count("conventions");
    expect(await createAvenant(db, await user(CAMILLE), draft)).toEqual({ ok: false, message: "Un avenant ne peut être préparé que sur une convention en vigueur : elle n'est pas encore signée." });
    await db.updateTable("conventions").set({ status: "expiree" }).where("id", "=", id).execute();
    await db.updateTable("conventions").set({ status: "annulee" }).where("id", "=", first.ok ? first.id : "").execute();
    expect(await createAvenant(db, await user(CAMILLE), id)).toEqual({ ok: false, message: "Un avenant ne peut être préparé que sur une convention en vigueur : elle a expiré." });
    expect(await count("conventions")).toBe(rows);
  });

  it("refuses an operation on an article that does not exist, beside the operation, and saves nothing", async () => {
    const id = await world.signedConvention();
    const created = await createAvenant(db, await user(CAMILLE), id);
    if (!created.ok) throw new Error(created.message);
    const versions = await count("convention_versions");
    const n = ((await row(id)).data as Convention).articles.length;
    const result = await saveAvenant(db, await user(CAMILLE), created.id, {
      expectedVersion: 1,
      form: { objet: "", lieuSignature: "Paris", operations: [{ type: "supprimer_article", article: String(n + 3) }] },
    });
    expect(result.status).toBe("invalid");
    if (result.status === "invalid") expect(result.errors).toEqual([expect.objectContaining({ path: "operations[0].article", message: expect.stringContaining(`${n + 3}`) })]);
    expect((await row(created.id)).version).toBe(1);
    expect(await count("convention_versions")).toBe(versions);
  });

  it("signed by both parties, avenant n° 1 becomes consolidation 1: the convention's data and end date change, version 0 is kept", async () => {
    const id = await world.signedConvention();
    const before = await row(id);
    const base = before.data as Convention;
    const lastYear = Math.max(...base.financement!.echeancier.map((e) => e.annee));
    const newEnd = `${lastYear + 1}-12-31`;
    const created = await createAvenant(db, await user(CAMILLE), id);
    if (!created.ok) throw new Error(created.message);
    const saved = await saveAvenant(db, await user(CAMILLE), created.id, {
      expectedVersion: 1,
      form: {
        objet: "Prolongation d'un an",
        lieuSignature: "Paris",
        operations: [
          { type: "remplacer_article", article: "1", titre: "Objet de la convention", corps: "La présente convention a pour objet la délégation prolongée." },
          { type: "ajouter_annee", annee: String(lastYear + 1), ae: "50 000", cp: "40 000" },
          { type: "modifier_date_fin", dateFin: newEnd },
        ],
      },
    });
    expect(saved).toEqual({ status: "saved", version: 2 });
    await signAct(created.id, [CANTON, SCHAER]);

    const avenant = await row(created.id);
    expect(avenant.status).toBe("signee");
    expect(avenant.signed_on).toBe(parisDate(new Date()));
    const after = await row(id);
    expect(after.status).toBe("en_vigueur");
    expect(after.ends_on).toBe(newEnd);
    const data = after.data as Convention;
    expect(data.dateFin).toBe(newEnd);
    expect(data.articles[0]).toEqual({ titre: "Objet de la convention", corps: "La présente convention a pour objet la délégation prolongée." });
    expect(data.financement!.echeancier.at(-1)).toEqual({ annee: lastYear + 1, ae: 50_000, cp: 40_000 });

    const versions = await listConsolidations(db, id);
    expect(versions.map((v) => [v.number, v.avenant_id])).toEqual([
      [0, null],
      [1, created.id],
    ]);
    expect(versions[0].data).toEqual(base); // the earlier version is kept as it was signed
    const avenantPdf = await db.selectFrom("documents").select("sha256").where("convention_id", "=", created.id).where("kind", "=", "complet").executeTakeFirstOrThrow();
    expect(versions[1].act_sha256).toBe(avenantPdf.sha256);
    const applied = await db.selectFrom("audit_events").selectAll().where("convention_id", "=", id).where("type", "=", "avenant_applique").execute();
    expect(applied).toHaveLength(1);
    expect(applied[0].payload).toMatchObject({ numero: 1, endsOn: newEnd, endsOnBefore: before.ends_on });
    expect(await verifyAuditChain(db, id)).toBe(true);

    // The CBCMs received the avenant like any act.
    const sent = await db.selectFrom("transmissions").select(["recipient_email", "recipient_kind"]).where("convention_id", "=", created.id).execute();
    expect(sent.filter((t) => t.recipient_kind === "cbcm").map((t) => t.recipient_email).sort()).toEqual(["cbcm-justice@cbcm.example", "cbcm-spm@cbcm.example", "nadia.lefevre@cbcm.example"]);
    const toCbcm = await db.selectFrom("outbox_messages").select("body_text").where("convention_id", "=", created.id).where("to_address", "=", "nadia.lefevre@cbcm.example").executeTakeFirstOrThrow();
    expect(toCbcm.body_text).toContain(`Délégant : ${base.delegant.nom}`);
    expect(toCbcm.body_text).toContain(`Acte : Avenant n° 1 — ${before.title}`);
    // The avenant changes no amount here: no empty « Montants » heading.
    expect(toCbcm.body_text).not.toContain("Montants :");

    // Avenant n° 2 starts from consolidation 1 and names both signed acts.
    const second = await createAvenant(db, await user(CAMILLE), id);
    if (!second.ok) throw new Error(second.message);
    const secondData = (await row(second.id)).data as { numero: number; base: Convention; actesModifies: { sha256: string }[] };
    expect(secondData.numero).toBe(2);
    expect(secondData.base.dateFin).toBe(newEnd);
    expect(secondData.actesModifies.map((a) => a.sha256)).toEqual([versions[0].act_sha256, versions[1].act_sha256]);
  });
  it("an avenant whose convention expires while it is in signature: its last signature is refused in French and writes nothing", async () => {
    const id = await world.signedConvention();
    const created = await createAvenant(db, await user(CAMILLE), id);
    if (!created.ok) throw new Error(created.message);
    const saved = await saveAvenant(db, await user(CAMILLE), created.id, {
      expectedVersion: 1,
      form: { objet: "Services", lieuSignature: "Paris", operations: [{ type: "remplacer_article", article: "1", titre: "Objet", corps: "Objet modifié." }] },
    });
    expect(saved).toEqual({ status: "saved", version: 2 });
    const act = await row(created.id);
    const { steps } = await proposedCircuit(db, created.id, act.data);
    await setCircuit(db, world.actor(CAMILLE), created.id, { steps });
    await launchCircuit(db, world.deps, world.actor(CAMILLE), created.id);
    await world.sign(CANTON, created.id);
    // The convention's end date passes before the DINUM signs.
    const endsOn = (await row(id)).ends_on!;
    await runScheduler(db, { config }, new Date(`${addDays(endsOn, 1)}T12:00:00Z`));
    expect((await row(id)).status).toBe("expiree");
    const versions = (await listConsolidations(db, id)).length;
    const outbox = Number((await sql<{ n: string }>`select count(*) as n from outbox_messages where convention_id = ${created.id} and kind <> 'code_signature'`.execute(db)).rows[0].n);

    const refusal = await world.sign(SCHAER, created.id).catch((error: Error) => error);
    expect(refusal).toBeInstanceOf(CircuitError);
    expect((refusal as Error).message).toBe("Un avenant ne peut être préparé que sur une convention en vigueur : elle a expiré.");
    expect((await row(created.id)).status).toBe("en_signature");
    expect((await row(id)).status).toBe("expiree");
    expect(await listConsolidations(db, id)).toHaveLength(versions);
    expect(Number((await sql<{ n: string }>`select count(*) as n from outbox_messages where convention_id = ${created.id} and kind <> 'code_signature'`.execute(db)).rows[0].n)).toBe(outbox);
  });
});

describe("termination notices", () => {
  it("the délégant notifies: one-step circuit with its signatory; at signature the convention is « résiliation notifiée » three months on, then « résiliée » that day", async () => {
    const id = await world.signedConvention();
    // In force long enough for a three-month notice to take effect before the end.
    await db.updateTable("conventions").set({ ends_on: addMonths(parisDate(new Date()), 12) }).where("id", "=", id).execute();
    const prepared = await prepareTermination(db, await user(CAMILLE), id);
    if (!prepared.ok) throw new Error(prepared.message);
    const notice = await row(prepared.id);
    expect(notice).toMatchObject({ kind: "resiliation", parent_id: id, status: "brouillon" });
    expect(notice.data).toMatchObject({ modele: "resiliation", partieNotifiante: "delegant", communAccord: false });
    expect((notice.data as { signatures: { partie: string }[] }).signatures.map((s) => s.partie)).toEqual(["delegant"]);
    expect(await prepareTermination(db, await user(LOUIS), id)).toEqual({ ok: false, existingId: prepared.id, message: "Une notification de résiliation est déjà en préparation pour cette convention." });

    const saved = await saveTermination(db, await user(CAMILLE), prepared.id, {
      expectedVersion: 1,
      form: { partie: "delegant", motif: "Le service n'est plus assuré par la DINUM.", dateEffetDemandee: "", lieuSignature: "Paris" },
    });
    expect(saved).toEqual({ status: "saved", version: 2 });
    const { steps } = await proposedCircuit(db, prepared.id, (await row(prepared.id)).data);
    expect(steps.map((s) => [s.party, s.members.map((m) => m.personId)])).toEqual([["delegant", [world.actor(CANTON).id]]]);
    await signAct(prepared.id, [CANTON]);

    const today = parisDate(new Date());
    const effective = addMonths(today, 3);
    const convention = await row(id);
    expect(convention.status).toBe("resiliation_notifiee");
    expect(convention.termination_effective_on).toBe(effective);
    // The DINUM's rédacteur and signatory receive the notice.
    const recipients = (await db.selectFrom("transmissions").select("recipient_email").where("convention_id", "=", prepared.id).execute()).map((t) => t.recipient_email);
    expect(recipients).toEqual(expect.arrayContaining([LOUIS, SCHAER, "nadia.lefevre@cbcm.example"]));

    // No avenant nor second notice now; the scheduler terminates it on the effective date, not before.
    expect(await createAvenant(db, await user(CAMILLE), id)).toEqual({ ok: false, message: "Un avenant ne peut être préparé que sur une convention en vigueur : sa résiliation a déjà été notifiée." });
    await runScheduler(db, { config }, new Date(`${addDays(effective, -1)}T12:00:00Z`));
    expect((await row(id)).status).toBe("resiliation_notifiee");
    await runScheduler(db, { config }, new Date(`${effective}T12:00:00Z`));
    expect((await row(id)).status).toBe("resiliee");
    expect(await prepareTermination(db, await user(CAMILLE), id)).toEqual({ ok: false, message: "Une résiliation ne peut être notifiée que pour une convention en vigueur : elle est déjà résiliée." });
  });

  it("refuses a termination on an expired convention, and from a person of no party, writing nothing", async () => {
    const id = await world.signedConvention();
    await db.updateTable("conventions").set({ status: "expiree" }).where("id", "=", id).execute();
    const before = await count("conventions");
    expect(await prepareTermination(db, await user(CAMILLE), id)).toEqual({ ok: false, message: "Une résiliation ne peut être notifiée que pour une convention en vigueur : elle a expiré." });
    await db.updateTable("conventions").set({ status: "en_vigueur" }).where("id", "=", id).execute();
    await expect(prepareTermination(db, await user(GIRARD), id)).rejects.toMatchObject({ status: 404 });
    expect(await count("conventions")).toBe(before);
  });

  it("a termination d'un commun accord is signed by both parties and takes effect on the requested date", async () => {
    const id = await world.signedConvention();
    const prepared = await prepareTermination(db, await user(LOUIS), id);
    if (!prepared.ok) throw new Error(prepared.message);
    expect((await row(prepared.id)).data).toMatchObject({ partieNotifiante: "delegataire", indexDelegataire: 0 });
    const requested = addMonths(parisDate(new Date()), 1);
    // A circuit saved for the délégataire alone no longer fits once both parties sign: it is dropped.
    const alone = await proposedCircuit(db, prepared.id, (await row(prepared.id)).data);
    await setCircuit(db, world.actor(LOUIS), prepared.id, { steps: alone.steps });
    expect(await db.selectFrom("circuit_steps").select("party").where("convention_id", "=", prepared.id).execute()).toEqual([{ party: "delegataire" }]);
    const saved = await saveTermination(db, await user(LOUIS), prepared.id, {
      expectedVersion: 1,
      form: { partie: "delegataire:0", motif: "D'un commun accord.", dateEffetDemandee: requested, communAccord: "on", lieuSignature: "Paris" },
    });
    expect(saved.status).toBe("saved");
    expect(((await row(prepared.id)).data as { signatures: { partie: string }[] }).signatures.map((s) => s.partie)).toEqual(["delegant", "delegataire"]);
    expect(await db.selectFrom("circuit_steps").select("party").where("convention_id", "=", prepared.id).execute()).toEqual([]);
    await signAct(prepared.id, [CANTON, SCHAER]);
    expect(await row(id)).toMatchObject({ status: "resiliation_notifiee", termination_effective_on: requested });
  });
});
