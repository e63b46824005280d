import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getCurrentUser, safeRedirectPath } from "~/session.server";
import { ProConnectError, proConnectNoticeCookie, startProConnect } from "~/services/proconnect.server";
import { forLog } from "~/http/log.server";

/**
 * « S'identifier avec ProConnect »: a plain link (GET), so the browser follows the redirect to the
 * provider (a form POST redirected to another origin would be blocked by our CSP form-action).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const retour = safeRedirectPath(new URL(request.url).searchParams.get("retour"), context.config.publicUrl);
  if (!context.config.proconnect) throw new Response("La connexion avec ProConnect n'est pas activée sur ce portail.", { status: 404 });
  if (await getCurrentUser(request, context)) throw redirect(retour);
  try {
    const { url, setCookie } = await startProConnect(context.config, { retour });
    return redirect(url, { headers: { "Set-Cookie": setCookie, "Cache-Control": "no-store" } });
  } catch (error) {
    if (!(error instanceof ProConnectError)) throw error;
    console.warn(`[proconnect] départ impossible : ${forLog(error.reason)} (${context.clientIp ?? "ip inconnue"})`);
    return redirect(`/connexion${retour !== "/tableau-de-bord" ? `?retour=${encodeURIComponent(retour)}` : ""}`, {
      headers: { "Set-Cookie": proConnectNoticeCookie(context.config, error) },
    });
  }
}
