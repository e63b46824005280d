/**
 * « Enregistrer une convention signée hors du portail »: the signed PDF is uploaded under the verify
 * page's rules (20 MB, « %PDF- », a place in the bounded verifier pool taken before the body is
 * read), kept byte for byte with its SHA-256 (documents kind « importe »), and the verifier's verdict
 * is stored as it is. The act starts as a draft whose data the rédacteur enters with the drafting
 * form; registerImport (register-import.server.ts) then puts it in force, signed or expired by its dates.
 * Refusals are French, by field (« document » for the file), and nothing is written.
 */
import { createHash } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/connect";
import type { ConventionInput, FieldError } from "../domain/convention";
import { normaliseDraft } from "../domain/convention-draft";
import { parseImportForm } from "../domain/forms/import";
import { appendAuditEvent } from "../models/audit.server";
import { insertConventionVersion } from "../models/convention-versions.server";
import type { VerificationReport } from "../pdf/verification/verify";
import { MAX_UPLOAD_MB } from "../pdf/verification/verify-limits";
import { conventionTemplates, createDraftFromTemplate } from "../templates/convention";
import type { ConventionUser } from "./convention-access.server";
import type { Meta } from "./create-avenant.server";
import { templateSource } from "./render-draft.server";
import { MAX_BODY_BYTES, receiveDocument, SATURATED_MESSAGE, summarize, type VerdictSummary } from "./verify-upload.server";

export type ImportVerification = { fileName: string; summary: VerdictSummary; report: VerificationReport };
export type StartImportInput = { bytes: Uint8Array; fileName: string; intitule: string; delegantId: string; delegataireIds: string[]; modele: string; report: VerificationReport };
export type ImportResult = { ok: true; id: string } | { ok: false; status: number; errors: FieldError[] };

const refuse = (status: number, path: string, message: string): ImportResult => ({ ok: false, status, errors: [{ path, message }] });

/** The import page's POST: receive, check, verify, then startImport. */
export async function importUploadRequest(request: Request, context: AppLoadContext, user: ConventionUser, meta: Meta = {}): Promise<ImportResult> {
  if (!user.roles.includes("redacteur") || !user.organisation_id) return refuse(403, "document", "Seul un rédacteur rattaché à une organisation peut enregistrer une convention signée.");
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return refuse(413, "document", `Le fichier dépasse ${MAX_UPLOAD_MB} Mo.`);
  const reservation = context.verifyDocument.reserve();
  if (!reservation) return refuse(503, "document", SATURATED_MESSAGE);
  let ran = false;
  try {
    const received = await receiveDocument(request, { fields: ["intitule", "delegant", "delegataires", "modele"], missing: "Choisissez le PDF signé de la convention." });
    if ("status" in received) return refuse(received.status, "document", received.error);
    const form = parseImportForm(received.form);
    if (!form.ok) return { ok: false, status: 400, errors: form.errors };
    if (Buffer.from(received.bytes.subarray(0, 5)).toString("latin1") !== "%PDF-") return refuse(415, "document", "Ce fichier n'est pas un PDF (il ne commence pas par « %PDF- »).");
    ran = true;
    const outcome = await reservation.run(received.bytes);
    if (outcome.kind === "saturated") return refuse(503, "document", SATURATED_MESSAGE);
    if (outcome.kind === "timeout") return refuse(422, "document", `La vérification du fichier a pris trop de temps (plus de ${outcome.seconds} s) : le document est trop complexe pour être enregistré ici.`);
    const { intitule, delegant, delegataires, modele } = form.value;
    return await startImport(context.db, user, { bytes: received.bytes, fileName: received.fileName, intitule, delegantId: delegant, delegataireIds: delegataires, modele, report: outcome.report }, meta);
  } finally {
    if (!ran) reservation.release();
  }
}

/** Writes the draft of an imported act: the file, its verdict, its parties; one transaction. */
export async function startImport(db: Database, user: ConventionUser, input: StartImportInput, meta: Meta = {}): Promise<ImportResult> {
  if (!user.roles.includes("redacteur") || !user.organisation_id) return refuse(403, "document", "Seul un rédacteur rattaché à une organisation peut enregistrer une convention signée.");
  if (input.bytes.length > MAX_UPLOAD_MB * 1024 * 1024) return refuse(413, "document", `Le fichier dépasse ${MAX_UPLOAD_MB} Mo.`);
  if (Buffer.from(input.bytes.subarray(0, 5)).toString("latin1") !== "%PDF-") return refuse(415, "document", "Ce fichier n'est pas un PDF (il ne commence pas par « %PDF- »).");
  const ids = [...new Set(input.delegataireIds)];
  if (ids.includes(input.delegantId)) return refuse(400, "delegataires", "Le délégant ne peut pas être aussi délégataire");
  if (![input.delegantId, ...ids].includes(user.organisation_id)) return refuse(400, "delegant", "Votre organisation doit être l'une des parties de la convention.");
  if (!/^[a-z0-9-]{1,60}$/.test(input.modele) || !conventionTemplates().some((t) => t.name === input.modele)) return refuse(400, "modele", "Ce modèle n'existe pas : choisissez un des modèles proposés.");
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");

  return db.transaction().execute(async (trx): Promise<ImportResult> => {
    const orgs = await trx.selectFrom("organisations").selectAll().where("id", "in", [input.delegantId, ...ids]).execute();
    const delegant = orgs.find((o) => o.id === input.delegantId);
    if (!delegant) return refuse(400, "delegant", "Choisissez le délégant");
    if (orgs.length !== ids.length + 1) return refuse(400, "delegataires", "Un des délégataires choisis n'existe pas");
    const delegataires = ids.map((id) => orgs.find((o) => o.id === id)!);
    const partie = (o: (typeof orgs)[number], alias: string[]) => ({ nom: o.name, adresse: o.address ?? "", alias, representant: { nom: "", fonction: "" } });
    const block = (o: (typeof orgs)[number], p: "delegant" | "delegataire", index: number) => ({ partie: p, indexDelegataire: index, libelle: `${o.short_name},`, nom: "", fonction: "", email: "" });
    const partial = {
      titre: "Convention de délégation de gestion",
      delegant: partie(delegant, ["le délégant"]),
      delegataires: delegataires.map((o, i) => partie(o, [delegataires.length === 1 ? "le délégataire" : `le délégataire n° ${i + 1}`])),
      debut: { regle: "signature" },
      dateFin: "",
      preavisMois: 3,
      lieuSignature: "Paris",
      signatures: [block(delegant, "delegant", 0), ...delegataires.map((o, i) => block(o, "delegataire", i))],
    } as unknown as Partial<ConventionInput>;
    const data = normaliseDraft(createDraftFromTemplate(templateSource(input.modele), partial, input.modele) as Record<string, unknown>);
    const verification: ImportVerification = { fileName: input.fileName.slice(0, 255), summary: summarize(input.report), report: input.report };
    const row = await trx
      .insertInto("conventions")
      .values({
        kind: "convention",
        parent_id: null,
        status: "brouillon",
        origin: "importe",
        title: input.intitule,
        reference: null,
        delegant_organisation_id: delegant.id,
        template: input.modele,
        data: JSON.stringify(data),
        version: 1,
        frozen_sha256: null,
        created_by: user.id,
        decline_reason: null,
        import_verification: JSON.stringify(verification),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("convention_organisations")
      .values([{ convention_id: row.id, organisation_id: delegant.id, role: "delegant" as const }, ...delegataires.map((o) => ({ convention_id: row.id, organisation_id: o.id, role: "delegataire" as const }))])
      .execute();
    await trx.insertInto("documents").values({ convention_id: row.id, kind: "importe", round: 0, revision: 0, sha256, size: input.bytes.length, bytes: input.bytes }).execute();
    await insertConventionVersion(trx, { conventionId: row.id, version: 1, data, authorId: user.id, summary: `Convention signée hors du portail déposée (${verification.fileName})` });
    await appendAuditEvent(trx, {
      conventionId: row.id,
      type: "import_depose",
      actorId: user.id,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      documentSha256: sha256,
      payload: { fichier: verification.fileName, taille: input.bytes.length, verdict: verification.summary.kind },
    });
    return { ok: true, id: row.id };
  });
}

/** The uploaded signed PDF of an imported act (byte for byte), or undefined. */
export function getImportedDocument(db: Database, conventionId: string) {
  return db.selectFrom("documents").select(["sha256", "size", "bytes", "created_at"]).where("convention_id", "=", conventionId).where("kind", "=", "importe").executeTakeFirst();
}

/** The second step lives in register-import.server.ts; re-exported for the import pages. */
export { registerImport } from "./register-import.server";
