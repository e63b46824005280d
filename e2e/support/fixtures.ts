import { expect, test as base } from "@playwright/test";

export { expect };

// React errors that mean the server's HTML did not match the first client render (418, 423, 425)
// or that hydration failed otherwise. On a mismatch React throws the server's DOM away and renders
// the page again: a click made meanwhile is lost (a « Circuit enregistré. » never came in CI so).
const HYDRATION = /Minified React error #(418|419|421|422|423|425)\b|Hydration failed|did not match|while hydrating/i;

/** Every journey's page fails its test on a hydration error, with the address where it happened. */
export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && HYDRATION.test(message.text())) errors.push(`${page.url()} : ${message.text().slice(0, 300)}`);
    });
    page.on("pageerror", (error) => {
      if (HYDRATION.test(error.message)) errors.push(`${page.url()} : ${error.message.slice(0, 300)}`);
    });
    await use(page);
    expect(errors, "erreurs d'hydratation React").toEqual([]);
  },
});
