import { Header } from "@codegouvfr/react-dsfr/Header";
import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { Display, headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { fr } from "@codegouvfr/react-dsfr";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "./components/nonce";
import { ErrorPage } from "./components/error-page";
import { navigationFor } from "./domain/roles";
import { getCurrentUser } from "./session.server";
import { cbcmEntriesOf } from "./services/list-received-acts.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/dsfr/dsfr.min.css" },
  { rel: "stylesheet", href: "/dsfr/utility/icons/icons.min.css" },
  { rel: "stylesheet", href: "/app.css" },
  { rel: "icon", href: "/dsfr/favicon/favicon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/dsfr/favicon/apple-touch-icon.png" },
];

export const meta: MetaFunction = () => [{ title: "Paraphe" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  const unreadAlerts = user
    ? Number(
        (await context.db.selectFrom("alerts").select((eb) => eb.fn.countAll<string>().as("n")).where("person_id", "=", user.id).where("read_at", "is", null).executeTakeFirstOrThrow()).n,
      )
    : 0;
  return {
    user: user && { name: `${user.first_name} ${user.last_name}`, roles: user.roles },
    unreadAlerts,
    // An address in the CBCM directory receives signed acts: « Actes reçus » (issue 13).
    receivesActs: user ? (await cbcmEntriesOf(context.db, user.email)).length > 0 : false,
    devMailbox: context.config.devMailbox,
  };
}

/** The footer's links, on every page and without account: the public register among them (issue 15). */
export const FOOTER_ITEMS = [
  { text: "Données personnelles", linkProps: { to: "/donnees-personnelles" } },
  { text: "Gestion des cookies", linkProps: { to: "/gestion-des-cookies" } },
  headerFooterDisplayItem,
  { text: "Vérifier un document signé", linkProps: { to: "/verifier" } },
  { text: "Registre public", linkProps: { to: "/registre" } },
];

function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const location = useLocation();
  const navigation = navigationFor(data?.user?.roles ?? null, { devMailbox: data?.devMailbox ?? false, receivesActs: data?.receivesActs ?? false }).map((item) => ({
    text: item.text,
    linkProps: { to: item.href },
    isActive: location.pathname === item.href || location.pathname.startsWith(item.href + "/"),
  }));
  const quickAccessItems = data?.user
    ? [
        <a key="alerts" className="fr-btn fr-icon-notification-3-line" href="/alertes">
          {data.unreadAlerts ? `Alertes (${data.unreadAlerts})` : "Alertes"}
        </a>,
        <span key="who" className="fr-btn fr-icon-account-circle-line" aria-label={`Connecté : ${data.user.name}`}>
          {data.user.name}
        </span>,
        <Form key="logout" method="post" action="/deconnexion">
          <button type="submit" className="fr-btn fr-icon-logout-box-r-line">
            Se déconnecter
          </button>
        </Form>,
      ]
    : [{ iconId: "fr-icon-lock-line" as const, linkProps: { to: "/connexion" }, text: "Se connecter" }];

  return (
    <html lang="fr" data-fr-scheme="light" data-fr-theme="light">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <SkipLinks
          links={[
            { anchor: "#contenu", label: "Contenu" },
            { anchor: "#fr-header-main-navigation", label: "Menu" },
            { anchor: "#pied-de-page", label: "Pied de page" },
          ]}
        />
        <Header
          brandTop={<>République<br />Française</>}
          serviceTitle="Paraphe"
          serviceTagline="Signature des conventions de délégation de gestion"
          homeLinkProps={{ to: "/", title: "Accueil — Paraphe" }}
          navigation={navigation}
          quickAccessItems={quickAccessItems}
        />
        <main id="contenu" role="main" tabIndex={-1} className={fr.cx("fr-container", "fr-pb-6w")}>
          {children}
        </main>
        <Footer
          id="pied-de-page"
          accessibility="partially compliant"
          contentDescription="Paraphe est le portail où les administrations rédigent, signent et transmettent leurs conventions de délégation de gestion (décret n° 2004-1085 du 14 octobre 2004)."
          accessibilityLinkProps={{ to: "/accessibilite" }}
          termsLinkProps={{ to: "/mentions-legales" }}
          bottomItems={FOOTER_ITEMS}
        />
        <Display />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Layout>
      <Outlet />
    </Layout>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : undefined;
  const location = useLocation();
  return (
    <Layout>
      <ErrorPage status={status} detail={detail} here={`${location.pathname}${location.search}`} />
    </Layout>
  );
}
