import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { makeSignablePdf } from "../pdf/test-support/fixture";
import { verifyPdf } from "../pdf/verification/verify";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { circuitWorld } from "../test-support/circuit";
import { verifyUploadRequest } from "./verify-upload.server";

/** The verify page recognises the portal's acts: as stored, with content added after, or altered inside. */

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;
let signed: Uint8Array;
let title: string;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  const id = await world.signedConvention();
  const doc = await db.selectFrom("documents").select("bytes").where("convention_id", "=", id).where("kind", "=", "complet").executeTakeFirstOrThrow();
  signed = new Uint8Array(doc.bytes);
  title = (await db.selectFrom("conventions").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title;
}, 180_000);
afterAll(() => close());

function context() {
  const trusted = world.pki.trustedCertificates();
  const verifyDocument = { reserve: () => ({ run: async (bytes: Uint8Array) => ({ kind: "report" as const, report: await verifyPdf(bytes, { trusted }) }), release: () => {} }) };
  return { db, config: { ...config, verify: { ...config.verify, rateLimitPerIp: 0 } }, verifyDocument, clientIp: "127.0.0.1" } as unknown as AppLoadContext;
}

async function upload(bytes: Uint8Array) {
  const form = new FormData();
  form.append("document", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }), "acte.pdf");
  const result = await verifyUploadRequest(new Request("http://localhost:3999/verifier", { method: "POST", body: form }), context());
  if (!("report" in result)) throw new Error(result.error);
  return result;
}

describe("the verify page names the portal's act behind a file", () => {
  it("the stored signed act itself: exact", async () => {
    const result = await upload(signed);
    expect(result.summary.kind).toBe("intact");
    expect(result.act).toMatchObject({ title, exact: true, bySignature: false });
  });

  it("a byte appended after the last signature: a version of the act, data added after its last signature", async () => {
    const result = await upload(new Uint8Array(Buffer.concat([Buffer.from(signed), Buffer.from("\n")])));
    expect(result.summary).toEqual({ kind: "appended" });
    expect(result.act).toMatchObject({ title, exact: false, bySignature: false });
  });

  it("a byte changed under the signatures: recognised by its signatures as the act, modified after them, not foreign", async () => {
    const altered = new Uint8Array(signed);
    altered[Buffer.from(altered).indexOf("stream") + 20] ^= 0x01;
    const result = await upload(altered);
    expect(result.summary.kind).toBe("modified");
    expect(result.act).toMatchObject({ title, exact: false, bySignature: true });
  });

  it("a PDF that carries none of the portal's signatures: no act", async () => {
    const result = await upload((await makeSignablePdf({ pages: 1, signatures: 1 })).pdf);
    expect(result.summary.kind).toBe("unsigned");
    expect(result.act).toBeNull();
  });
});
