/**
 * Document markup (a small, Markdown-like syntax a legal expert can read):
 *   # Titre / ## Article / ### Sous-titre / #### Intertitre en ligne (run into the next paragraph), blank line between paragraphs,
 *   « - » bullet items, | tables | with a |---| line under header rows, ::: centre … ::: blocks,
 *   **gras**, *italique*, [texte](https://…), <https://…>, ^[note de bas de page], \ escapes.
 * Values of placeholders arrive as sentinels \uE000n\uE001 and are inserted as literal text.
 */
import type { Align, Block, Run, TableBlock, TextRun } from "./document";

const SENTINEL = /\uE000(\d+)\uE001/g;

export function expandValues(s: string, values: readonly string[]): string {
  return s.replace(SENTINEL, (_, n) => values[Number(n)] ?? "");
}

/** Backslash, the value sentinel U+E000, « * », « ^ », « [ » and « < »: the characters that may start inline markup. */
const MARKUP_START = /[\\\uE000*^[<]/g;

/** Index of the bracket closing the one at `open`, or -1. */
function closing(src: string, open: number, o: string, c: string): number {
  let depth = 0;
  for (let k = open; k < src.length; k++) {
    if (src[k] === "\\") {
      k++;
      continue;
    }
    if (src[k] === o) depth++;
    else if (src[k] === c && --depth === 0) return k;
  }
  return -1;
}

/** Parses inline markup into runs. */
export function parseInline(src: string, values: readonly string[] = []): Run[] {
  const runs: Run[] = [];
  let bold = false;
  let italic = false;
  let buf = "";
  const flush = () => {
    if (!buf) return;
    const last = runs[runs.length - 1];
    if (last && last.kind === "text" && !!last.bold === bold && !!last.italic === italic && !last.href) last.text += buf;
    else runs.push({ kind: "text", text: buf, ...(bold ? { bold } : {}), ...(italic ? { italic } : {}) });
    buf = "";
  };
  let i = 0;
  const len = src.length;
  while (i < len) {
    // Plain text up to the next character that may start markup, appended in one slice.
    MARKUP_START.lastIndex = i;
    const j = MARKUP_START.test(src) ? MARKUP_START.lastIndex - 1 : len;
    if (j > i) {
      buf += src.slice(i, j);
      i = j;
      if (i === len) break;
    }
    const ch = src[i];
    if (ch === "\\" && i + 1 < src.length) {
      buf += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === "\uE000") {
      const end = src.indexOf("\uE001", i);
      buf += values[Number(src.slice(i + 1, end))] ?? "";
      i = end + 1;
      continue;
    }
    if (ch === "*" && src[i + 1] === "*") {
      // Toggle only when the marker is balanced; a lone « ** » stays text.
      if (bold || src.indexOf("**", i + 2) !== -1) {
        flush();
        bold = !bold;
        i += 2;
        continue;
      }
    } else if (ch === "*") {
      const closes = italic || (src[i + 1] !== " " && src.indexOf("*", i + 1) !== -1);
      if (closes) {
        flush();
        italic = !italic;
        i += 1;
        continue;
      }
    } else if (ch === "^" && src[i + 1] === "[") {
      const end = closing(src, i + 1, "[", "]");
      if (end !== -1) {
        flush();
        const inner = parseInline(src.slice(i + 2, end), values).filter((r): r is TextRun => r.kind === "text");
        runs.push({ kind: "footnote", runs: inner });
        i = end + 1;
        continue;
      }
    } else if (ch === "[") {
      const end = closing(src, i, "[", "]");
      if (end !== -1 && src[end + 1] === "(") {
        const close = closing(src, end + 1, "(", ")");
        if (close !== -1) {
          flush();
          const href = expandValues(src.slice(end + 2, close).trim(), values);
          for (const r of parseInline(src.slice(i + 1, end), values)) {
            if (r.kind !== "text") continue;
            const run: TextRun = { kind: "text", text: r.text };
            if (r.bold || bold) run.bold = true;
            if (r.italic || italic) run.italic = true;
            run.href = href;
            runs.push(run);
          }
          i = close + 1;
          continue;
        }
      }
    } else if (ch === "<") {
      const m = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/.exec(src.slice(i));
      if (m) {
        flush();
        const url = expandValues(m[1], values);
        runs.push({ kind: "text", text: url, href: url, ...(bold ? { bold } : {}), ...(italic ? { italic } : {}) });
        i += m[0].length;
        continue;
      }
    }
    buf += ch;
    i++;
  }
  flush();
  return runs;
}

function splitCells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && s[i + 1] === "|") {
      cur += "|";
      i++;
    } else if (s[i] === "|") {
      cells.push(cur.trim());
      cur = "";
    } else cur += s[i];
  }
  cells.push(cur.trim());
  return cells;
}

const ALIGN_WORDS: Record<string, Align> = { centre: "center", droite: "right", gauche: "left", justifie: "justify" };

/** Parses block markup. `inserted` holds blocks produced by directives (\uE002n\uE003 lines). */
export function parseMarkup(text: string, values: readonly string[] = [], inserted: Block[][] = []): Block[] {
  const blocks: Block[] = [];
  const lines = text.split(/\r?\n/);
  let para: string[] = [];
  let align: Align | undefined;
  const flushPara = () => {
    if (!para.length) return;
    const runs = parseInline(para.join(" "), values);
    if (runs.some((r) => r.kind === "footnote" || r.text.trim() !== "")) blocks.push({ type: "paragraph", runs, ...(align ? { align } : {}) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (!trimmed) {
      flushPara();
      continue;
    }
    const ins = /^\uE002(\d+)\uE003$/.exec(trimmed);
    if (ins) {
      flushPara();
      blocks.push(...(inserted[Number(ins[1])] ?? []));
      continue;
    }
    const fence = /^:::\s*(\w*)\s*$/.exec(trimmed);
    if (fence) {
      flushPara();
      align = fence[1] ? ALIGN_WORDS[fence[1]] : undefined;
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(trimmed);
    if (h) {
      flushPara();
      blocks.push({ type: "heading", level: h[1].length as 1 | 2 | 3 | 4, runs: parseInline(h[2], values) });
      continue;
    }
    if (/^[-*•]\s+/.test(trimmed) && !/^\*\*/.test(trimmed)) {
      flushPara();
      const items: string[][] = [];
      let j = i;
      while (j < lines.length) {
        const l = lines[j];
        const m = /^\s*[-*•]\s+(.*)$/.exec(l);
        if (m && !/^\s*\*\*/.test(l)) items.push([m[1]]);
        else if (/^\s{2,}\S/.test(l) && items.length) items[items.length - 1].push(l.trim());
        else if (!(!l.trim() && /^\s*[-*•]\s+/.test(lines[j + 1] ?? ""))) break; // a blank line between items keeps the list
        j++;
      }
      blocks.push({ type: "list", items: items.map((parts): Run[] => parseInline(parts.join(" "), values)) });
      i = j - 1;
      continue;
    }
    if (trimmed.startsWith("|")) {
      flushPara();
      const rows: string[][] = [];
      let headerCount = 0;
      let aligns: Align[] | undefined;
      let j = i;
      for (; j < lines.length && lines[j].trim().startsWith("|"); j++) {
        const cells = splitCells(lines[j]);
        if (cells.every((c) => /^:?-{3,}:?$/.test(c))) {
          headerCount = rows.length;
          aligns = cells.map((c) => (c.endsWith(":") ? (c.startsWith(":") ? "center" : "right") : "left"));
          continue;
        }
        rows.push(cells);
      }
      const parsed = rows.map((r) => r.map((c) => parseInline(c, values)));
      const table: TableBlock = { type: "table", header: parsed.slice(0, headerCount), rows: parsed.slice(headerCount), ...(aligns ? { aligns } : {}) };
      blocks.push(table);
      i = j - 1;
      continue;
    }
    para.push(trimmed);
  }
  flushPara();
  return blocks;
}
