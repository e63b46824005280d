import { OPEN_DATA_SCHEMA } from "~/services/export-open-data.server";

/** No component, no account: the Table Schema of the open data (templates/schema-conventions.json). */
export function loader() {
  return new Response(`${JSON.stringify(OPEN_DATA_SCHEMA, null, 2)}\n`, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" },
  });
}
