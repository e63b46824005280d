import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { CircuitStyles } from "./circuit-document";
import { InlineStyle } from "./inline-style";

describe("a page's own CSS", () => {
  it("reaches the browser as written: quotes and child selectors are not turned into entities", () => {
    const html = renderToString(createElement(InlineStyle, { css: `a>b::before{content:" : "}` }));
    expect(html).toBe(`<style>a>b::before{content:" : "}</style>`);
  });

  it("the circuit's stacked rows keep their « : » label (what made React discard the circuit page while hydrating)", () => {
    const html = renderToString(createElement(CircuitStyles));
    expect(html).toContain(`content:attr(data-label) " : "`);
    expect(html).not.toMatch(/&quot;|&gt;|&amp;|&#x27;/);
  });

  it("refuses CSS that would close its element", () => {
    expect(() => renderToString(createElement(InlineStyle, { css: "a{}</style><script>" }))).toThrow(/interdit/);
  });
});
