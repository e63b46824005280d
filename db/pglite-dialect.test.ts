import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import { PGliteDialect } from "./pglite-dialect";

type T = { items: { id: number; label: string } };
let db: Kysely<T>;

beforeAll(async () => {
  db = new Kysely<T>({ dialect: new PGliteDialect({ pglite: new PGlite("memory://") }) });
  await sql`create table items (id int primary key, label text not null)`.execute(db);
});
afterAll(() => db.destroy());
beforeEach(() => db.deleteFrom("items").execute());

describe("PGlite dialect (Kysely 0.28, Node 20)", () => {
  it("commits a transaction and reports affected rows", async () => {
    await db.transaction().execute(async (trx) => {
      const r = await trx.insertInto("items").values([{ id: 1, label: "a" }, { id: 2, label: "b" }]).executeTakeFirst();
      expect(r.numInsertedOrUpdatedRows).toBe(2n);
    });
    const r = await db.updateTable("items").set({ label: "c" }).executeTakeFirst();
    expect(r.numUpdatedRows).toBe(2n);
  });

  it("rolls a transaction back when its callback throws, and the connection stays usable", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 1, label: "a" }).execute();
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 2, label: "b" }).execute();
        await trx.insertInto("items").values({ id: 2, label: "doublon" }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.selectFrom("items").selectAll().execute()).toEqual([]);
  });

  it("runs concurrent transactions one after the other (a single connection, never interleaved)", async () => {
    const order: string[] = [];
    await db.insertInto("items").values({ id: 1, label: "0" }).execute();
    await Promise.all(
      ["x", "y", "z"].map((name) =>
        db.transaction().execute(async (trx) => {
          order.push(`${name}:début`);
          const row = await trx.selectFrom("items").select("label").where("id", "=", 1).executeTakeFirstOrThrow();
          await new Promise((r) => setTimeout(r, 20));
          await trx.updateTable("items").set({ label: String(Number(row.label) + 1) }).where("id", "=", 1).execute();
          order.push(`${name}:fin`);
        }),
      ),
    );
    // Lost updates would leave 1: each read saw the previous commit.
    expect((await db.selectFrom("items").select("label").executeTakeFirstOrThrow()).label).toBe("3");
    expect(order).toEqual(["x:début", "x:fin", "y:début", "y:fin", "z:début", "z:fin"]);
  });

  it("supports savepoints in a controlled transaction", async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto("items").values({ id: 1, label: "gardé" }).execute();
    const inner = await trx.savepoint("essai").execute();
    await inner.insertInto("items").values({ id: 2, label: "annulé" }).execute();
    await inner.rollbackToSavepoint("essai").execute();
    await trx.commit().execute();
    expect((await db.selectFrom("items").select("label").execute()).map((r) => r.label)).toEqual(["gardé"]);
  });
});
