import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DATE_FORMAT_HINT, DateInput } from "./date-input";

const APP = path.resolve(__dirname, "..");
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx$/.test(f) && !/\.test\./.test(f) ? [p] : [];
  });
}

describe("dates are entered the same way on every form", () => {
  it("the DSFR date input, with one hint ending with the expected format", () => {
    const html = renderToStaticMarkup(createElement(DateInput, { label: "Date de fin", hint: "Vide : durée indéterminée.", nativeInputProps: { name: "dateFin", defaultValue: "2027-12-31" } }));
    expect(html).toMatch(/<input[^>]*type="date"/);
    expect(html).toContain('class="fr-input"');
    expect(html.match(/fr-hint-text/g)).toHaveLength(1);
    expect(html).toMatch(new RegExp(`Vide : durée indéterminée\\.\\s*(<!-- -->)?\\s*${DATE_FORMAT_HINT}`));
    const plain = renderToStaticMarkup(createElement(DateInput, { label: "Date", error: "La date est obligatoire", nativeInputProps: { name: "date" } }));
    expect(plain).toContain(DATE_FORMAT_HINT);
    expect(plain).toContain("fr-input-group--error");
    expect(plain).toContain("La date est obligatoire");
  });

  it("no form builds a date field of its own", () => {
    const own = sources(APP)
      .filter((f) => !f.endsWith(path.join("components", "date-input.tsx")))
      .flatMap((f) => {
        const text = readFileSync(f, "utf8");
        const found = [/type=["{]+date["}]+/, /type:\s*["']date["']/, /AAAA-MM-JJ/, /JJ\/MM\/AAAA/].filter((re) => re.test(text));
        return found.length ? [`${path.relative(APP, f)} (${found.join(", ")})`] : [];
      });
    expect(own).toEqual([]);
    // …and the forms that take a date do use it.
    const users = sources(APP).filter((f) => /<(DateInput|DateField)\b/.test(readFileSync(f, "utf8"))).map((f) => path.relative(APP, f));
    expect(users).toEqual(
      expect.arrayContaining([
        "components/avenant-form.tsx",
        "components/termination-form.tsx",
        "components/circuit-editor.tsx",
        "components/convention-form/identification.tsx",
        "components/convention-form/duree.tsx",
        "routes/delegations.tsx",
        "routes/conventions.$id_.depenses.tsx",
      ]),
    );
  });
});
