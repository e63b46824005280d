import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { decodeCursor, encodeCursor, foldForSearch, keysetPage, pageHref, readPageRequest, SEARCH_FOLD_FROM, SEARCH_FOLD_TO, searchMatches, searchQueryText } from "./keyset.server";

let db: Database;
let close: () => Promise<void>;
let orgA: string;
let orgB: string;
let author: string;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  orgA = (await db.insertInto("organisations").values({ name: "Ministère de la Justice", short_name: "MJ", ministry: "Justice", address: null }).returning("id").executeTakeFirstOrThrow()).id;
  orgB = (await db.insertInto("organisations").values({ name: "Direction interministérielle du numérique", short_name: "DINUM", ministry: "PM", address: null }).returning("id").executeTakeFirstOrThrow()).id;
  author = (await db.insertInto("people").values({ email: "r@essai.example", first_name: "R", last_name: "E", job_title: null, organisation_id: orgA, roles: ["redacteur"] }).returning("id").executeTakeFirstOrThrow()).id;
}, 120_000);
afterAll(() => close());

async function convention(title: string, reference: string | null, parties: string[], updatedAt = new Date()) {
  const row = await db
    .insertInto("conventions")
    .values({ kind: "convention", parent_id: null, status: "brouillon", title, reference, delegant_organisation_id: parties[0], template: "convention", data: "{}", frozen_sha256: null, created_by: author, decline_reason: null, updated_at: updatedAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const [i, org] of parties.entries()) {
    await db.insertInto("convention_organisations").values({ convention_id: row.id, organisation_id: org, role: i === 0 ? "delegant" : "delegataire" }).execute();
  }
  return row.id;
}

async function search(q: string, among: string[]) {
  const cond = searchMatches(sql.ref("search_document"), q);
  if (!cond) return null;
  const rows = await db.selectFrom("conventions").select("id").where(cond).where("id", "in", among).execute();
  return rows.map((r) => r.id).sort();
}

describe("search folding", () => {
  it("maps each folded character to exactly one", () => {
    expect([...SEARCH_FOLD_FROM].length).toBe([...SEARCH_FOLD_TO].length);
  });

  it("folds the same way in JavaScript and in SQL (the indexed column)", async () => {
    const samples = ["Délégation de GESTION — Échéancier", "DG-2024/001_v2.1", "L'État, cœur ÆTHER ñ ÿ", "Ça ôte l’île"];
    for (const s of samples) {
      const row = await sql<{ folded: string }>`select paraphe_search_fold(${s}) as folded`.execute(db);
      expect(row.rows[0].folded).toBe(foldForSearch(s));
    }
  });

  it("keeps only letters and digits as prefix words, all required", () => {
    expect(searchQueryText("  Délég  DG-2024 ")).toBe("deleg:* & dg:* & 2024:*");
    expect(searchQueryText("a & b | !c:* 'd' (e)")).toBe("a:* & b:* & c:* & d:* & e:*");
    expect(searchQueryText(" - ! ")).toBeNull();
  });
});

describe("search on conventions", () => {
  let ids: { gestion: string; dinum: string; ref: string };
  beforeAll(async () => {
    ids = {
      gestion: await convention("Délégation de gestion des crédits immobiliers", null, [orgA]),
      dinum: await convention("Hébergement des applications", null, [orgA, orgB]),
      ref: await convention("Convention financière", "DG-2024-017", [orgB]),
    };
  });
  const all = () => Object.values(ids);

  it("finds by title word prefix, without case or accents", async () => {
    expect(await search("delegation", all())).toEqual([ids.gestion]);
    expect(await search("HEBERG", all())).toEqual([ids.dinum]);
    expect(await search("crédit immo", all())).toEqual([ids.gestion]);
  });

  it("finds by reference and by party name, every word required", async () => {
    expect(await search("2024", all())).toEqual([ids.ref]);
    expect(await search("dg-2024-017", all())).toEqual([ids.ref]);
    expect(await search("dinum", all())).toEqual([ids.dinum, ids.ref].sort());
    expect(await search("numérique hébergement", all())).toEqual([ids.dinum]);
    expect(await search("justice financière", all())).toEqual([]);
  });

  it("follows a new party, a removed party and a renamed organisation", async () => {
    await db.insertInto("convention_organisations").values({ convention_id: ids.gestion, organisation_id: orgB, role: "delegataire" }).execute();
    expect(await search("dinum", [ids.gestion])).toEqual([ids.gestion]);
    await db.deleteFrom("convention_organisations").where("convention_id", "=", ids.gestion).where("organisation_id", "=", orgB).execute();
    expect(await search("dinum", [ids.gestion])).toEqual([]);
    await db.updateTable("organisations").set({ short_name: "DINUMERIQUE" }).where("id", "=", orgB).execute();
    expect(await search("dinumerique", all())).toEqual([ids.dinum, ids.ref].sort());
    await db.updateTable("conventions").set({ title: "Mutualisation des serveurs" }).where("id", "=", ids.dinum).execute();
    expect(await search("serveurs", all())).toEqual([ids.dinum]);
    expect(await search("hébergement", all())).toEqual([]);
  });

  it("a convention with parties can still be deleted (cascade through the trigger)", async () => {
    const id = await convention("Éphémère", null, [orgA, orgB]);
    await db.deleteFrom("conventions").where("id", "=", id).execute();
    expect(await db.selectFrom("convention_organisations").select("organisation_id").where("convention_id", "=", id).execute()).toEqual([]);
  });
});

describe("keyset pages", () => {
  let ids: string[];
  const base = new Date("2026-03-01T10:00:00.000Z");
  beforeAll(async () => {
    ids = [];
    // 61 rows: groups sharing the same updated_at (ties broken by id) and microsecond differences a JS Date would lose.
    for (let i = 0; i < 61; i++) {
      const at = new Date(base.getTime() + Math.floor(i / 7) * 1000);
      ids.push(await convention(`Page ${i}`, null, [orgA], at));
    }
    await sql`update conventions set updated_at = updated_at + make_interval(secs => 0.000001 * (ascii(right(title, 1)) % 3)) where title like 'Page %'`.execute(db);
  });
  const list = (page: { after?: string | null; before?: string | null; limit: number }) =>
    keysetPage(db.selectFrom("conventions").select(["id", "title"]).where("title", "like", "Page %"), {
      keys: [
        { expr: sql.ref("updated_at"), type: "timestamptz" },
        { expr: sql.ref("id"), type: "uuid" },
      ],
      direction: "desc",
      after: page.after ?? null,
      before: page.before ?? null,
      limit: page.limit,
    });

  it("walks every row once forward, then the same pages backward", async () => {
    const expected = (
      await db.selectFrom("conventions").select("id").where("title", "like", "Page %").orderBy("updated_at", "desc").orderBy("id", "desc").execute()
    ).map((r) => r.id);
    expect(expected).toHaveLength(61);
    const pages: { ids: string[]; next: string | null; prev: string | null }[] = [];
    let after: string | null = null;
    do {
      const p = await list({ after, limit: 25 });
      pages.push({ ids: p.rows.map((r) => r.id), next: p.next, prev: p.prev });
      after = p.next;
    } while (after);
    expect(pages.map((p) => p.ids.length)).toEqual([25, 25, 11]);
    expect(pages.flatMap((p) => p.ids)).toEqual(expected);
    expect(pages[0].prev).toBeNull();
    expect(pages[2].next).toBeNull();
    const back1 = await list({ before: pages[2].prev, limit: 25 });
    expect(back1.rows.map((r) => r.id)).toEqual(pages[1].ids);
    const back0 = await list({ before: back1.prev, limit: 25 });
    expect(back0.rows.map((r) => r.id)).toEqual(pages[0].ids);
    expect(back0.prev).toBeNull();
    expect(back0.next).not.toBeNull();
    expect(back0.rows[0]).not.toHaveProperty("__k0");
  });

  it("treats a forged or foreign cursor as the first page", async () => {
    const first = await list({ limit: 5 });
    for (const forged of [encodeCursor(["2026-01-01", "'; drop table conventions; --"]), encodeCursor(["x"]), "bm90IGpzb24", "%%%"]) {
      const p = await list({ after: forged, limit: 5 });
      expect(p.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    }
    expect(decodeCursor(encodeCursor(["2026-03-01 10:00:00.000001+00", ids[0]]), [{ type: "timestamptz" }, { type: "uuid" }])).not.toBeNull();
  });

  it("reads bounded page parameters and keeps the filters in the links", () => {
    expect(readPageRequest(new URLSearchParams("apres=abc_-1&taille=10"))).toEqual({ after: "abc_-1", before: null, limit: 10 });
    expect(readPageRequest(new URLSearchParams("avant=a.b&taille=100000"))).toEqual({ after: null, before: null, limit: 25 });
    expect(pageHref("/x", new URLSearchParams("q=a b&apres=zz"), { avant: "yy" })).toBe("/x?q=a+b&avant=yy");
    expect(pageHref("/x", new URLSearchParams("apres=zz"), null)).toBe("/x");
  });
});
