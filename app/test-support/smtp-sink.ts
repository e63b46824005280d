import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

export type ReceivedMail = { to: string[]; messageId: string; parsed: ParsedMail; raw: Buffer };

/**
 * A real SMTP server on loopback that records what it accepts and can be told to answer
 * with an error code for the next N messages (451 temporary, 550 permanent…).
 */
export async function startSmtpSink(port = 0) {
  const received: ReceivedMail[] = [];
  const failures: { code: number; message: string; to?: string }[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const rcpt = session.envelope.rcptTo.map((r) => r.address);
        const index = failures.findIndex((f) => !f.to || rcpt.includes(f.to));
        const failure = index >= 0 ? failures.splice(index, 1)[0] : undefined;
        if (failure) {
          const error = Object.assign(new Error(failure.message), { responseCode: failure.code });
          return callback(error);
        }
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId: parsed.messageId ?? "", parsed, raw });
        waiters.splice(0).forEach((w) => w());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.server.address() as AddressInfo).port;
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    received,
    /** The next `count` messages (to `to` only, when given) get this SMTP error instead of 250. */
    failNext(count: number, code: number, message = code >= 500 ? "Mailbox unavailable" : "Try again later", to?: string) {
      for (let i = 0; i < count; i++) failures.push({ code, message, to });
    },
    async waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs = 15_000): Promise<ReceivedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("Aucun e-mail correspondant reçu par le serveur SMTP de test");
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
