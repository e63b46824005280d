import type { DraftData } from "~/domain/convention-draft";
import { AddButton, Cell, Group, ItemControls, MARKUP_HINT, Section, Text, type Errors } from "./fields";

/** Annexes, each on a new page. */
export function AnnexesSection({ data, errors }: { data: DraftData; errors: Errors }) {
  return (
    <Section id="annexes" title="Annexes" intro="Chaque annexe commence sur une nouvelle page.">
      {(data.annexes ?? []).map((a: any, i: number, all: any[]) => (
        <Group key={i} legend={`Annexe ${i + 1}`}>
          <Cell>
            <Text name={`annexes[${i}].titre`} label="Titre de l'annexe" value={a.titre} errors={errors} />
          </Cell>
          <Cell>
            <Text name={`annexes[${i}].corps`} label="Texte de l'annexe" hint={MARKUP_HINT} value={a.corps} errors={errors} textArea rows={6} />
          </Cell>
          <Cell>
            <ItemControls path="annexes" index={i} count={all.length} noun="l'annexe" />
          </Cell>
        </Group>
      ))}
      <AddButton path="annexes">Ajouter une annexe</AddButton>
    </Section>
  );
}
