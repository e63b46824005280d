import { fr } from "@codegouvfr/react-dsfr";
import type { DraftData } from "~/domain/convention-draft";
import { AddButton, ItemControls, Section, Text, type Errors } from "./fields";

/** The texts cited (« Vu … »), in print order. */
export function VisasSection({ data, errors }: { data: DraftData; errors: Errors }) {
  return (
    <Section id="visas" title="Visas" intro="Les textes visés (« Vu … »), dans l'ordre où ils sont imprimés.">
      {(data.visas ?? []).map((v: string, i: number, all: string[]) => (
        <div key={i} className={fr.cx("fr-mb-2w")}>
          <Text name={`visas[${i}]`} label={`Visa ${i + 1}`} value={v} errors={errors} textArea rows={2} />
          <ItemControls path="visas" index={i} count={all.length} noun="le visa" />
        </div>
      ))}
      <AddButton path="visas">Ajouter un visa</AddButton>
    </Section>
  );
}
