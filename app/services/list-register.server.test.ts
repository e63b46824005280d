/**
 * The public register's pagination (issue 15): 20 acts a page (REGISTER_PAGE_SIZE, offset pages),
 * newest signature first; over 23 signed acts, page 1 has 20, page 2 the other 3, no act twice or
 * missing, and a filter counts only its own acts.
 */
import { createHash } from "node:crypto";
import { seedDemo } from "../../db/seed";
import type { Database } from "../../db/connect";
import { createTestDatabase } from "../test-support/db";
import { insertSignedConvention } from "../test-support/signed-convention";
import { listRegister, REGISTER_PAGE_SIZE } from "./list-register.server";

let db: Database;
let close: () => Promise<void>;
const N = 23;
/** Identifiers in the register's order: newest signature first. */
const expected: string[] = [];

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
  const demo = await db.selectFrom("conventions").selectAll().where("title", "like", "%Incubateur%").executeTakeFirstOrThrow();
  const rows: { id: string; day: string }[] = [];
  for (let i = 0; i < N; i++) {
    const day = `2025-01-${String(i + 1).padStart(2, "0")}`;
    const id = await insertSignedConvention(db, {
      status: i % 2 ? "en_vigueur" : "expiree",
      title: `${demo.title} n° ${i + 1}`,
      reference: `REF-PAGE-${i + 1}`,
      signed_on: day,
      ends_on: "2025-12-31",
    });
    const bytes = Buffer.from(`%PDF-1.7 acte ${i}`);
    await db.insertInto("documents").values({ convention_id: id, kind: "complet", round: 1, revision: 0, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length, bytes }).execute();
    rows.push({ id, day });
  }
  expected.push(...rows.sort((a, b) => b.day.localeCompare(a.day)).map((r) => r.id));
}, 120_000);
afterAll(() => close());

const page = (params: Record<string, string>) => listRegister(db, new URLSearchParams(params));

describe("register pagination", () => {
  it("shows 20 acts a page, newest signature first; page 2 the rest; none twice, none missing", async () => {
    expect(REGISTER_PAGE_SIZE).toBe(20);
    const first = await page({});
    expect(first).toMatchObject({ total: N, page: 1, pageCount: 2 });
    expect(first.items).toHaveLength(20);
    const second = await page({ page: "2" });
    expect(second).toMatchObject({ total: N, page: 2, pageCount: 2 });
    expect(second.items).toHaveLength(N - 20);
    const seen = [...first.items, ...second.items].map((i) => i.identifiant);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(N);
  });

  it("a page past the end is empty, not an error; a bad page number is ignored with a message", async () => {
    const past = await page({ page: "3" });
    expect(past.items).toEqual([]);
    expect(past.total).toBe(N);
    const bad = await page({ page: "zéro" });
    expect(bad.page).toBe(1);
    expect(bad.items).toHaveLength(20);
    expect(bad.errors).toHaveLength(1);
  });

  it("a filter counts and pages only its own acts", async () => {
    const inForce = await page({ statut: "en_vigueur" });
    expect(inForce.total).toBe(Math.floor(N / 2));
    expect(inForce.pageCount).toBe(1);
    expect(inForce.items.every((i) => i.statut === "en_vigueur")).toBe(true);
    const expired = await page({ statut: "expiree" });
    expect(expired.total).toBe(Math.ceil(N / 2));
    expect(expired.items).toHaveLength(Math.ceil(N / 2));
  });
});
