import type { NextFunction, Request, Response } from "express";
import { sendErrorPage } from "./error-page.server";
import { forLog } from "./log.server";

/**
 * Headers on every response. Scripts only from ourselves or carrying this response's nonce.
 * `formActionOrigins`: where a form's redirect may lead besides ourselves (the ProConnect logout).
 */
export const securityHeaders = (options: { formActionOrigins: string[] }) => (req: Request, res: Response, next: NextFunction) => {
  const nonce = res.locals.cspNonce as string;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "frame-src 'self'",
      "base-uri 'self'",
      ["form-action 'self'", ...options.formActionOrigins].join(" "),
      // Our own PDF preview may be framed by our own pages; nothing else may frame us.
      req.path.endsWith(".pdf") ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
    ].join("; "),
  );
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", req.path.endsWith(".pdf") ? "SAMEORIGIN" : "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Machine endpoints that other software calls without a browser (RFC 3161 clients). */
const MACHINE_PATHS = new Set(["/tsa"]);

/**
 * CSRF protection by origin: a browser always sends Origin (or Sec-Fetch-Site) on a cross-site
 * POST, so a write whose origin is not ours is refused before it reaches any action. Only
 * PUBLIC_URL's origin counts: the Host header is the client's to choose.
 */
export function rejectCrossSiteWrites(publicOrigin: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || MACHINE_PATHS.has(req.path)) return next();
    const origin = req.get("origin");
    const fetchSite = req.get("sec-fetch-site");
    const sameOrigin = origin ? origin === publicOrigin : fetchSite ? fetchSite === "same-origin" || fetchSite === "none" : true;
    if (sameOrigin) return next();
    console.warn(`[csrf] requête ${forLog(req.method)} ${forLog(req.path)} refusée : origine ${forLog(origin ?? fetchSite ?? "absente")}`);
    sendErrorPage(
      res,
      403,
      "Requête refusée",
      "Cette action a été envoyée depuis un autre site que Paraphe. Pour votre sécurité, elle n'a pas été prise en compte. Revenez sur Paraphe et recommencez.",
    );
  };
}

/**
 * The host the client asked for: Host, or X-Forwarded-Host from a trusted proxy (TRUST_PROXY),
 * as Express reads it for `req.hostname`, but with its port.
 */
export function requestedHost(req: Request): string | undefined {
  const trust = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  const forwarded = req.get("x-forwarded-host");
  if (forwarded && trust(req.socket.remoteAddress, 0)) return forwarded.split(",")[0].trim();
  return req.get("host");
}

/** `host` (from a request) names the same host and port as PUBLIC_URL. */
export function isPortalHost(host: string | undefined, publicUrl: string): boolean {
  if (!host || !/^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return false;
  const portal = new URL(publicUrl);
  try {
    return new URL(`${portal.protocol}//${host}`).host === portal.host;
  } catch {
    return false;
  }
}

/**
 * Requests for another host than the portal's (a forged or misrouted Host) get 421, and a request
 * target that is not a path (`GET http://other/…`) 400: every page is built for PUBLIC_URL only.
 */
export function requirePortalHost(publicUrl: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.originalUrl.startsWith("/")) {
      sendErrorPage(res, 400, "Requête invalide", "L'adresse demandée n'est pas valide.");
      return;
    }
    if (isPortalHost(requestedHost(req), publicUrl)) return next();
    sendErrorPage(res, 421, "Adresse inconnue", `Ce serveur ne répond que pour ${new URL(publicUrl).host}. Vérifiez l'adresse saisie.`);
  };
}
