import { createHash } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { addDays, addMonths, parisDate } from "../domain/dates";
import { verifyPdf } from "../pdf/verification/verify";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { CAMILLE, circuitWorld } from "../test-support/circuit";
import type { ConventionUser } from "./convention-access.server";
import { compare, history } from "./convention-history.server";
import { createAvenant } from "./create-avenant.server";
import { consolidatedPdf } from "./consolidated-version.server";
import { importUploadRequest, type ImportVerification } from "./import-act.server";
import { launchCircuit } from "./launch-circuit.server";
import { registerImport } from "./register-import.server";
import { CircuitError } from "./circuit-shared.server";
import { listDeadlines } from "../models/deadlines.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;
let signedPdf: Uint8Array;
let orgs: { justice: string; dinum: string };

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  const id = await world.signedConvention();
  signedPdf = new Uint8Array((await db.selectFrom("documents").select("bytes").where("convention_id", "=", id).where("kind", "=", "complet").executeTakeFirstOrThrow()).bytes);
  const o = await db.selectFrom("organisations").select(["id", "short_name"]).execute();
  orgs = { justice: o.find((x) => x.short_name === "MJ SG/SNUM")!.id, dinum: o.find((x) => x.short_name === "DINUM")!.id };
}, 180_000);
afterAll(() => close());

const user = (email: string): Promise<ConventionUser> => db.selectFrom("people").select(["id", "email", "roles", "organisation_id"]).where("email", "=", email).executeTakeFirstOrThrow();
const count = async (table: "conventions" | "documents") => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n);

/** The verify pool stand-in: the same verifier, in process, with a trust list the test chooses. */
function context(trusted: ReturnType<typeof world.pki.trustedCertificates>) {
  let reserved = 0;
  const verifyDocument = {
    reserve: () => {
      reserved++;
      return { run: async (bytes: Uint8Array) => ({ kind: "report" as const, report: await verifyPdf(bytes, { trusted }) }), release: () => void reserved-- };
    },
  };
  return { db, config, verifyDocument, clientIp: "127.0.0.1", reserved: () => reserved } as unknown as AppLoadContext & { reserved: () => number };
}

function upload(file: Uint8Array | null, fields: Record<string, string | string[]> = {}) {
  const form = new FormData();
  const all = { intitule: "Convention Info Parquet signée sur papier", delegant: orgs.justice, delegataires: [orgs.dinum], modele: "convention", ...fields };
  for (const [k, v] of Object.entries(all)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  if (file) form.append("document", new Blob([new Uint8Array(file)], { type: "application/pdf" }), "convention-signee.pdf");
  return new Request("http://localhost:3999/conventions/importer", { method: "POST", body: form });
}

/** Runs `attempt` and checks it wrote nothing and gave its place in the verify pool back. */
async function refusedWritingNothing<T>(attempt: (ctx: ReturnType<typeof context>) => Promise<T>, ctx = context(world.pki.trustedCertificates())): Promise<T> {
  const before = [await count("conventions"), await count("documents")];
  const result = await attempt(ctx);
  expect(ctx.reserved()).toBe(0);
  expect([await count("conventions"), await count("documents")]).toEqual(before);
  return result;
}

describe("hostile input: uploads the import refuses in French beside the file, writing nothing", () => {
  it("not a PDF: a file without the « %PDF- » magic (415)", async () => {
    const notPdf = await refusedWritingNothing(async (ctx) => importUploadRequest(upload(new TextEncoder().encode("GIF89a, pas un PDF")), ctx, await user(CAMILLE)));
    expect(notPdf).toEqual({ ok: false, status: 415, errors: [{ path: "document", message: "Ce fichier n'est pas un PDF (il ne commence pas par « %PDF- »)." }] });
  });

  it("over 20 MB: a file one byte over the limit, counted on the stream (413)", async () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(new TextEncoder().encode("%PDF-1.7\n"));
    const tooLarge = await refusedWritingNothing(async (ctx) => importUploadRequest(upload(big), ctx, await user(CAMILLE)));
    expect(tooLarge).toEqual({ ok: false, status: 413, errors: [{ path: "document", message: "Le fichier dépasse 20 Mo." }] });
  });

  it("over 20 MB announced: a Content-Length over the body limit is refused before the body is read (413)", async () => {
    const request = new Request("http://localhost:3999/conventions/importer", { method: "POST", headers: { "Content-Length": String(50 * 1024 * 1024), "Content-Type": "multipart/form-data; boundary=x" }, body: "--x--" });
    const refused = await refusedWritingNothing(async (ctx) => importUploadRequest(request, ctx, await user(CAMILLE)));
    expect(refused).toEqual({ ok: false, status: 413, errors: [{ path: "document", message: "Le fichier dépasse 20 Mo." }] });
  });

  it("bounded parser: a file whose verification runs out of time is refused (422), not registered as an act", async () => {
    const slow = context(world.pki.trustedCertificates());
    const verifyDocument = (slow as unknown as { verifyDocument: { reserve: () => { run: unknown; release: () => void } } }).verifyDocument;
    const reserve = verifyDocument.reserve;
    verifyDocument.reserve = () => {
      const place = reserve();
      return { ...place, run: async () => (place.release(), { kind: "timeout" as const, seconds: 10 }) };
    };
    const refused = await refusedWritingNothing(async (ctx) => importUploadRequest(upload(signedPdf), ctx, await user(CAMILLE)), slow);
    expect(refused).toMatchObject({ ok: false, status: 422, errors: [{ path: "document", message: expect.stringContaining("trop complexe pour être enregistré ici") }] });
  });

  it("no file, or the form's fields missing: refused with the field's message", async () => {
    const none = await refusedWritingNothing(async (ctx) => importUploadRequest(upload(null), ctx, await user(CAMILLE)));
    expect(none).toMatchObject({ ok: false, errors: [{ path: "document", message: "Choisissez le PDF signé de la convention." }] });
    const badFields = await refusedWritingNothing(async (ctx) => importUploadRequest(upload(signedPdf, { intitule: "" }), ctx, await user(CAMILLE)));
    expect(badFields).toMatchObject({ ok: false, errors: [{ path: "intitule", message: "L'intitulé est obligatoire" }] });
  });

  it("truncated: a signed PDF cut in half is kept as uploaded but its verdict says unreadable, no signature shown valid", async () => {
    const truncated = signedPdf.subarray(0, Math.floor(signedPdf.length / 2));
    const result = await importUploadRequest(upload(truncated), context(world.pki.trustedCertificates()), await user(CAMILLE));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const verification = (await db.selectFrom("conventions").select("import_verification").where("id", "=", result.id).executeTakeFirstOrThrow()).import_verification as ImportVerification;
    expect(verification.summary.kind).toBe("unreadable");
    expect(verification.report.signatures.filter((s) => s.valid || s.intact)).toEqual([]);
  });
});

describe("importing an act signed elsewhere", () => {
  it("keeps the file byte for byte with its SHA-256 and the verifier's verdict as it is: valid signatures from an authority the portal does not trust", async () => {
    // The portal of another administration: its PKI is not in this portal's trust list.
    const result = await importUploadRequest(upload(signedPdf), context([]), await user(CAMILLE), { ip: "127.0.0.1" });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const act = await db.selectFrom("conventions").selectAll().where("id", "=", result.id).executeTakeFirstOrThrow();
    expect(act).toMatchObject({ kind: "convention", origin: "importe", status: "brouillon", title: "Convention Info Parquet signée sur papier" });
    const doc = await db.selectFrom("documents").selectAll().where("convention_id", "=", result.id).executeTakeFirstOrThrow();
    expect(doc.kind).toBe("importe");
    expect(Buffer.from(doc.bytes).equals(Buffer.from(signedPdf))).toBe(true);
    expect(doc.sha256).toBe(createHash("sha256").update(signedPdf).digest("hex"));
    const verification = act.import_verification as ImportVerification;
    expect(verification.summary.kind).toBe("foreign");
    expect(verification.report.signatures.filter((s) => s.kind === "signature").every((s) => s.digestOk && !s.trusted)).toBe(true);
    expect(await db.selectFrom("audit_events").select(["type", "document_sha256"]).where("convention_id", "=", result.id).execute()).toEqual([{ type: "import_depose", document_sha256: doc.sha256 }]);
    // Never re-rendered nor signed again: no circuit for an imported act.
    await expect(launchCircuit(db, world.deps, world.actor(CAMILLE), result.id)).rejects.toThrow(CircuitError);
  });

  it("registers it by its dates (signature date required): in force, then avenants, history, consolidated version and « Échéances » work on it", async () => {
    const ok = await importUploadRequest(upload(signedPdf), context(world.pki.trustedCertificates()), await user(CAMILLE));
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    expect(((await db.selectFrom("conventions").select("import_verification").where("id", "=", ok.id).executeTakeFirstOrThrow()).import_verification as ImportVerification).summary.kind).toBe("intact");
    const camille = await user(CAMILLE);
    const incomplete = await registerImport(db, camille, ok.id);
    expect(incomplete).toMatchObject({ ok: false, errors: expect.arrayContaining([{ path: "dateSignature", message: "La date de signature est obligatoire pour une convention signée hors du portail" }]) });

    // The data entered with the drafting form (here: the signed reference act's data, signed three months ago).
    const reference = await db.selectFrom("consolidations").select("data").orderBy("created_at").executeTakeFirstOrThrow();
    const today = parisDate(new Date());
    const endsOn = addMonths(today, 6);
    const data = { ...(reference.data as Record<string, unknown>), dateSignature: addMonths(today, -3), dateFin: endsOn };
    await db.updateTable("conventions").set({ data: JSON.stringify(data) }).where("id", "=", ok.id).execute();
    expect(await registerImport(db, camille, ok.id)).toEqual({ ok: true, status: "en_vigueur" });
    const act = await db.selectFrom("conventions").selectAll().where("id", "=", ok.id).executeTakeFirstOrThrow();
    expect(act).toMatchObject({ status: "en_vigueur", signed_on: addMonths(today, -3), starts_on: addMonths(today, -3), ends_on: endsOn });
    expect(await registerImport(db, camille, ok.id)).toEqual({ ok: false, message: "Cet acte importé est déjà enregistré." });

    const h = await history(db, camille, ok.id);
    expect(h.versions).toEqual([{ number: 0, avenantNumber: null, actId: ok.id, actLabel: "Convention signée", signedOn: addMonths(today, -3), sha256: createHash("sha256").update(signedPdf).digest("hex") }]);
    expect((await compare(db, camille, ok.id, 0, 0)).articles.every((a) => a.change === "inchange")).toBe(true);
    await expect(compare(db, camille, ok.id, 0, 1)).rejects.toMatchObject({ status: 404 });
    const pdf = await consolidatedPdf(db, camille, ok.id);
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");

    const page = await listDeadlines(db, orgs.justice, { after: null, before: null, limit: 50 } as never);
    const row = page.rows.find((r) => r.id === ok.id);
    expect(row).toMatchObject({ ends_on: endsOn, last_notice_on: addMonths(endsOn, -3), partner: "Direction interministérielle du numérique (DINUM)" });
    expect(page.rows.map((r) => r.ends_on)).toEqual([...page.rows.map((r) => r.ends_on)].sort());
    // An avenant works on it as on a convention signed in the portal: it names the imported file's SHA-256.
    const avenant = await createAvenant(db, camille, ok.id);
    if (!avenant.ok) throw new Error(avenant.message);
    const avenantData = (await db.selectFrom("conventions").select("data").where("id", "=", avenant.id).executeTakeFirstOrThrow()).data as { actesModifies: { sha256: string }[] };
    expect(avenantData.actesModifies.map((a) => a.sha256)).toEqual([createHash("sha256").update(signedPdf).digest("hex")]);
  });

  it("an act whose end date is past is registered as expired; one starting later as signed", async () => {
    const camille = await user(CAMILLE);
    const reference = (await db.selectFrom("consolidations").select("data").orderBy("created_at").executeTakeFirstOrThrow()).data as Record<string, unknown>;
    const today = parisDate(new Date());
    for (const [dates, expected] of [
      [{ dateSignature: "2022-06-01", dateFin: addDays(today, -1) }, "expiree"],
      [{ dateSignature: addDays(today, -2), debut: { regle: "date", date: addDays(today, 10) }, dateFin: addMonths(today, 12) }, "signee"],
    ] as const) {
      const ok = await importUploadRequest(upload(signedPdf), context([]), camille);
      if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
      await db.updateTable("conventions").set({ data: JSON.stringify({ ...reference, ...dates }) }).where("id", "=", ok.id).execute();
      expect(await registerImport(db, camille, ok.id)).toEqual({ ok: true, status: expected });
    }
  });
});
