/**
 * Tables of amounts, in the PDF and in the HTML preview alike. A right-aligned column whose body
 * cells are all numbers (« 150 000 », « 150 000 € », « 1 234,50 ») is a column of amounts (the
 * templates' `---:` marks amount columns): each of its cells reads « … € », and the table ends
 * with a « Total » row summing each such column. The total is added to a schedule (a table whose
 * top-left header cell is empty: « | | AE | CP | ») and to any table of amounts of two rows or
 * more — not to the single line an avenant adds or replaces (« | Année | AE | CP | », one row),
 * which is not a whole schedule. A table that already ends with « Total … » is left as it is.
 */
import { formatEuros } from "../../domain/convention";
import { runsToPlain, type Run, type TableBlock } from "../../templates/document";

const SPACES = /[\s\u00a0\u202f]/g;
const AMOUNT = /^(-?)(\d{1,3}(?:[\s\u00a0\u202f]\d{3})*|\d+)(?:,(\d{1,2}))?(?:[\s\u00a0\u202f]*€)?$/;

/** Cents of « 1 234 567,89 € » (the « € » optional), or null when the text is not an amount. */
export function parseEuros(text: string): number | null {
  const m = AMOUNT.exec(text.trim());
  if (!m) return null;
  const ent = Number(m[2].replace(SPACES, ""));
  const dec = m[3] ? Number(m[3].padEnd(2, "0")) : 0;
  return (m[1] ? -1 : 1) * (ent * 100 + dec);
}

const bold = (text: string): Run[] => [{ kind: "text", text, bold: true }];

/** `t` with « € » on its amounts and a total row when it is a table of amounts; `t` itself otherwise. */
export function withTotalRow(t: TableBlock): TableBlock {
  if (t.rows.length === 0) return t;
  const last = runsToPlain(t.rows[t.rows.length - 1][0] ?? []).trim();
  const hasTotal = /^total\b/i.test(last);
  const body = hasTotal ? t.rows.slice(0, -1) : t.rows;
  const cols = Math.max(0, ...t.rows.map((r) => r.length));
  const sums: (number | null)[] = [];
  for (let c = 0; c < cols; c++) {
    let sum: number | null = t.aligns?.[c] === "right" && c > 0 && body.length > 0 ? 0 : null;
    for (const r of body) {
      if (sum === null) break;
      const v = parseEuros(runsToPlain(r[c] ?? []));
      sum = v === null ? null : sum + v;
    }
    sums.push(sum);
  }
  if (!sums.some((s) => s !== null)) return t;
  // « € » on every amount that lacks it (amounts typed as text in the data).
  const euro = (row: Run[][]): Run[][] =>
    row.map((cell, c) => {
      if (sums[c] === null || /€\s*$/.test(runsToPlain(cell))) return cell;
      const v = parseEuros(runsToPlain(cell));
      return v === null ? cell : cell.length === 1 && cell[0].kind === "text" ? [{ ...cell[0], text: formatEuros(v / 100) }] : [...cell, { kind: "text", text: "\u00a0€" }];
    });
  const rows = t.rows.map(euro);
  const corner = runsToPlain(t.header[0]?.[0] ?? []).trim();
  if (hasTotal || !(body.length >= 2 || (t.header.length > 0 && corner === ""))) return { ...t, rows };
  const total = sums.map((s, c) => (c === 0 ? bold("Total") : s === null ? [] : bold(formatEuros(s / 100))));
  return { ...t, rows: [...rows, total] };
}
