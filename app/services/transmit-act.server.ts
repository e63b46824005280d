import { createHash, randomBytes } from "node:crypto";
import { fileSlug } from "../domain/file-name";
import type { Config } from "../config.server";
import type { RecipientKind } from "../../db/schema";
import { enqueueEmail, mailDomainOf, sealSecrets, secretSlot, type EmailDraft } from "../email/outbox.server";
import { transmissionEmail, type ActSummary } from "../email/transmission-email";
import { getDocument } from "../models/circuit.server";
import { recipientsFor } from "../models/transmissions.server";
import type { Trx } from "./circuit-shared.server";

const KIND_LABELS: Record<string, string> = { convention: "Convention de délégation de gestion", avenant: "Avenant", resiliation: "Notification de résiliation", compte_rendu: "Compte rendu d'exécution" };

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

type ActConvention = { id: string; kind: string; title: string; reference: string | null; data: unknown; circuit_round: number };
type ActFiles = { signed: Uint8Array; certificate: Uint8Array; certificateForThirdParties: Uint8Array };

/**
 * Writes, in the completing transaction, one e-mail per recipient with the signed PDF and the
 * signature certificate (or a personal download link above the size limit). If the completion
 * rolls back, nothing was sent; the Message-ID derives from (act, round, recipient).
 * Recipients outside the parties (CBCM, added recipients) get the certificate without IP addresses.
 */
export async function transmitAct(trx: Trx, config: Config, convention: ActConvention, files: ActFiles) {
  for (const recipient of await recipientsFor(trx, convention.id)) {
    const { draft, ackToken, downloadToken } = transmissionDraft(config, convention, files, recipient, new Date());
    const queued = await enqueueEmail(trx, draft, mailDomainOf(config.mailFrom), config.sessionSecret);
    if (!queued) continue; // already transmitted for this round
    await trx
      .insertInto("transmissions")
      .values({
        convention_id: convention.id,
        round: convention.circuit_round,
        recipient_email: recipient.email,
        recipient_name: recipient.name,
        recipient_kind: recipient.kind,
        outbox_message_id: queued.id,
        ack_token_hash: ackToken ? tokenHash(ackToken) : null,
        acknowledged_at: null,
        download_token_hash: downloadToken ? tokenHash(downloadToken) : null,
        download_expires_at: downloadToken ? new Date(Date.now() + config.transmission.linkDays * 86400_000) : null,
      })
      .execute();
  }
}

/**
 * A delivered message keeps neither its body nor its links: sending it again rebuilds it from the
 * stored documents, with fresh links (the earlier ones stop working), under the same Message-ID.
 */
export async function rebuildTransmission(trx: Trx, config: Config, transmissionId: string) {
  const t = await trx.selectFrom("transmissions").selectAll().where("id", "=", transmissionId).executeTakeFirstOrThrow();
  const convention = await trx
    .selectFrom("conventions")
    .select(["id", "kind", "title", "reference", "data", "circuit_round"])
    .where("id", "=", t.convention_id)
    .executeTakeFirstOrThrow();
  const doc = (kind: "complet" | "certificat" | "certificat_tiers") => getDocument(trx, t.convention_id, t.round, kind);
  const [signed, certificate, tiers] = [await doc("complet"), await doc("certificat"), await doc("certificat_tiers")];
  if (!signed || !certificate || (t.recipient_kind !== "partie" && !tiers)) throw new Error("Documents de l'acte introuvables : renvoi impossible.");
  const files = { signed: signed.bytes, certificate: certificate.bytes, certificateForThirdParties: (tiers ?? certificate).bytes };
  const { draft, ackToken, downloadToken } = transmissionDraft(
    config,
    { ...convention, circuit_round: t.round },
    files,
    { email: t.recipient_email, name: t.recipient_name, kind: t.recipient_kind },
    signed.created_at,
  );
  const message = await trx.selectFrom("outbox_messages").select("message_id").where("id", "=", t.outbox_message_id).executeTakeFirstOrThrow();
  await trx
    .updateTable("outbox_messages")
    .set({
      body_text: draft.text,
      body_html: null,
      secrets: sealSecrets(draft.secrets, config.sessionSecret, message.message_id),
      attachments: JSON.stringify(draft.attachments ?? []),
    })
    .where("id", "=", t.outbox_message_id)
    .execute();
  await trx
    .updateTable("transmissions")
    .set({
      ack_token_hash: ackToken ? tokenHash(ackToken) : null,
      download_token_hash: downloadToken ? tokenHash(downloadToken) : null,
      download_expires_at: downloadToken ? new Date(Date.now() + config.transmission.linkDays * 86400_000) : null,
    })
    .where("id", "=", t.id)
    .execute();
}

function transmissionDraft(
  config: Config,
  convention: ActConvention,
  files: ActFiles,
  recipient: { email: string; name: string; kind: RecipientKind },
  signedAt: Date,
): { draft: EmailDraft; ackToken: string | null; downloadToken: string | null } {
  // An avenant or a notice names the parties of the convention it amends (its `base`); its own terms are in the PDF.
  const own = (convention.data ?? {}) as { base?: unknown };
  const amending = convention.kind !== "convention" && own.base !== undefined;
  const data = (amending ? { delegant: (own.base as { delegant?: unknown }).delegant, delegataires: (own.base as { delegataires?: unknown }).delegataires } : own) as {
    delegant?: { nom?: string };
    delegataires?: { nom?: string }[];
    financement?: { echeancier?: { annee: number; ae: number; cp: number }[] };
    dateFin?: string;
    preavisMois?: number;
  };
  const act: ActSummary = {
    kindLabel: KIND_LABELS[convention.kind] ?? "Acte",
    title: convention.title,
    reference: convention.reference,
    delegant: data.delegant?.nom ?? "",
    delegataires: (data.delegataires ?? []).map((d) => d.nom ?? ""),
    schedule: data.financement?.echeancier ?? [],
    signedOn: new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" }).format(signedAt),
    endDate: data.dateFin ?? null,
    noticeMonths: data.preavisMois ?? null,
  };
  const slug = fileSlug(convention.title);
  const attachments = [
    { filename: `${slug}-signee.pdf`, bytes: files.signed },
    { filename: `${slug}-certificat-de-signature.pdf`, bytes: recipient.kind === "partie" ? files.certificate : files.certificateForThirdParties },
  ].map((a) => ({ ...a, size: a.bytes.length, sha256: createHash("sha256").update(a.bytes).digest("hex") }));
  const tooBig = attachments.reduce((n, a) => n + a.size, 0) > config.transmission.attachmentLimitBytes;

  const ackToken = recipient.kind === "partie" ? null : randomBytes(32).toString("base64url");
  const downloadToken = tooBig ? randomBytes(32).toString("base64url") : null;
  // The links' tokens are kept encrypted in the outbox and put into the body only when it leaves.
  const email = transmissionEmail({
    recipientKind: recipient.kind,
    act,
    attachments,
    downloadLink: downloadToken ? `${config.publicUrl}/telechargement/${secretSlot("telechargement")}` : null,
    linkDays: config.transmission.linkDays,
    ackLink: ackToken ? `${config.publicUrl}/accuse-reception/${secretSlot("accuse")}` : null,
  });
  const secrets: Record<string, string> = {};
  if (downloadToken) secrets.telechargement = downloadToken;
  if (ackToken) secrets.accuse = ackToken;
  return {
    ackToken,
    downloadToken,
    draft: {
      kind: "transmission",
      to: recipient.email,
      conventionId: convention.id,
      dedupeKey: `transmission:${convention.id}:${convention.circuit_round}:${recipient.email}`,
      ...email,
      secrets,
      attachments: tooBig ? [] : attachments.map((a) => ({ filename: a.filename, contentType: "application/pdf", contentBase64: Buffer.from(a.bytes).toString("base64") })),
    },
  };
}
