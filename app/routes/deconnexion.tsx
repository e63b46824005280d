import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { proConnectLogoutUrl } from "~/services/proconnect.server";
import { clearSessionCookie, endSession } from "~/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const { idToken } = await endSession(request, context);
  const headers = { "Set-Cookie": await clearSessionCookie(context) };
  // Signed in with ProConnect: the provider's session ends too, then the browser comes back home.
  const providerLogout = idToken ? await proConnectLogoutUrl(context.config, idToken) : null;
  return redirect(providerLogout ?? "/", { headers });
}

export function loader() {
  return redirect("/");
}
