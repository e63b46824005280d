// Shared by the verifier's attack and property tests: the portal's signed reference convention
// and a page 1 that shows another representative (what a forger wants a viewer to display).
import fs from "node:fs";
import path from "node:path";
import type { Pki } from "../pki/pki";
import { signPdf } from "../signing/sign";
import { Dict, Ref, type Revision } from "../verification/pdf-resolve";
import { serialize } from "../core/pdf-raw";
import { makeSignablePdf } from "./fixture";
import { nextNum, revisionOf, streamObject, withEntries, type ForgedObject } from "./forge";

export const PEOPLE = [
  { name: "Anne-Florence Canton", function: "Secrétaire générale adjointe", organisation: "Ministère de la Justice", email: "af.canton@justice.gouv.fr" },
  { name: "Stéphanie Schaer", function: "Directrice interministérielle du numérique", organisation: "DINUM", email: "stephanie.schaer@modernisation.gouv.fr" },
];

/** Signs `pdf` once per person, in order; returns each signed version. */
export async function signAll(pki: Pki, pdf: Uint8Array, people = PEOPLE): Promise<Uint8Array[]> {
  const steps: Uint8Array[] = [pdf];
  for (const p of people) steps.push((await signPdf(steps[steps.length - 1], { signer: await pki.signerFor(p), tsa: pki.tsa, signatory: p })).pdf);
  return steps.slice(1);
}

/** The reference convention as the renderer makes it (a plain fixture when it is unavailable). */
export async function loadReference(): Promise<Uint8Array> {
  try {
    const { renderConventionFromInput } = await import("../rendering/convention");
    const data = JSON.parse(fs.readFileSync(path.resolve("templates/examples/convention-justice-dinum-2022.json"), "utf8"));
    return (await renderConventionFromInput(data)).pdf;
  } catch {
    return (await makeSignablePdf({ pages: 5, signatures: 2 })).pdf;
  }
}

export function page1(rev: Revision): { num: number; dict: Dict } {
  const pages = rev.dict(rev.catalog().get("Pages"))!;
  const kid = rev.array(pages.get("Kids"))![0] as Ref;
  return { num: kid.num, dict: rev.dict(kid)! };
}

export const MALLORY = "Mallory Lefaux";

/**
 * A page 1 showing another representative: the original content, then a white box over the
 * « Représentée par » line and a new line in Helvetica. Returns the new objects (content, font)
 * and the modified page body.
 */
export function maliciousPage1(pdf: Uint8Array, first = nextNum(pdf)) {
  const rev = revisionOf(pdf);
  const page = page1(rev);
  const resources = rev.dict(page.dict.get("Resources"))!.clone();
  const fonts = (rev.dict(resources.get("Font")) ?? new Dict()).clone();
  fonts.map.set("Mal", new Ref(first + 1, 0));
  resources.map.set("Font", fonts);
  const contents = page.dict.get("Contents");
  const list = Array.isArray(contents) ? contents.map(serialize).join(" ") : serialize(contents!);
  const objects: ForgedObject[] = [
    streamObject(first, "", `q 1 1 1 rg 40 560 520 60 re f Q BT /Mal 12 Tf 0 0 0 rg 56 590 Td (Repr\\351sent\\351e par ${MALLORY}, Cheffe de Service Num\\351rique) Tj ET`),
    { num: first + 1, body: "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>" },
  ];
  const contentsText = `[${list} ${first} 0 R]`;
  const resourcesText = serialize(resources);
  const body = withEntries(page.dict, { Contents: contentsText, Resources: resourcesText });
  return { objects, page, body, contentsText, resourcesText, original: serialize(page.dict), next: first + 2 };
}

