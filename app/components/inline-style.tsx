/**
 * A page's own CSS, written as is. `<style>{css}</style>` would not do: React escapes the text on the
 * server (`"` becomes `&quot;`, `>` becomes `&gt;`), which the browser keeps verbatim inside a
 * style element, so the server's CSS is wrong and differs from the client's: React then throws
 * the server's page away while hydrating, and a click made meanwhile is lost.
 * Only constant CSS from our own code goes here, never data.
 */
export function InlineStyle({ css }: { css: string }) {
  if (/<\/style/i.test(css)) throw new Error("CSS en ligne : « </style » interdit");
  return <style dangerouslySetInnerHTML={{ __html: css }} />;
}
