import { Transform } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { LIMITS } from "../domain/convention-draft";
import { sendErrorPage } from "./error-page.server";

/** A form of the portal: a few fields (the largest, the signing code or a refusal motive). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

export type BodyLimit = { bytes: number; stream: boolean };

/**
 * The routes where a large body is expected. `stream`: the body reaches the route as it arrives
 * (counted on the way), so that the verify page takes a place in its pool before reading an upload.
 */
const LARGE_BODIES: { path: RegExp; limit: BodyLimit }[] = [
  // A PDF of at most 20 MB (app/services/verify-upload.server.ts), plus the multipart envelope.
  { path: /^\/verifier$/, limit: { bytes: 21 * 1024 * 1024, stream: true } },
  // The same for an act signed elsewhere, registered with its PDF (app/services/import-act.server.ts).
  { path: /^\/conventions\/importer$/, limit: { bytes: 21 * 1024 * 1024, stream: true } },
  // The whole drafting form: up to 100 articles of 20 000 characters, URL-encoded.
  { path: /^\/conventions\/[^/]+\/modifier$/, limit: { bytes: LIMITS.requestBytes, stream: false } },
];
const DEFAULT: BodyLimit = { bytes: DEFAULT_BODY_LIMIT, stream: false };

/** The body limit of a path, read as Remix routes it (decoded, any case, `.data` of single fetch). */
export function bodyLimitFor(rawPath: string): BodyLimit {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return DEFAULT;
  }
  path = path.toLowerCase().replace(/\.data$/, "").replace(/\/+$/, "");
  return LARGE_BODIES.find((r) => r.path.test(path))?.limit ?? DEFAULT;
}

const MB = 1024 * 1024;
const sizeFr = (bytes: number) => (bytes >= MB ? `${Math.round(bytes / MB)} Mo` : `${Math.round(bytes / 1024)} Ko`);

function refuseTooLarge(req: Request, res: Response, limit: number) {
  if (res.headersSent) return void req.destroy();
  // No « Connection: close »: Node would then destroy the socket as soon as the answer is sent,
  // under bytes the client is still sending, and the client would lose its 413 (EPIPE, ECONNRESET).
  // Nor when the client itself asked « Connection: close » (agent-less clients, HTTP/1.0): Node
  // ends and destroys the socket once the answer is written, unless the answer keeps it alive.
  res.shouldKeepAlive = true;
  sendErrorPage(res, 413, "Envoi trop volumineux", `Les données envoyées dépassent ${sizeFr(limit)}, la taille admise pour cette page. Rien n'a été enregistré.`);
  // Lingering close, as nginx does it: unread bytes left in the socket when it closes make the
  // kernel reset the connection, and a client still sending then loses the 413 it was sent. So the
  // rest of the body is read and dropped while it keeps coming (5 s without a byte, or 30 s in all,
  // then the socket is closed). A slow machine sending a large body needed more than a fixed 2 s.
  res.on("finish", () => {
    req.unpipe();
    const idle = setTimeout(() => req.destroy(), LINGER_IDLE_MS).unref();
    const cap = setTimeout(() => req.destroy(), LINGER_MAX_MS).unref();
    req.on("data", () => idle.refresh());
    req.once("close", () => (clearTimeout(idle), clearTimeout(cap)));
    req.resume();
  });
}

const LINGER_IDLE_MS = 5_000;
const LINGER_MAX_MS = 30_000;

/**
 * Counts every request body as it arrives, before Remix reads it: a body over the route's limit
 * gets 413, whether its length was declared (Content-Length) or not (chunked). `req.body` is then
 * the whole body (a Buffer), or for a streamed route the counted stream, which fails past the limit.
 */
export function limitRequestBodies(limitFor: (path: string) => BodyLimit = bodyLimitFor) {
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody = req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
    if (!hasBody) return next();
    const limit = limitFor(req.path);
    if (Number(req.headers["content-length"]) > limit.bytes) return refuseTooLarge(req, res, limit.bytes);
    const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") {
      res.set("Connection", "close");
      return sendErrorPage(res, 415, "Envoi non pris en charge", "Les données envoyées sont compressées : Paraphe ne les accepte que non compressées.");
    }
    let size = 0;
    if (limit.stream) {
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size <= limit.bytes) return callback(null, chunk);
          req.unpipe(counted);
          callback(Object.assign(new Error("corps de requête trop volumineux"), { status: 413 }));
          refuseTooLarge(req, res, limit.bytes);
        },
      });
      // The reader (Remix) sees the failure; a reader that gives up destroys the stream with its
      // reason, which must not become an unhandled 'error' event that stops the process.
      counted.on("error", () => {});
      req.body = req.pipe(counted);
      // The route answered without reading it all (saturated, rate-limited): the rest is discarded.
      res.on("finish", () => {
        if (req.complete || size > limit.bytes) return;
        req.unpipe(counted);
        req.resume();
      });
      return next();
    }
    const chunks: Buffer[] = [];
    let refused = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit.bytes) {
        refused = true;
        req.off("data", onData);
        req.pause();
        chunks.length = 0;
        refuseTooLarge(req, res, limit.bytes);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      if (refused) return;
      req.body = Buffer.concat(chunks, size);
      next();
    });
    req.once("error", (error) => {
      if (!refused) next(error);
    });
  };
}
