import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openPki, type Pki } from "../pdf/pki/pki";
import { signPdf } from "../pdf/signing/sign";
import { makeSignablePdf } from "../pdf/test-support/fixture";
import { appendIncrement } from "../pdf/test-support/forge";
import { maliciousPage1 } from "../pdf/test-support/attack-fixtures";
import { verifyPdf } from "../pdf/verification/verify";
import { summarize } from "./verify-upload.server";

/** The verify page's plain-French verdict, read from real reports of the real verifier. */

const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Cheffe de service", organisation: "Ministère de la Justice", email: "afc@justice.example" },
  { name: "Stéphanie Schaer", function: "Directrice", organisation: "DINUM", email: "s.schaer@numerique.example" },
];

let pki: Pki;
let unsigned: Uint8Array;
let signed: Uint8Array;

beforeAll(async () => {
  pki = await openPki({ dataDir: mkdtempSync(path.join(tmpdir(), "paraphe-summary-")), env: {} as NodeJS.ProcessEnv });
  unsigned = (await makeSignablePdf({ pages: 2, signatures: 2 })).pdf;
  signed = unsigned;
  for (const person of PEOPLE) signed = (await signPdf(signed, { signer: await pki.signerFor(person), tsa: pki.tsa, signatory: person })).pdf;
}, 60_000);

const verify = (bytes: Uint8Array, trusted = pki.trustedCertificates()) => verifyPdf(bytes, { trusted });

describe("verdict summary", () => {
  it("names every signer and the signing time of an intact document", async () => {
    const summary = summarize(await verify(signed));
    expect(summary.kind).toBe("intact");
    if (summary.kind === "intact") {
      expect(summary.signers.map((s) => s.name)).toEqual(PEOPLE.map((p) => p.name));
      for (const s of summary.signers) expect(Date.parse(s.at!)).toBeGreaterThan(Date.now() - 120_000);
    }
  });

  it("says after whose signature a signed byte was changed", async () => {
    const tampered = new Uint8Array(signed);
    const at = Buffer.from(tampered).indexOf("stream") + 20; // inside the first page's content, covered by both signatures
    tampered[at] ^= 0x01;
    expect(summarize(await verify(tampered))).toEqual({ kind: "modified", after: PEOPLE.map((p) => p.name) });
  });

  it("says after whose signature a revision changed what a viewer shows, even hidden from a byte scan", async () => {
    const m = maliciousPage1(signed);
    const forged = appendIncrement(signed, { objects: [...m.objects, { num: m.page.num, body: m.body, pre: "\0" }] }).pdf;
    expect(summarize(await verify(forged))).toEqual({ kind: "modified", after: PEOPLE.map((p) => p.name) });
  });

  it("says that data was added after the last signature", async () => {
    const appended = new Uint8Array(Buffer.concat([Buffer.from(signed), Buffer.from("\n% ajout après la signature\n")]));
    expect(summarize(await verify(appended))).toEqual({ kind: "appended" });
  });

  it("says the document was not produced by the portal when no signature comes from its authority", async () => {
    expect(summarize(await verify(signed, []))).toEqual({ kind: "foreign" });
  });

  it("says « modified », not « not produced by Paraphe », when signatures no longer hold, whatever the authority", async () => {
    const tampered = new Uint8Array(signed);
    tampered[Buffer.from(tampered).indexOf("stream") + 20] ^= 0x01;
    expect(summarize(await verify(tampered, []))).toEqual({ kind: "modified", after: PEOPLE.map((p) => p.name) });
    // The last signature's own /Contents damaged: its CMS no longer reads, so it has no signer certificate.
    const damaged = new Uint8Array(signed);
    const contents = Buffer.from(damaged).lastIndexOf("/Contents <") + "/Contents <".length;
    damaged.set(Buffer.from("ffff", "latin1"), contents + 2);
    const summary = summarize(await verify(damaged));
    expect(summary).toEqual({ kind: "modified", after: [PEOPLE[1].name] });
  });

  it("tells an unsigned PDF from an unreadable one", async () => {
    expect(summarize(await verify(unsigned))).toEqual({ kind: "unsigned" });
    const unreadable = summarize(await verify(new TextEncoder().encode("%PDF-1.7\npas un vrai PDF")));
    expect(unreadable.kind).toBe("unreadable");
  });
});
