import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportOpenData } from "~/services/export-open-data.server";

/** No component, no account: the open data (one row per publishable signed act), schema at /donnees/schema.json. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { body, sha256 } = await exportOpenData(context.db, context.config.publicUrl, "json");
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": 'inline; filename="conventions-delegation-gestion.json"',
      "Cache-Control": "public, max-age=60",
      ETag: `"${sha256}"`,
      "Access-Control-Allow-Origin": "*",
    },
  });
}
