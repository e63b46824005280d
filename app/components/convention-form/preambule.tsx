import type { DraftData } from "~/domain/convention-draft";
import { MARKUP_HINT, Section, SelectField, Text, type Errors } from "./fields";

/** The préambule, and where « Il a été convenu ce qui suit : » goes when the template offers the choice. */
export function PreambuleSection({ data, errors, templateOptions }: { data: DraftData; errors: Errors; templateOptions?: string[] }) {
  return (
    <Section id="preambule" title="Préambule">
      <Text name="preambule" label="Texte du préambule (facultatif)" hint={MARKUP_HINT} value={data.preambule} errors={errors} textArea rows={10} />
      {!templateOptions || templateOptions.includes("positionPreambule") ? (
        <SelectField name="positionPreambule" label="« Il a été convenu ce qui suit : »" value={data.positionPreambule ?? "avant-convenu"} errors={errors}>
          <option value="avant-convenu">Après le préambule</option>
          <option value="apres-convenu">Avant le préambule</option>
        </SelectField>
      ) : null}
    </Section>
  );
}
