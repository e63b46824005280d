/** Pages reached by a secret in their address (sign-in link, download and receipt tokens) or for signing. */
const TOKEN_PAGES = /^\/(connexion\/lien|connexion\/proconnect|telechargement\/|accuse-reception\/|a-signer|conventions\/[^/]+\/signer)/;

/**
 * A response that no cache (browser history, shared proxy) may keep: one for a request that
 * carries cookies (a session, a sign-in in progress), one that sets a cookie, or a token page.
 */
export function mustNotBeStored(rawPath: string, cookieHeader: string | undefined, setsCookie: boolean): boolean {
  if (setsCookie || (cookieHeader && cookieHeader.trim())) return true;
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  return TOKEN_PAGES.test(path.toLowerCase());
}
