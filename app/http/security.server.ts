import type { NextFunction, Request, Response } from "express";

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
 * POST, so a write whose origin is not ours is refused before it reaches any action.
 */
export function rejectCrossSiteWrites(publicOrigin: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || MACHINE_PATHS.has(req.path)) return next();
    const origin = req.get("origin");
    const fetchSite = req.get("sec-fetch-site");
    const sameOrigin = origin ? origin === publicOrigin || origin === `${req.protocol}://${req.get("host")}` : fetchSite ? fetchSite === "same-origin" || fetchSite === "none" : true;
    if (sameOrigin) return next();
    console.warn(`[csrf] requête ${req.method} ${req.path} refusée : origine ${origin ?? fetchSite ?? "absente"}`);
    res
      .status(403)
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Requête refusée — Paraphe</title><link rel="stylesheet" href="/dsfr/dsfr.min.css"></head><body><main class="fr-container fr-my-7w"><h1>Requête refusée</h1><p>Erreur 403</p><p>Cette action a été envoyée depuis un autre site que Paraphe. Pour votre sécurité, elle n'a pas été prise en compte. Revenez sur Paraphe et recommencez.</p><p><a class="fr-btn" href="/">Page d'accueil</a></p></main></body></html>`,
      );
  };
}
