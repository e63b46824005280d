import type { LoaderFunctionArgs } from "@remix-run/node";
import { serveCircuitDocument } from "~/services/serve-circuit-document.server";

/** No component: a PDF of the signature circuit, access-checked like the convention's page. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return serveCircuitDocument(request, context, params.id ?? "", "a-signer");
}
