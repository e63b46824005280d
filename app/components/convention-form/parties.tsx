import { fr } from "@codegouvfr/react-dsfr";
import type { DraftData } from "~/domain/convention-draft";
import { Cell, Group, Section, SelectField, Text, type Errors } from "./fields";

type Partie = DraftData["delegant"];

/** How one party is named in the act: name, address, agreement, « ci-après dénommé(e) », representative. */
function PartieFields({ prefix, partie, errors }: { prefix: string; partie: Partie | undefined; errors: Errors }) {
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")} style={{ width: "100%" }}>
      <Cell md={6}>
        <Text name={`${prefix}.nom`} label="Nom de l'organisation" value={partie?.nom} errors={errors} hint="Tel qu'il figure dans l'acte : « Le Ministère de la Justice »" />
      </Cell>
      <Cell md={6}>
        <Text name={`${prefix}.adresse`} label="Adresse (facultative)" value={partie?.adresse} errors={errors} />
      </Cell>
      <Cell md={3}>
        <SelectField name={`${prefix}.genre`} label="Accord (genre)" hint="Vide : d'après l'article du nom" value={partie?.genre ?? ""} errors={errors}>
          <option value="">D'après l'article (« Le », « La », « Les »)</option>
          <option value="m">Masculin (« représenté »)</option>
          <option value="f">Féminin (« représentée »)</option>
        </SelectField>
      </Cell>
      <Cell md={3}>
        <SelectField name={`${prefix}.nombre`} label="Accord (nombre)" hint="Vide : d'après l'article du nom" value={partie?.nombre ?? ""} errors={errors}>
          <option value="">D'après l'article (« Les » : pluriel)</option>
          <option value="s">Singulier</option>
          <option value="p">Pluriel (« représentés »)</option>
        </SelectField>
      </Cell>
      <Cell md={4}>
        <Text
          name={`${prefix}.alias`}
          label="Ci-après dénommé(e)"
          hint="Une dénomination par ligne, par exemple « le délégataire » puis « la DINUM ». Écrite avec ses guillemets (le « délégataire »), elle est imprimée telle quelle."
          value={(partie?.alias ?? []).join("\n")}
          errors={errors}
          textArea
          rows={2}
        />
      </Cell>
      <Cell md={4}>
        <Text name={`${prefix}.representant.nom`} label="Représenté(e) par (nom, facultatif)" value={partie?.representant?.nom} errors={errors} />
      </Cell>
      <Cell md={4}>
        <Text
          name={`${prefix}.representant.fonction`}
          label="Fonction du représentant (facultative)"
          hint="Vide avec le nom : partie désignée par sa fonction, sans « Représenté par »"
          value={partie?.representant?.fonction}
          errors={errors}
        />
      </Cell>
    </div>
  );
}

/** The délégant, each délégataire, and their common designation. */
export function PartiesSection({ data, errors }: { data: DraftData; errors: Errors }) {
  const delegataires: any[] = data.delegataires ?? [];
  return (
    <Section id="parties" title="Parties" intro="Les organisations parties sont fixées à la création ; leur désignation dans l'acte se modifie ici.">
      <Group legend="Le délégant">
        <PartieFields prefix="delegant" partie={data.delegant} errors={errors} />
      </Group>
      {delegataires.map((d, i) => (
        <Group key={i} legend={delegataires.length > 1 ? `Délégataire ${i + 1}` : "Le délégataire"}>
          <PartieFields prefix={`delegataires[${i}]`} partie={d} errors={errors} />
        </Group>
      ))}
      <Text
        name="designationCommune"
        label="Désignation commune des délégataires (facultative)"
        hint="Une par ligne, par exemple « co-délégataires » : « ci-après désignés ensemble sous le terme de « co-délégataires » »"
        value={(data.designationCommune ?? []).join("\n")}
        errors={errors}
        textArea
        rows={2}
      />
    </Section>
  );
}
