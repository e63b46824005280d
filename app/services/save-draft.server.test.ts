import { readFileSync } from "node:fs";
import type { Database } from "../../db/connect";
import { DEMO_CONVENTION_FILE, seedDemo } from "../../db/seed";
import { checkDraft } from "../domain/convention-draft";
import { verifyAuditChain } from "../models/audit.server";
import { renderConventionHtml } from "../pdf/rendering/convention";
import { createTestDatabase } from "../test-support/db";
import { createDraft } from "./create-draft.server";
import { restoreVersion } from "./restore-version.server";
import { saveDraft } from "./save-draft.server";

let db: Database;
let close: () => Promise<void>;
const ids: Record<string, string> = {};
const reference = JSON.parse(readFileSync(DEMO_CONVENTION_FILE, "utf8"));

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
  for (const p of await db.selectFrom("people").select(["id", "email", "organisation_id"]).execute()) {
    ids[p.email] = p.id;
    ids[`org:${p.email}`] = p.organisation_id ?? "";
  }
  for (const o of await db.selectFrom("organisations").select(["id", "short_name"]).execute()) ids[o.short_name] = o.id;
});
afterAll(() => close());

const CAMILLE = "camille.durand@justice.example";
const LOUIS = "louis.bernard@dinum.example";

async function newDraft() {
  return createDraft(db, { actorId: ids[CAMILLE], intitule: "Brouillon de test", delegataireIds: [ids.DINUM] });
}
function save(email: string, conventionId: string, expectedVersion: number, data: Record<string, unknown>, intitule = "Brouillon de test") {
  return saveDraft(db, { actorId: ids[email], organisationId: ids[`org:${email}`], conventionId, expectedVersion, intitule, data, meta: { ip: "127.0.0.1", userAgent: "vitest" } });
}
const counts = async (id: string) => ({
  versions: (await db.selectFrom("convention_versions").select("id").where("convention_id", "=", id).execute()).length,
  events: (await db.selectFrom("audit_events").select("id").where("convention_id", "=", id).execute()).length,
  row: await db.selectFrom("conventions").select(["version", "data", "title", "updated_at"]).where("id", "=", id).executeTakeFirstOrThrow(),
});

describe("saveDraft", () => {
  it("bumps the version and records who, when and what changed", async () => {
    const { id, data } = await newDraft();
    const edited = structuredClone(data);
    edited.financement.uo = "0310-SGAL-SSIC";
    edited.financement.echeancier = [{ annee: "2026", ae: "150 000", cp: "100 000,50" }];
    edited.dateFin = "2026-12-31";
    edited.articles[2].titre = "Obligations de la DINUM (modifié)";
    edited.articles.push({ titre: "Clause nouvelle", corps: "Texte." });
    const result = await save(CAMILLE, id, 1, edited, "Brouillon de test renommé");
    expect(result.status).toBe("saved");
    if (result.status !== "saved") return;
    expect(result.version).toBe(2);
    expect(result.summary).toMatch(/^Modifié : intitulé, date de fin, UO, échéancier/);
    expect(result.summary).toContain("article 3 « Obligations de la DINUM (modifié) » modifié");
    expect(result.summary).toContain(`article ${edited.articles.length} « Clause nouvelle » ajouté`);

    const after = await counts(id);
    expect(after.row.version).toBe(2);
    expect(after.row.title).toBe("Brouillon de test renommé");
    // Amounts typed the French way are stored as euros.
    expect((after.row.data as any).financement.echeancier).toEqual([{ annee: 2026, ae: 150000, cp: 100000.5 }]);
    const v2 = await db.selectFrom("convention_versions").selectAll().where("convention_id", "=", id).where("version", "=", 2).executeTakeFirstOrThrow();
    expect(v2.author_id).toBe(ids[CAMILLE]);
    expect(v2.summary).toBe(result.summary);
    expect(Date.now() - new Date(v2.created_at).getTime()).toBeLessThan(60_000);
    const events = await db.selectFrom("audit_events").select(["type", "payload"]).where("convention_id", "=", id).orderBy("id").execute();
    expect(events.map((e) => e.type)).toEqual(["brouillon_cree", "brouillon_modifie"]);
    expect(events[1].payload).toMatchObject({ version: 2, summary: result.summary });
    expect(await verifyAuditChain(db, id)).toBe(true);

    // A délégataire's rédacteur may edit too; removing and reordering articles are summarised.
    const next = structuredClone((after.row.data as any));
    next.articles.splice(0, 1);
    const again = await save(LOUIS, id, 2, next, "Brouillon de test renommé");
    expect(again).toMatchObject({ status: "saved", version: 3 });
    if (again.status === "saved") expect(again.summary).toMatch(/article « Objet de la délégation » supprimé/i);

    // Saving the same content again writes nothing.
    expect(await save(LOUIS, id, 3, next, "Brouillon de test renommé")).toMatchObject({ status: "unchanged", version: 3 });
    expect((await counts(id)).versions).toBe(3);
  });

  it("refuses a stale version with the name of who saved in between, and writes nothing", async () => {
    const { id, data } = await newDraft();
    const louis = structuredClone(data);
    louis.lieuSignature = "Lyon";
    expect(await save(LOUIS, id, 1, louis)).toMatchObject({ status: "saved", version: 2 });
    const before = await counts(id);
    const camille = structuredClone(data);
    camille.lieuSignature = "Marseille";
    const result = await save(CAMILLE, id, 1, camille);
    expect(result).toMatchObject({ status: "stale", message: "Ce brouillon a été modifié entre-temps par Louis Bernard ; rechargez la page." });
    expect(await counts(id)).toEqual(before);
  });

  it("refuses to change a convention that is no longer a draft", async () => {
    const { id, data } = await newDraft();
    await db.updateTable("conventions").set({ status: "en_signature" }).where("id", "=", id).execute();
    const before = await counts(id);
    const edited = { ...data, lieuSignature: "Lyon" };
    const result = await save(CAMILLE, id, 1, edited);
    expect(result).toMatchObject({ status: "refused", message: "Seul un brouillon peut être modifié : le document est figé." });
    expect(await counts(id)).toEqual(before);
  });

  it("gives French messages by field for wrong values and changes nothing", async () => {
    const { id, data } = await newDraft();
    const before = await counts(id);
    const edited = structuredClone(data);
    edited.financement.uo = "0310-XX";
    edited.financement.echeancier = [{ annee: "1999", ae: "cent mille", cp: "10" }];
    edited.signatures[0].email = "pas-une-adresse";
    edited.nor = "ABC";
    edited.preambule = "x".repeat(20_001);
    const result = await save(CAMILLE, id, 1, edited);
    expect(result.status).toBe("invalid");
    if (result.status !== "invalid") return;
    const byPath = Object.fromEntries(result.errors.map((e) => [e.path, e.message]));
    expect(byPath).toMatchObject({
      "financement.uo": "Le code UO doit avoir la forme 0310-SGAL-SSIC",
      "financement.echeancier[0].annee": "L'année doit être comprise entre 2000 et 2100",
      "financement.echeancier[0].ae": "Le montant doit être un nombre en euros, par exemple « 150 000 » ou « 150 000,50 »",
      "signatures[0].email": "L'adresse électronique n'est pas valide",
      nor: "Le NOR doit avoir la forme PRMX2212345X",
      preambule: "Ce texte dépasse la limite de 20 000 caractères (20 001 saisis)",
    });
    expect(await counts(id)).toEqual(before);

    expect(await save(CAMILLE, id, 1, data, "")).toMatchObject({ status: "invalid", errors: [{ path: "intitule", message: "L'intitulé est obligatoire" }] });
    const tpl = structuredClone(data);
    tpl.articles[0].corps = "Texte {{ champ_inconnu }}";
    Object.assign(tpl, { financement: reference.financement, dateFin: "2026-12-31" });
    const bad = await save(CAMILLE, id, 1, tpl);
    expect(bad.status).toBe("invalid");
    if (bad.status === "invalid") expect(bad.errors[0].path).toBe("articles[0].corps");
    expect(await counts(id)).toEqual(before);
  });

  it("saves an incomplete draft, which says what is missing; once complete it renders and escapes HTML typed in fields", async () => {
    const { id, data } = await newDraft();
    const partial = structuredClone(data);
    partial.financement.uo = "0310-SGAL-SSIC";
    expect(await save(CAMILLE, id, 1, partial)).toMatchObject({ status: "saved", version: 2, complete: false });
    expect(checkDraft(partial).missing.map((e) => e.path)).toContain("dateFin");

    const full = structuredClone(partial);
    Object.assign(full, { financement: reference.financement, dateFin: "2026-12-31", titre: "<script>alert(1)</script> Convention" });
    full.articles[0].titre = "<b>gras</b>";
    const result = await save(CAMILLE, id, 2, full);
    expect(result).toMatchObject({ status: "saved", version: 3, complete: true });
    const check = checkDraft((await counts(id)).row.data as any);
    expect(check.convention).toBeDefined();
    const html = renderConventionHtml(check.convention!, { fragment: true });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;gras&lt;/b&gt;");
  });

  it("refuses a form that adds or drops a délégataire: the parties are fixed at creation", async () => {
    const { id, data } = await newDraft();
    const before = await counts(id);
    const added = structuredClone(data);
    added.delegataires.push({ ...structuredClone(data.delegataires[0]), nom: "Organisation ajoutée par un formulaire forgé" });
    const dropped = { ...structuredClone(data), delegataires: [] };
    for (const forged of [added, dropped]) {
      const result = await save(CAMILLE, id, 1, forged);
      expect(result).toMatchObject({ status: "invalid", errors: [{ path: "delegataires", message: expect.stringContaining("fixées à la création") }] });
    }
    expect(await counts(id)).toEqual(before);
  });

  it("refuses someone whose organisation is not a party", async () => {
    const { id, data } = await newDraft();
    const before = await counts(id);
    expect(await save("paul.girard@culture.example", id, 1, { ...data, lieuSignature: "Lyon" })).toMatchObject({ status: "not_found" });
    expect(await counts(id)).toEqual(before);
  });
});

describe("restoreVersion", () => {
  const restore = (email: string, conventionId: string, version: number, expectedVersion: number) =>
    restoreVersion(db, { actorId: ids[email], organisationId: ids[`org:${email}`], conventionId, version, expectedVersion, meta: { ip: "127.0.0.1", userAgent: "vitest" } });

  it("brings an earlier version back as a new version, keeping every version and the audit chain", async () => {
    const { id, data } = await newDraft();
    const edited = structuredClone(data);
    edited.lieuSignature = "Lyon";
    edited.articles.pop();
    expect((await save(CAMILLE, id, 1, edited)).status).toBe("saved");

    const result = await restore(CAMILLE, id, 1, 2);
    expect(result).toMatchObject({ status: "saved", version: 3 });
    if (result.status !== "saved") return;
    expect(result.summary).toMatch(/^Restauration de la version 1 : Modifié : .*lieu de signature/);
    const after = await counts(id);
    expect(after.versions).toBe(3);
    expect(after.row.version).toBe(3);
    const v1 = await db.selectFrom("convention_versions").select("data").where("convention_id", "=", id).where("version", "=", 1).executeTakeFirstOrThrow();
    expect(after.row.data).toEqual(v1.data);
    const event = await db.selectFrom("audit_events").select(["type", "payload"]).where("convention_id", "=", id).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: "brouillon_modifie", payload: { version: 3, restaureeDepuis: 1 } });
    expect(await verifyAuditChain(db, id)).toBe(true);
  });

  it("refuses a stale page, a non-party and a version that does not exist, and writes nothing", async () => {
    const { id, data } = await newDraft();
    expect((await save(CAMILLE, id, 1, { ...structuredClone(data), lieuSignature: "Lyon" })).status).toBe("saved");
    const before = await counts(id);
    expect(await restore(CAMILLE, id, 1, 1)).toMatchObject({ status: "stale" });
    expect(await restore("paul.girard@culture.example", id, 1, 2)).toMatchObject({ status: "not_found" });
    expect(await restore(CAMILLE, id, 7, 2)).toMatchObject({ status: "not_found" });
    expect(await restore(CAMILLE, id, 2, 2)).toMatchObject({ status: "unchanged" });
    expect(await counts(id)).toEqual(before);
  });
});
