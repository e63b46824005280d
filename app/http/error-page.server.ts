import type { Response } from "express";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A French DSFR page for the answers given before Remix (or instead of it): refused requests and
 * errors. Never a stack trace: the details stay in the server's log.
 */
export function errorPageHtml(status: number, title: string, message: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — Paraphe</title><link rel="stylesheet" href="/dsfr/dsfr.min.css"></head><body><main class="fr-container fr-my-7w" role="main"><h1>${escapeHtml(title)}</h1><p class="fr-text--sm">Erreur ${status}</p><p>${escapeHtml(message)}</p><p><a class="fr-btn" href="/">Page d'accueil</a></p></main></body></html>`;
}

export function sendErrorPage(res: Response, status: number, title: string, message: string) {
  res.status(status).set("Cache-Control", "no-store").type("text/html; charset=utf-8").send(errorPageHtml(status, title, message));
}
