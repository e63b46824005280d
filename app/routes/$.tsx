/** Any unknown address: the DSFR 404 page, through the root ErrorBoundary. */
export function loader() {
  throw new Response("Page non trouvée", { status: 404 });
}

export default function NotFound() {
  return null;
}
