/**
 * The PDFs of a convention's signature circuit, for the resource routes: the document to sign
 * (latest revision of the current round), the signed one (the final B-LTA document once complete)
 * and the sealed signature certificate. Same access rule as the convention's page.
 */
import type { AppLoadContext } from "@remix-run/node";
import { fileSlug } from "../domain/file-name";
import { getDocument, latestDocument } from "../models/circuit.server";
import { requireUser } from "../session.server";
import { requireConventionAccess } from "./convention-access.server";
import { getImportedDocument } from "./import-act.server";

export type CircuitDocumentKind = "a-signer" | "signe" | "certificat";

const notFound = (message: string) => new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function serveCircuitDocument(request: Request, context: AppLoadContext, id: string, which: CircuitDocumentKind) {
  const user = await requireUser(request, context);
  const convention = await requireConventionAccess(context.db, user, id, "read");
  // An act signed elsewhere: its signed PDF is the uploaded file, byte for byte (no circuit, no certificate).
  if (which === "signe" && convention.origin === "importe") {
    const file = await getImportedDocument(context.db, convention.id);
    if (!file) throw notFound("Le PDF de cet acte importé est introuvable.");
    return pdfResponse(new Uint8Array(file.bytes), file.sha256, `${fileSlug(convention.title)}-signee.pdf`, "attachment");
  }
  const round = convention.circuit_round;
  if (round < 1) throw notFound("Aucun circuit de signature n'a encore été lancé pour cette convention.");
  const slug = fileSlug(convention.title);
  let doc;
  let filename: string;
  let disposition: "inline" | "attachment";
  switch (which) {
    case "a-signer":
      doc = await latestDocument(context.db, id, round);
      filename = `${slug}.pdf`;
      disposition = "inline";
      break;
    case "signe":
      doc = (await getDocument(context.db, id, round, "complet")) ?? (await getDocument(context.db, id, round, "signe"));
      filename = `${slug}-signee.pdf`;
      disposition = "attachment";
      if (!doc) throw notFound("Ce document n'a encore reçu aucune signature.");
      break;
    case "certificat":
      doc = await getDocument(context.db, id, round, "certificat");
      filename = `${slug}-certificat-de-signature.pdf`;
      disposition = new URL(request.url).searchParams.has("afficher") ? "inline" : "attachment";
      if (!doc) throw notFound("Le certificat de signature est produit quand toutes les signatures sont recueillies.");
      break;
  }
  if (!doc) throw notFound("Aucun document à signer pour cette convention.");
  return pdfResponse(new Uint8Array(doc.bytes), doc.sha256, filename, disposition);
}

function pdfResponse(bytes: Uint8Array, sha256: string, filename: string, disposition: "inline" | "attachment") {
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `${disposition}; filename="${filename}"`,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-SHA256": sha256,
    },
  });
}
