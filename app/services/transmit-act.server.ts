import { createHash, randomBytes } from "node:crypto";
import { fileSlug } from "../domain/file-name";
import type { Config } from "../config.server";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { transmissionEmail, type ActSummary } from "../email/transmission-email";
import { recipientsFor } from "../models/transmissions.server";
import type { Trx } from "./circuit-shared.server";

const KIND_LABELS: Record<string, string> = { convention: "Convention de délégation de gestion", avenant: "Avenant", resiliation: "Notification de résiliation" };

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Writes, in the completing transaction, one e-mail per recipient with the signed PDF and the
 * signature certificate (or a personal download link above the size limit). If the completion
 * rolls back, nothing was sent; the Message-ID derives from (act, round, recipient).
 */
export async function transmitAct(
  trx: Trx,
  config: Config,
  convention: { id: string; kind: string; title: string; reference: string | null; data: unknown; circuit_round: number },
  files: { signed: Uint8Array; certificate: Uint8Array },
) {
  const data = (convention.data ?? {}) as {
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
    signedOn: new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" }).format(new Date()),
    endDate: data.dateFin ?? null,
    noticeMonths: data.preavisMois ?? null,
  };
  const slug = fileSlug(convention.title);
  const attachments = [
    { filename: `${slug}-signee.pdf`, bytes: files.signed },
    { filename: `${slug}-certificat-de-signature.pdf`, bytes: files.certificate },
  ].map((a) => ({ ...a, size: a.bytes.length, sha256: createHash("sha256").update(a.bytes).digest("hex") }));
  const tooBig = attachments.reduce((n, a) => n + a.size, 0) > config.transmission.attachmentLimitBytes;

  for (const recipient of await recipientsFor(trx, convention.id)) {
    const ackToken = recipient.kind === "partie" ? null : randomBytes(32).toString("base64url");
    const downloadToken = tooBig ? randomBytes(32).toString("base64url") : null;
    const email = transmissionEmail({
      recipientKind: recipient.kind,
      act,
      attachments,
      downloadLink: downloadToken ? `${config.publicUrl}/telechargement/${downloadToken}` : null,
      linkDays: config.transmission.linkDays,
      ackLink: ackToken ? `${config.publicUrl}/accuse-reception/${ackToken}` : null,
    });
    const queued = await enqueueEmail(
      trx,
      {
        kind: "transmission",
        to: recipient.email,
        conventionId: convention.id,
        dedupeKey: `transmission:${convention.id}:${convention.circuit_round}:${recipient.email}`,
        ...email,
        attachments: tooBig ? [] : attachments.map((a) => ({ filename: a.filename, contentType: "application/pdf", contentBase64: Buffer.from(a.bytes).toString("base64") })),
      },
      mailDomainOf(config.mailFrom),
    );
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
