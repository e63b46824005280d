import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { createTestDatabase } from "../test-support/db";
import { requireConventionAccess, type ConventionNeed, type ConventionUser } from "./convention-access.server";

let db: Database;
let close: () => Promise<void>;
/** The demo convention: Justice (délégant) → DINUM (délégataire). */
let conventionId: string;
const people: Record<string, ConventionUser> = {};

beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => {}); // the refusals are logged on purpose
  ({ db, close } = await createTestDatabase());
  await seedDemo(db);
  // An administratrice of an organisation that is not a party, to show the role alone opens nothing.
  const culture = await db.selectFrom("organisations").select("id").where("short_name", "=", "MC SNUM").executeTakeFirstOrThrow();
  await db
    .insertInto("people")
    .values({ email: "admin.culture@culture.example", first_name: "Agathe", last_name: "Roux", job_title: "Administratrice", organisation_id: culture.id, roles: ["administrateur"] })
    .execute();
  for (const p of await db.selectFrom("people").select(["id", "email", "roles", "organisation_id"]).execute()) people[p.email] = p;
  conventionId = (await db.selectFrom("conventions").select("id").executeTakeFirstOrThrow()).id;
}, 60_000);
afterAll(() => close());

type Outcome = "ok" | 403 | 404;

async function outcome(email: string, id: string, need: ConventionNeed): Promise<Outcome> {
  try {
    const convention = await requireConventionAccess(db, people[email], id, need);
    expect(convention.id).toBe(id);
    return "ok";
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    expect(await error.text()).toMatch(/[a-zé]/); // a French message, not an empty answer
    return error.status as 403 | 404;
  }
}

const NEEDS: ConventionNeed[] = ["read", "sign", "edit", "transmit"];

/** Who gets what, for every need: the table the routes rely on. */
const EXPECTED: Record<string, { who: string; answers: Record<ConventionNeed, Outcome> }> = {
  "camille.durand@justice.example": { who: "rédactrice du délégant", answers: { read: "ok", sign: "ok", edit: "ok", transmit: "ok" } },
  "louis.bernard@dinum.example": { who: "rédacteur du délégataire", answers: { read: "ok", sign: "ok", edit: "ok", transmit: "ok" } },
  "anne-florence.canton@justice.example": { who: "signataire du délégant", answers: { read: "ok", sign: "ok", edit: 403, transmit: 403 } },
  "stephanie.schaer@dinum.example": { who: "signataire du délégataire", answers: { read: "ok", sign: "ok", edit: 403, transmit: 403 } },
  "sophie.petit@dinum.example": { who: "administratrice d'une partie", answers: { read: "ok", sign: "ok", edit: 403, transmit: "ok" } },
  "paul.girard@culture.example": { who: "rédacteur et signataire d'une autre organisation", answers: { read: 404, sign: 404, edit: 404, transmit: 404 } },
  "admin.culture@culture.example": { who: "administratrice d'une autre organisation", answers: { read: 404, sign: 404, edit: 403, transmit: 404 } },
  "nadia.lefevre@cbcm.example": { who: "destinataire CBCM (sans organisation)", answers: { read: 404, sign: 404, edit: 403, transmit: 403 } },
};

describe("requireConventionAccess", () => {
  for (const [email, { who, answers }] of Object.entries(EXPECTED)) {
    for (const need of NEEDS) {
      it(`${who} : ${need} → ${answers[need]}`, async () => {
        expect(await outcome(email, conventionId, need)).toBe(answers[need]);
      });
    }
  }

  it("answers 404 alike for a convention that does not exist and a malformed id, whoever asks", async () => {
    for (const email of Object.keys(EXPECTED)) {
      for (const need of NEEDS) {
        const unknown = await outcome(email, "00000000-0000-4000-8000-000000000000", need);
        const malformed = await outcome(email, "pas-un-identifiant'; drop table conventions; --", need);
        // A role that never has this need is refused before the lookup: 403, disclosing nothing.
        const expected = EXPECTED[email].answers[need] === 403 ? 403 : 404;
        expect([email, need, unknown, malformed]).toEqual([email, need, expected, expected]);
      }
    }
  });

  it("follows the parties: an organisation added as a party is let in, one removed is shut out", async () => {
    const culture = people["paul.girard@culture.example"].organisation_id!;
    await db.insertInto("convention_organisations").values({ convention_id: conventionId, organisation_id: culture, role: "delegataire" }).execute();
    expect(await outcome("paul.girard@culture.example", conventionId, "edit")).toBe("ok");
    await db.deleteFrom("convention_organisations").where("convention_id", "=", conventionId).where("organisation_id", "=", culture).execute();
    expect(await outcome("paul.girard@culture.example", conventionId, "edit")).toBe(404);
  });
});
