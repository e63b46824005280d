/**
 * The e2e SMTP server: a real SMTP server on loopback (smtp-server) plus a small HTTP API
 * that lets Playwright tests read what it received and make it fail on purpose.
 */
import { createServer } from "node:http";
import { startSmtpSink } from "../../app/test-support/smtp-sink";

const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);
const httpPort = Number(process.env.E2E_SMTP_API_PORT ?? 2580);
const sink = await startSmtpSink(smtpPort);

createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", `http://127.0.0.1:${httpPort}`);
  if (url.pathname === "/messages") {
    const to = url.searchParams.get("to");
    const list = sink.received
      .filter((m) => !to || m.to.includes(to))
      .map((m) => ({
        to: m.to,
        messageId: m.messageId,
        subject: m.parsed.subject,
        text: m.parsed.text,
        attachments: (m.parsed.attachments ?? []).map((a) => ({ filename: a.filename, size: a.size, contentType: a.contentType, base64: a.content.toString("base64") })),
      }));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(list));
    return;
  }
  if (url.pathname === "/fail" && req.method === "POST") {
    const code = Number(url.searchParams.get("code") ?? 451);
    sink.failNext(Number(url.searchParams.get("count") ?? 1), code, code >= 500 ? "5.1.1 Mailbox unavailable" : "4.3.0 Try again later", url.searchParams.get("to") ?? undefined);
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === "/health") return void res.writeHead(200).end("ok");
  res.writeHead(404).end();
}).listen(httpPort, "127.0.0.1", () => console.log(`SMTP de test sur ${sink.url}, API sur http://127.0.0.1:${httpPort}`));
