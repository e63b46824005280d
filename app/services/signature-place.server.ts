/**
 * « Où signez-vous ? » on the signing page: the page of the person's signature box in the current
 * state of the document (the frozen PDF, or the last signed revision), every box of that page with
 * who signs there and whether it is signed, as fractions of the page (the picture is drawn at any
 * width). Read from the PDF's own signature fields, the ones the signing engine fills.
 */
import { latestDocument } from "../models/circuit.server";
import type { Executor } from "../models/people.server";
import { signatureLayout } from "../pdf/signing/signature-page";
import type { ProgressStep } from "./circuit-view.server";

export type PlaceBox = { fieldName: string; name: string; signed: boolean; mine: boolean; left: number; top: number; width: number; height: number };
export type SignaturePlace = { page: number; pageCount: number; revision: number; aspect: number; boxes: PlaceBox[] };

export async function signaturePlace(
  db: Executor,
  convention: { id: string; circuit_round: number },
  steps: ProgressStep[],
  person: { id: string; memberId?: string | null },
): Promise<SignaturePlace | null> {
  const members = steps.flatMap((s) => s.members);
  const mine = members.find((m) => m.id === person.memberId) ?? members.find((m) => (m.personId === person.id || m.actedById === person.id) && m.fieldName);
  if (!mine?.fieldName) return null;
  const doc = await latestDocument(db, convention.id, convention.circuit_round);
  if (!doc) return null;
  const layout = await signatureLayout(new Uint8Array(doc.bytes));
  const own = layout.fields.find((f) => f.name === mine.fieldName);
  if (!own) return null;
  const size = layout.pages[own.pageIndex];
  const boxes = layout.fields
    .filter((f) => f.pageIndex === own.pageIndex)
    .map((f) => {
      const who = members.find((m) => m.fieldName === f.name);
      return {
        fieldName: f.name,
        name: who?.name ?? "Signataire",
        signed: f.signed,
        mine: f.name === own.name,
        left: f.rect.x / size.width,
        top: 1 - (f.rect.y + f.rect.height) / size.height,
        width: f.rect.width / size.width,
        height: f.rect.height / size.height,
      };
    });
  return { page: own.pageIndex + 1, pageCount: layout.pageCount, revision: doc.revision, aspect: size.height / size.width, boxes };
}
