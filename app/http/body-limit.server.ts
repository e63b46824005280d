import type { NextFunction, Request, Response } from "express";
import { LIMITS } from "../domain/convention-draft";
import { sendErrorPage } from "./error-page.server";

/** A form of the portal: a few fields (the largest, the signing code or a refusal motive). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;
/** The routes where a large body is expected, and their limit in bytes. */
const LARGE_BODIES: { path: RegExp; bytes: number }[] = [
  // A PDF of at most 20 MB (app/routes/verifier.tsx), plus the multipart envelope.
  { path: /^\/verifier$/, bytes: 21 * 1024 * 1024 },
  // The whole drafting form: up to 100 articles of 20 000 characters, URL-encoded.
  { path: /^\/conventions\/[^/]+\/modifier$/, bytes: LIMITS.requestBytes },
];

/** The body limit of a path, read as Remix routes it (decoded, any case, `.data` of single fetch). */
export function bodyLimitFor(rawPath: string): number {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return DEFAULT_BODY_LIMIT;
  }
  path = path.toLowerCase().replace(/\.data$/, "").replace(/\/+$/, "");
  return LARGE_BODIES.find((r) => r.path.test(path))?.bytes ?? DEFAULT_BODY_LIMIT;
}

const MB = 1024 * 1024;
const sizeFr = (bytes: number) => (bytes >= MB ? `${Math.round(bytes / MB)} Mo` : `${Math.round(bytes / 1024)} Ko`);

function refuseTooLarge(req: Request, res: Response, limit: number) {
  // The rest of the body is not read: the connection is closed once the answer is sent.
  res.set("Connection", "close");
  sendErrorPage(res, 413, "Envoi trop volumineux", `Les données envoyées dépassent ${sizeFr(limit)}, la taille admise pour cette page. Rien n'a été enregistré.`);
  res.on("finish", () => req.destroy());
}

/**
 * Reads every request body before Remix sees it, counting the bytes as they arrive: a body over
 * the route's limit gets 413, whether its length was declared (Content-Length) or not (chunked).
 * The body is then in `req.body` (a Buffer).
 */
export function limitRequestBodies(limitFor: (path: string) => number = bodyLimitFor) {
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody = req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
    if (!hasBody) return next();
    const limit = limitFor(req.path);
    if (Number(req.headers["content-length"]) > limit) return refuseTooLarge(req, res, limit);
    const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") {
      res.set("Connection", "close");
      return sendErrorPage(res, 415, "Envoi non pris en charge", "Les données envoyées sont compressées : Paraphe ne les accepte que non compressées.");
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        refused = true;
        req.off("data", onData);
        req.pause();
        chunks.length = 0;
        refuseTooLarge(req, res, limit);
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
