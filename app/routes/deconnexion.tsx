import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionCookie, endSession } from "~/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  await endSession(request, context);
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookie(context) } });
}

export function loader() {
  return redirect("/");
}
