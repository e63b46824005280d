import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { checkDraft } from "../domain/convention-draft";
import { verifyAuditChain } from "../models/audit.server";
import { parseTemplateFile } from "../templates/convention";
import { loadTemplate } from "../templates/files";
import { createTestDatabase } from "../test-support/db";
import { createDraft, CreateDraftError } from "./create-draft.server";

let db: Database;
let close: () => Promise<void>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
  for (const p of await db.selectFrom("people").select(["id", "email"]).execute()) ids[p.email] = p.id;
  for (const o of await db.selectFrom("organisations").select(["id", "short_name"]).execute()) ids[o.short_name] = o.id;
});
afterAll(() => close());

describe("createDraft", () => {
  it("copies every article of the template into the draft, with the rédacteur's organisation as délégant and DINUM as délégataire", async () => {
    const { id, data } = await createDraft(db, { actorId: ids["camille.durand@justice.example"], intitule: "Incubateur 2025", delegataireIds: [ids.DINUM] });
    const template = parseTemplateFile(loadTemplate("convention"));
    const articles = template.sections.filter((s) => s.kind === "article");
    expect(articles.length).toBeGreaterThan(3);
    expect(data.articles).toEqual(articles.map((a) => ({ titre: a.titre, corps: a.body })));
    expect(data.visas).toEqual(template.sections.filter((s) => s.kind === "visa").map((s) => s.body));

    const row = await db.selectFrom("conventions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "brouillon", version: 1, title: "Incubateur 2025", delegant_organisation_id: ids["MJ SG/SNUM"], template: "convention" });
    // The draft holds its own copy: the stored data, not a reference to the template.
    expect((row.data as any).articles).toEqual(data.articles);
    expect((row.data as any).delegant.nom).toMatch(/Ministère de la Justice/);
    expect((row.data as any).delegant.representant).toEqual({ nom: "Anne-Florence Canton", fonction: "Cheffe de Service Numérique" });
    expect((row.data as any).delegataires[0].nom).toMatch(/DINUM/);
    expect((row.data as any).signatures.map((s: any) => s.nom)).toEqual(["Anne-Florence Canton", "Stéphanie Schaer"]);

    const parties = await db.selectFrom("convention_organisations").select(["organisation_id", "role"]).where("convention_id", "=", id).orderBy("role").execute();
    expect(parties).toEqual([
      { organisation_id: ids["MJ SG/SNUM"], role: "delegant" },
      { organisation_id: ids.DINUM, role: "delegataire" },
    ]);
    const versions = await db.selectFrom("convention_versions").selectAll().where("convention_id", "=", id).execute();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, author_id: ids["camille.durand@justice.example"] });
    expect(versions[0].summary).toMatch(/Création depuis le modèle/);
    const events = await db.selectFrom("audit_events").select("type").where("convention_id", "=", id).execute();
    expect(events.map((e) => e.type)).toEqual(["brouillon_cree"]);
    expect(await verifyAuditChain(db, id)).toBe(true);

    // Incomplete (no UO, no amounts, no end date) but nothing wrong in what is there.
    const check = checkDraft(data);
    expect(check.blocking).toEqual([]);
    expect(check.missing.map((e) => e.path)).toEqual(expect.arrayContaining(["financement.uo", "dateFin"]));
  });

  it("creates from the chosen template and records its name and version; an unknown template is refused in French", async () => {
    const { id, data } = await createDraft(db, { actorId: ids["camille.durand@justice.example"], intitule: "Générique", delegataireIds: [ids.DINUM], modele: "convention-generique" });
    const template = parseTemplateFile(loadTemplate("convention-generique"));
    expect(data).toMatchObject({ modele: "convention-generique", modeleVersion: template.info.version });
    expect(data.articles.map((a: any) => a.titre)).toEqual(template.sections.filter((s) => s.kind === "article").map((s) => s.titre));
    const row = await db.selectFrom("conventions").select(["template", "data"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.template).toBe("convention-generique");
    expect((row.data as any).modeleVersion).toBe(template.info.version);
    // This template makes the financial part and the end date optional: not reported as missing.
    expect(checkDraft(data).missing.map((e) => e.path)).not.toEqual(expect.arrayContaining(["financement.uo"]));
    await expect(createDraft(db, { actorId: ids["camille.durand@justice.example"], intitule: "X", delegataireIds: [ids.DINUM], modele: "inexistant" })).rejects.toThrow(
      "Ce modèle n'existe pas : choisissez un des modèles proposés.",
    );
  });

  it("accepts two co-délégataires, in the chosen order", async () => {
    const { id, data } = await createDraft(db, { actorId: ids["camille.durand@justice.example"], intitule: "Co-délégation", delegataireIds: [ids["MC SNUM"], ids.DINUM] });
    expect(data.delegataires.map((d: any) => d.alias[0])).toEqual(["le délégataire n° 1", "le délégataire n° 2"]);
    expect(data.signatures.map((s: any) => [s.partie, s.indexDelegataire])).toEqual([
      ["delegant", 0],
      ["delegataire", 0],
      ["delegataire", 1],
    ]);
    const n = await db.selectFrom("convention_organisations").select("role").where("convention_id", "=", id).execute();
    expect(n).toHaveLength(3);
  });

  it("refuses what makes no sense, in French, and writes nothing", async () => {
    const before = await db.selectFrom("conventions").select("id").execute();
    const camille = ids["camille.durand@justice.example"];
    await expect(createDraft(db, { actorId: camille, intitule: "  ", delegataireIds: [ids.DINUM] })).rejects.toThrow("L'intitulé est obligatoire");
    await expect(createDraft(db, { actorId: camille, intitule: "X", delegataireIds: [] })).rejects.toThrow("Choisissez au moins un délégataire");
    await expect(createDraft(db, { actorId: camille, intitule: "X", delegataireIds: [ids["MJ SG/SNUM"]] })).rejects.toBeInstanceOf(CreateDraftError);
    await expect(createDraft(db, { actorId: ids["anne-florence.canton@justice.example"], intitule: "X", delegataireIds: [ids.DINUM] })).rejects.toThrow(/rédacteur/);
    await expect(createDraft(db, { actorId: camille, intitule: "x".repeat(301), delegataireIds: [ids.DINUM] })).rejects.toThrow(/300 caractères/);
    expect(await db.selectFrom("conventions").select("id").execute()).toHaveLength(before.length);
  });
});
