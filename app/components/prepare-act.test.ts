import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { ConventionInForce, PrepareActRefusal } from "./prepare-act";

const ID = "0b6d7a3e-5c1f-4e8a-9d2b-7f3c1a2e4b5d";
const inRouter = (element: ReturnType<typeof createElement>) =>
  renderToStaticMarkup(createElement(RouterProvider, { router: createMemoryRouter([{ path: "/", element }]) }));

describe("preparing an act on a convention", () => {
  it("a refusal says why and links the act already in preparation", () => {
    const html = inRouter(
      createElement(PrepareActRefusal, { title: "Avenant impossible", answer: { error: "Un avenant est déjà en préparation.", existingId: ID }, openLabel: "Ouvrir l'avenant en préparation" }),
    );
    expect(html).toContain("Avenant impossible");
    expect(html).toContain("Un avenant est déjà en préparation.");
    expect(html).toContain(`href="/conventions/${ID}"`);
    expect(html).toContain("Ouvrir l&#x27;avenant en préparation");
  });

  it("no refusal, no alert; a refusal without an act in preparation has no link", () => {
    expect(inRouter(createElement(PrepareActRefusal, { title: "Avenant impossible", openLabel: "x" }))).toBe("");
    expect(inRouter(createElement(PrepareActRefusal, { title: "Résiliation impossible", answer: { error: "La convention est expirée.", existingId: null }, openLabel: "x" }))).not.toContain("href=");
  });

  it("the convention: title, status and last day in force", () => {
    const html = renderToStaticMarkup(createElement(ConventionInForce, { title: "Incubateur", status: "en_vigueur", endsOn: "2027-12-31" }));
    expect(html).toContain("Incubateur");
    expect(html).toContain("En vigueur jusqu&#x27;au 31 décembre 2027.");
  });
});
