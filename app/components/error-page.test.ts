import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ErrorPage } from "./error-page";

const ID = "0b6d7a3e-5c1f-4e8a-9d2b-7f3c1a2e4b5d";
const render = (status: number, here?: string, detail?: string) => renderToStaticMarkup(createElement(ErrorPage, { status, here, detail }));

describe("the 409 page", () => {
  it("says what happened and what to do, with a reload button and the way back to the act", () => {
    const html = render(409, `/conventions/${ID}/modifier`, "Le circuit de signature est lancé : le document est figé.");
    expect(html).toContain("<h1>Cette convention a changé</h1>");
    expect(html).toContain("Erreur 409");
    expect(html).toContain("Le circuit de signature est lancé : le document est figé.");
    expect(html).toContain("Cette convention a changé pendant que vous la consultiez ou la modifiiez");
    expect(html).toContain("Rechargez la page");
    expect(html).toContain(`href="/conventions/${ID}/modifier">Recharger la page</a>`);
    expect(html).toContain(`href="/conventions/${ID}">Retour à la convention</a>`);
    expect(html).not.toContain("Requête invalide");
  });

  it("outside a convention, goes back to the list", () => {
    expect(render(409, "/autre")).toContain('href="/conventions">Retour aux conventions</a>');
  });

  it("other errors keep the home button", () => {
    const html = render(404, "/x");
    expect(html).toContain("Page non trouvée");
    expect(html).toContain(">Page d&#x27;accueil</a>");
    expect(html).not.toContain("Recharger la page");
  });
});
