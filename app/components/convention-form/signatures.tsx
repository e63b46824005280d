import type { DraftData } from "~/domain/convention-draft";
import { AddButton, Cell, Group, ItemControls, Section, SelectField, Text, type Errors } from "./fields";

/** One signature block per signatory, in the circuit's order. */
export function SignaturesSection({ data, errors }: { data: DraftData; errors: Errors }) {
  const delegataires: any[] = data.delegataires ?? [];
  return (
    <Section id="signatures" title="Blocs de signature" intro="Un bloc par signataire, dans l'ordre du circuit : délégant d'abord, délégataire ensuite.">
      {(data.signatures ?? []).map((s: any, i: number, all: any[]) => (
        <Group key={i} legend={`Signataire ${i + 1}`}>
          <Cell md={6}>
            <SelectField name={`signatures[${i}].partie`} label="Partie" value={s.partie === "delegataire" ? `delegataire:${s.indexDelegataire ?? 0}` : "delegant"} errors={errors}>
              <option value="delegant">Délégant — {data.delegant?.nom || "sans nom"}</option>
              {delegataires.map((d, j) => (
                <option key={j} value={`delegataire:${j}`}>
                  Délégataire{delegataires.length > 1 ? ` ${j + 1}` : ""} — {d.nom || "sans nom"}
                </option>
              ))}
            </SelectField>
          </Cell>
          <Cell md={6}>
            <Text name={`signatures[${i}].libelle`} label="Libellé imprimé au-dessus de la signature" hint="Par exemple « Le Ministère de la Justice, »" value={s.libelle} errors={errors} />
          </Cell>
          <Cell md={4}>
            <Text name={`signatures[${i}].nom`} label="Nom du signataire" value={s.nom} errors={errors} />
          </Cell>
          <Cell md={4}>
            <Text name={`signatures[${i}].fonction`} label="Fonction (facultative)" value={s.fonction} errors={errors} />
          </Cell>
          <Cell md={4}>
            <Text name={`signatures[${i}].email`} label="Adresse électronique (facultative)" type="email" value={s.email} errors={errors} inputMode="email" />
          </Cell>
          <Cell>
            <ItemControls path="signatures" index={i} count={all.length} noun="le signataire" />
          </Cell>
        </Group>
      ))}
      <AddButton path="signatures">Ajouter un bloc de signature</AddButton>
    </Section>
  );
}
