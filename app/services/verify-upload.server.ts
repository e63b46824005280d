import type { AppLoadContext } from "@remix-run/node";
import { findDocumentsBySha256 } from "../models/documents.server";
import { VerificationTimeoutError } from "../pdf/bounded-verifier";
import { sha256Hex, type VerificationReport } from "../pdf/verify";

export type UploadVerification =
  | { error: string }
  | {
      fileName: string;
      report: VerificationReport;
      act: { title: string; reference: string | null; status: string; exact: boolean; kind: string } | null;
    };

/** Verifies an uploaded PDF (bounded worker) and tells whether it, or one of its revisions, is one of ours. */
export async function verifyUpload(context: AppLoadContext, fileName: string, bytes: Uint8Array): Promise<UploadVerification> {
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "%PDF-") {
    return { error: "Ce fichier n'est pas un PDF (il ne commence pas par « %PDF- »)." };
  }
  let report: VerificationReport;
  try {
    report = await context.verifyDocument(bytes);
  } catch (error) {
    if (error instanceof VerificationTimeoutError) return { error: `${error.message} Le document est trop complexe pour être vérifié ici.` };
    throw error;
  }
  const revisionHashes = report.signatures.map((s) => sha256Hex(bytes.subarray(0, s.revisionEnd)));
  const known = await findDocumentsBySha256(context.db, [report.sha256, ...revisionHashes]);
  const act = known.find((k) => k.sha256 === report.sha256) ?? known[0];
  return {
    fileName,
    report,
    act: act ? { title: act.title, reference: act.reference, status: act.status, exact: act.sha256 === report.sha256, kind: act.act_kind } : null,
  };
}
