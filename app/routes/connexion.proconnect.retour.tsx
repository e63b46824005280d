import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { commitSessionCookie, requestMeta, safeRedirectPath } from "~/session.server";
import { clearProConnectFlowCookie, finishProConnect, ProConnectError, proConnectNoticeCookie } from "~/services/proconnect.server";
import { forLog } from "~/http/log.server";

/**
 * The provider's redirect_uri (`${PUBLIC_URL}/connexion/proconnect/retour`). A GET: the browser
 * arrives here from the provider's site, and cross-site POSTs are refused by our CSRF middleware.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!context.config.proconnect) throw new Response("La connexion avec ProConnect n'est pas activée sur ce portail.", { status: 404 });
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", clearProConnectFlowCookie(context.config));
  try {
    const result = await finishProConnect(context.db, context.config, {
      search: new URL(request.url).searchParams,
      cookieHeader: request.headers.get("Cookie"),
      ...requestMeta(request, context),
    });
    headers.append("Set-Cookie", await commitSessionCookie(context, result.sessionToken));
    console.info(`[proconnect] connexion de ${result.personId} (${context.clientIp ?? "ip inconnue"})`);
    return redirect(safeRedirectPath(result.retour, context.config.publicUrl), { headers });
  } catch (error) {
    if (!(error instanceof ProConnectError)) throw error;
    console.warn(`[proconnect] connexion refusée : ${forLog(error.reason)} (${context.clientIp ?? "ip inconnue"})`);
    headers.append("Set-Cookie", proConnectNoticeCookie(context.config, error));
    return redirect("/connexion", { headers });
  }
}
