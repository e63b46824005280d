/**
 * Word-sequence similarity used to check rendered PDFs against a reference text:
 * 2·LCS / (|a| + |b|) over lowercase word tokens (letters and digits), like difflib's ratio.
 */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Longest common subsequence length (O(n·m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export function wordSimilarity(a: string, b: string): number {
  const ta = tokenize(a);
  const tb = tokenize(b);
  if (!ta.length && !tb.length) return 1;
  return (2 * lcsLength(ta, tb)) / (ta.length + tb.length);
}

/** Removes page decorations that the comparison ignores: « Page x / y » footers and the bloc-marque. */
export function stripPageDecorations(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^\s*Page \d+ \/ \d+\s*$/.test(l))
    .join("\n")
    .replace(/^\s*RÉPUBLIQUE\s+FRANÇAISE\s+(Réf\.[^\n]*\n\s*)?Liberté\s+Égalité\s+Fraternité/, "");
}

/** Removes the signature stamp lines of the reference (date/time/offset of the signing tool). */
export function stripSignatureStamps(text: string): string {
  return text.replace(/\d{4}\.\d{2}\.\d{2}\s+\d{2}:\d{2}:\d{2}\s+[+-]\d{2}'\d{2}'/g, "");
}

/**
 * The reference text is a Markdown export: `**gras**`, `<url>` and `[texte](cible)` where only
 * `texte` is printed. Keep what a reader sees.
 */
export function markdownToPrintedText(md: string): string {
  return md
    .replace(/\[((?:\\.|[^\]\\])*)\]\((?:[^()]|\([^)]*\))*\)/g, (_, t: string) => t.replace(/\\(.)/g, "$1"))
    .replace(/<((?:https?:|mailto:)[^>]+)>/g, "$1")
    .replace(/\*\*/g, "");
}

const FOOTNOTE_LINE = /^\s*[\u00b9\u00b2\u00b3\u2070-\u2079]+\s+\S.*$/;

/**
 * Footnote bodies sit at the bottom of whichever page holds their marker, so their place in the
 * extracted text depends on pagination. Split them out: the main flow is compared as a sequence,
 * the notes one by one.
 */
export function splitFootnotes(text: string): { body: string; notes: string[] } {
  const notes: string[] = [];
  const body = text
    .split("\n")
    .filter((l) => (FOOTNOTE_LINE.test(l) ? (notes.push(l.trim()), false) : true))
    .join("\n");
  return { body, notes };
}
