import { NUMEROTATIONS } from "~/domain/convention";
import type { DraftData } from "~/domain/convention-draft";
import { ArticlePreview, PREVIEW_CSS, TemplateHelp } from "./article-preview";
import { AddButton, Cell, Group, ItemControls, MARKUP_HINT, Section, SelectField, Text, type Errors } from "./fields";
import { InlineStyle } from "~/components/inline-style";

const NUMEROTATION_LABELS: Record<(typeof NUMEROTATIONS)[number], string> = {
  "article-deux-points": "« Article 1 : Titre »",
  "article-er": "« Article 1er – Titre »",
  decimale: "« 1. Titre »",
  "article-er-ligne": "« Article 1er », puis le TITRE sur sa propre ligne",
};

/**
 * The convention's own copy of the articles: numbering, then each article's title and text with,
 * beside the text, a live preview where fields appear as the draft's values.
 */
export function ArticlesSection({ data, errors, live }: { data: DraftData; errors: Errors; live: Record<string, unknown> }) {
  const liveArticles = (live.articles as { titre?: string; corps?: string }[] | undefined) ?? [];
  return (
    <Section id="articles" title="Articles" intro="Chaque convention garde sa propre copie du texte des articles : les modifier ne change pas le modèle.">
      <InlineStyle css={PREVIEW_CSS} />
      <SelectField name="numerotation" label="Numérotation des articles" value={data.numerotation ?? "article-deux-points"} errors={errors}>
        {NUMEROTATIONS.map((n) => (
          <option key={n} value={n}>
            {NUMEROTATION_LABELS[n]}
          </option>
        ))}
      </SelectField>
      <TemplateHelp data={live} />
      {(data.articles ?? []).map((a: any, i: number, all: any[]) => (
        <Group key={i} legend={`Article ${i + 1}`}>
          <Cell>
            <Text name={`articles[${i}].titre`} label="Titre de l'article" value={a.titre} errors={errors} />
          </Cell>
          <Cell md={6}>
            <Text name={`articles[${i}].corps`} label="Texte de l'article" hint={i === 0 ? MARKUP_HINT : undefined} value={a.corps} errors={errors} textArea rows={12} />
          </Cell>
          <Cell md={6}>
            <ArticlePreview index={i} data={live} titre={liveArticles[i]?.titre ?? a.titre ?? ""} corps={liveArticles[i]?.corps ?? a.corps ?? ""} />
          </Cell>
          <Cell>
            <ItemControls path="articles" index={i} count={all.length} noun="l'article" />
          </Cell>
        </Group>
      ))}
      <AddButton path="articles">Ajouter un article</AddButton>
    </Section>
  );
}
