import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { createTestDatabase } from "../test-support/db";
import { CONVENTION_NOT_FOUND, requireConventionAccess, requireConventionPage, type ConventionNeed, type ConventionUser } from "./convention-access.server";

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

describe("requireConventionPage (avenant, résiliation, acte importé)", () => {
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof Response)) throw new Error(`une réponse d'erreur était attendue, reçu ${String(error)}`);
    return { status: error.status, text: await error.text() };
  };

  it("gives the heading of the pages (id, title, status, kind, end date) after the same access check", async () => {
    const row = await db.selectFrom("conventions").selectAll().where("id", "=", conventionId).executeTakeFirstOrThrow();
    const { convention, heading } = await requireConventionPage(db, people["camille.durand@justice.example"], conventionId, "edit");
    expect(convention.id).toBe(conventionId);
    expect(heading).toEqual({ id: row.id, title: row.title, status: row.status, kind: row.kind, endsOn: row.ends_on });
    expect((await refusal(requireConventionPage(db, people["anne-florence.canton@justice.example"], conventionId, "edit"))).status).toBe(403);
    expect((await refusal(requireConventionPage(db, people["paul.girard@culture.example"], conventionId, "read"))).status).toBe(404);
  });

  it("answers the not-found 404 for a convention of another origin than the page's, and lets the right origin in", async () => {
    const { origin } = await db.selectFrom("conventions").select("origin").where("id", "=", conventionId).executeTakeFirstOrThrow();
    const camille = people["camille.durand@justice.example"];
    expect(await refusal(requireConventionPage(db, camille, conventionId, "read", { origin: origin === "importe" ? "portail" : "importe" }))).toEqual({ status: 404, text: CONVENTION_NOT_FOUND });
    expect((await requireConventionPage(db, camille, conventionId, "read", { origin })).heading.id).toBe(conventionId);
  });
});
