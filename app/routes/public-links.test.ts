/**
 * The public register (/registre) is reachable without account: from the home page and from the
 * footer of every page (issue 15).
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { setLink } from "@codegouvfr/react-dsfr/link";
import { Link } from "@remix-run/react";
import { FOOTER_ITEMS } from "../root";
import Home from "./_index";

// As app/entry.server.tsx: DSFR links are Remix links.
setLink({ Link: Link as never });

describe("links to the public register", () => {
  it("the home page has a « Registre public » link to /registre", () => {
    const html = renderToString(createElement(StaticRouter, { location: "/" }, createElement(Home)));
    expect(html).toMatch(/<a [^>]*href="\/registre"[^>]*>Registre public<\/a>/);
  });

  it("the footer of every page has a « Registre public » link to /registre", () => {
    expect(FOOTER_ITEMS).toContainEqual({ text: "Registre public", linkProps: { to: "/registre" } });
    const html = renderToString(
      createElement(
        StaticRouter,
        { location: "/" },
        createElement(Footer, { accessibility: "partially compliant", brandTop: "République Française", homeLinkProps: { href: "/", title: "Accueil" }, bottomItems: FOOTER_ITEMS }),
      ),
    );
    expect(html).toMatch(/<a [^>]*href="\/registre"[^>]*>Registre public<\/a>/);
  });
});
