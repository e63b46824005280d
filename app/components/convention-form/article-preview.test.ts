import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normaliseDraft } from "~/domain/convention-draft";
import { previewData, renderArticlePreview } from "./article-preview";

const reference = JSON.parse(readFileSync(new URL("../../../templates/examples/convention-justice-dinum-2022.json", import.meta.url), "utf8"));

describe("article preview", () => {
  it("shows an article as it prints: its heading, and fields as the draft's values", () => {
    const data = previewData(normaliseDraft(reference));
    const result = renderArticlePreview(data, 4, "Dispositions financières", "Crédits de l'UO **{{ financement.uo }}** jusqu'au {{ dateFin | date }} ; article {{ article.numero }}.");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.html).toContain(`<strong>${reference.financement.uo}</strong>`);
    expect(result.html).toMatch(/28\u00a0février\u00a02023|28 février 2023/);
    expect(result.html).toMatch(/article\s5\./);
    expect(result.html).toMatch(/<h2[^>]*>Article 5\s?: Dispositions financières<\/h2>/);
  });

  it("keeps a typed value as text, never markup", () => {
    const data = previewData(normaliseDraft({ ...reference, lieuSignature: "<script>alert(1)</script> **gras**" }));
    const result = renderArticlePreview(data, 0, "Objet", "Fait à {{ lieuSignature }}");
    expect(result.ok && result.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; **gras**");
  });

  it("says in French where a text cannot be read, instead of failing", () => {
    const data = previewData(normaliseDraft(reference));
    expect(renderArticlePreview(data, 0, "Objet", "ligne un\n{{ financement.inconnu }}")).toEqual({ ok: false, message: "Ligne 2 : champ inconnu (financement.inconnu)" });
    expect(renderArticlePreview(data, 0, "Objet", "{% si dateFin %}sans fin")).toMatchObject({ ok: false, message: expect.stringMatching(/^Ligne 1 : « si » sans « fin »/) });
  });

  it("follows the draft's numbering", () => {
    const data = previewData(normaliseDraft({ ...reference, numerotation: "article-er" }));
    const result = renderArticlePreview(data, 0, "Objet", "Texte.");
    expect(result.ok && result.html).toMatch(/Article 1er – Objet/);
  });
});
