/**
 * The history of a convention: the initial act and each avenant with their signed PDFs (SHA-256),
 * and the differences between any two consolidated versions (A's diffVersions: article by article,
 * words added and removed, amount by amount). Readable by any person of a party.
 */
import type { Database } from "../../db/connect";
import type { Convention } from "../domain/convention";
import { diffVersions } from "../domain/version-diff";
import { getConsolidation, listConsolidations } from "../models/consolidations.server";
import { requireConventionAccess, type ConventionUser } from "./convention-access.server";

export type HistoryVersion = { number: number; avenantNumber: number | null; actId: string; actLabel: string; signedOn: string | null; sha256: string | null };

export async function history(db: Database, user: ConventionUser, conventionId: string) {
  const convention = await requireConventionAccess(db, user, conventionId, "read");
  const versions = await listConsolidations(db, conventionId);
  return {
    convention: { id: convention.id, title: convention.title },
    versions: versions.map(
      (v): HistoryVersion => ({
        number: v.number,
        avenantNumber: v.number > 0 ? v.number : null,
        actId: v.avenant_id ?? conventionId,
        actLabel: v.number === 0 ? "Convention signée" : `Avenant n° ${v.number}`,
        signedOn: v.signed_on,
        sha256: v.act_sha256,
      }),
    ),
  };
}

const notFound = (message: string) => new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function compare(db: Database, user: ConventionUser, conventionId: string, from: number, to: number) {
  await requireConventionAccess(db, user, conventionId, "read");
  if (![from, to].every((n) => Number.isInteger(n) && n >= 0 && n <= 10_000)) throw notFound("Cette version n'existe pas.");
  const [a, b] = [await getConsolidation(db, conventionId, from), await getConsolidation(db, conventionId, to)];
  if (!a || !b) throw notFound("Cette version n'existe pas.");
  return diffVersions(a.data as Convention, b.data as Convention);
}
