// Property (issue 9): whatever increment follows the last signature — objects redefined,
// headers after any PDF whitespace or delimiter, objects moved into object streams, duplicate
// definitions, xref tables or streams, decoy trailers — the verdict is INVALID exactly when the
// page a viewer shows differs from the signed one. The viewer is poppler (pdftotext), a tool the
// project did not write.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import fc from "fast-check";
import { openPki, type Pki } from "../pki/pki";
import { verifyPdf, formatReportFr } from "./verify";
import { Ref } from "./pdf-resolve";
import { serialize } from "../core/pdf-raw";
import { appendIncrement, revisionOf, type ForgedObject, type IncrementOptions } from "../test-support/forge";
import { loadReference, maliciousPage1, page1, signAll } from "../test-support/attack-fixtures";
import { run, tmpDir } from "../test-support/tools";

let dir: string;
let pki: Pki;
let trust: string;
let signed: Uint8Array;
let signedText: string;

const pageText = (pdf: Uint8Array, name: string) => {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return run("pdftotext", ["-f", "1", "-l", "1", file, "-"]).out;
};

beforeAll(async () => {
  dir = tmpDir("paraphe-property-");
  pki = await openPki({ dataDir: path.join(dir, "data"), env: {} as NodeJS.ProcessEnv });
  trust = pki.trustPem();
  [, signed] = await signAll(pki, await loadReference());
  signedText = pageText(signed, "signed");
});

const SEPARATORS = ["\n", "\r\n", "\r", "\0", "\t", "\f", " ", "", "\n\0\0 ", ")", ">", "]", "}", "%commentaire\n", "\nendobj\n"];

const increment = fc.record({
  target: fc.constantFrom("page" as const, "content" as const),
  change: fc.boolean(),
  encoding: fc.constantFrom("flate" as const, "raw" as const),
  pre: fc.constantFrom(...SEPARATORS),
  dup: fc.constantFrom("none" as const, "original-after" as const, "modified-before" as const),
  xref: fc.constantFrom("table" as const, "stream" as const, "objstm" as const),
  trailer: fc.constantFrom("plain" as const, "decoy" as const, "escaped-type" as const),
});

type Spec = typeof increment extends fc.Arbitrary<infer T> ? T : never;

/** The increment `spec` describes, appended to the signed document. */
function forge(spec: Spec): Uint8Array {
  const rev = revisionOf(signed);
  const page = page1(rev);
  const m = maliciousPage1(signed);
  const objects: ForgedObject[] = [];
  const o: IncrementOptions = { xref: spec.xref === "table" ? "table" : "stream" };
  let num: number;
  let original: ForgedObject;
  let modified: ForgedObject;
  if (spec.target === "page") {
    num = page.num;
    objects.push(...m.objects);
    original = { num, body: serialize(page.dict) };
    modified = { num, body: m.body };
  } else {
    // The page's content stream itself: the modified one keeps only its first half.
    const ref = page.dict.get("Contents") as Ref;
    num = ref.num;
    const data = rev.streamData(rev.dict(ref)!);
    const encode = (b: Buffer): ForgedObject => {
      const stream = spec.encoding === "flate" ? zlib.deflateSync(b) : b;
      return { num, body: `<<${spec.encoding === "flate" ? "/Filter /FlateDecode " : ""}/Length ${stream.length}>>`, stream };
    };
    original = encode(data);
    modified = encode(data.subarray(0, Math.floor(data.length / 2)));
  }
  const designated = { ...(spec.change ? modified : original), pre: spec.pre };
  if (spec.dup === "modified-before") objects.push({ ...modified, unlisted: true });
  if (spec.xref === "objstm" && spec.target === "page") o.objStm = { num: m.next, objects: [{ num, body: designated.body }] };
  else objects.push(designated);
  if (spec.dup === "original-after") objects.push({ ...original, unlisted: true });
  o.objects = objects;
  if (spec.trailer === "escaped-type") o.xrefTypeName = "/Ty#70e /X#52ef";
  if (spec.trailer === "decoy") o.afterTrailer = `trailer\n<</Size 1 /Root ${serialize(rev.trailer.get("Root")!)} /Prev ${rev.startxref}>>\n`;
  return appendIncrement(signed, o).pdf;
}

describe("property: the verdict follows what the viewer shows", () => {
  it("the untouched signed file is valid", async () => {
    expect((await verifyPdf(signed, { trusted: [trust] })).ok).toBe(true);
  });

  it("INVALID whenever page 1 as poppler shows it differs from the signed revision (and only then)", async () => {
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(increment, async (spec) => {
        const forged = forge(spec);
        const differs = pageText(forged, "forged") !== signedText;
        if (differs) changed++;
        const r = await verifyPdf(forged, { trusted: [trust] });
        if (differs && r.ok) throw new Error(`accepted a changed page: ${JSON.stringify(spec)}\n${formatReportFr(r)}`);
        if (!differs && !r.ok) throw new Error(`refused an unchanged page: ${JSON.stringify(spec)}\n${formatReportFr(r)}`);
      }),
      { numRuns: 40 },
    );
    expect(changed).toBeGreaterThan(10); // the generator does produce forgeries
  });
});
