import nodemailer from "nodemailer";
import type { OutboxMessage } from "../../db/schema";

export type DeliveryResult =
  | { ok: true; response: string }
  | { ok: false; permanent: boolean; error: string };

/** What is delivered: the outbox row's metadata and the body rendered with its secrets. */
export type RenderedMessage = Pick<OutboxMessage, "to_address" | "subject" | "message_id" | "attachments"> & { text: string; html: string | null };

export interface MailTransport {
  /** "smtp" delivers; "capture" keeps the message for the dev mailbox only (the dispatcher stores it). */
  readonly kind: "smtp" | "capture";
  deliver(message: RenderedMessage): Promise<DeliveryResult>;
  close(): void;
}

export function createMailTransport(options: { smtpUrl?: string; mailFrom: string; timeoutMs?: number }): MailTransport {
  if (!options.smtpUrl) {
    return { kind: "capture", deliver: async () => ({ ok: true, response: "capturé (boîte de développement)" }), close() {} };
  }
  const timeout = options.timeoutMs ?? 20_000;
  const transporter = nodemailer.createTransport(options.smtpUrl, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as object);
  return {
    kind: "smtp",
    async deliver(message) {
      try {
        const info = await transporter.sendMail({
          from: options.mailFrom,
          to: message.to_address,
          subject: message.subject,
          text: message.text,
          html: message.html ?? undefined,
          messageId: message.message_id,
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.contentBase64, "base64"),
          })),
        });
        return { ok: true, response: String(info.response ?? "250") };
      } catch (error) {
        return classifyFailure(error);
      }
    },
    close: () => transporter.close(),
  };
}

/** 5xx answers are final; 4xx, refused connections and timeouts are worth another try. */
export function classifyFailure(error: unknown): DeliveryResult & { ok: false } {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = e.response ?? e.message ?? String(error);
  if (typeof e.responseCode === "number") {
    return { ok: false, permanent: e.responseCode >= 500, error: text };
  }
  return { ok: false, permanent: false, error: `${e.code ?? "ERREUR"} : ${text}` };
}
