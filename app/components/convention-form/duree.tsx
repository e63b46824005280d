import { fr } from "@codegouvfr/react-dsfr";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import type { DraftData } from "~/domain/convention-draft";
import { Col, DateField, Section, SelectField, Text, type Errors } from "./fields";

/** Services concerned, when it takes effect and ends, renewal, notice, place of signature. */
export function DureeSection({ data, errors }: { data: DraftData; errors: Errors }) {
  return (
    <Section id="duree" title="Services, durée et signature">
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <Col>
          <Text name="services" label="Services numériques concernés" hint="Un service par ligne" value={(data.services ?? []).join("\n")} errors={errors} textArea rows={3} />
        </Col>
        <Col md={4}>
          <SelectField name="debut.regle" label="Prise d'effet" value={data.debut?.regle ?? "signature"}>
            <option value="signature">À la date de signature</option>
            <option value="date">À une date fixée</option>
          </SelectField>
        </Col>
        <Col md={4}>
          <DateField name="debut.date" label="Date de prise d'effet (si fixée)" value={data.debut?.date} errors={errors} />
        </Col>
        <Col md={4}>
          <DateField name="dateFin" label="Date de fin (facultative)" hint="Vide : durée indéterminée." value={data.dateFin} errors={errors} />
        </Col>
        <Col md={4}>
          <Checkbox
            options={[
              {
                label: "Reconduction tacite",
                hintText: "Le modèle l'imprime après la date de fin",
                // No id of ours: react-dsfr ties the label to the id it generates.
                nativeInputProps: { name: "reconductionTacite", value: "on", defaultChecked: data.reconductionTacite === true },
              },
            ]}
          />
        </Col>
        <Col md={4}>
          <Text name="preavisMois" label="Préavis de résiliation (mois)" hint="3 mois en général" value={data.preavisMois} errors={errors} inputMode="numeric" />
        </Col>
        <Col md={4}>
          <Text name="lieuSignature" label="Lieu de signature" value={data.lieuSignature} errors={errors} />
        </Col>
      </div>
    </Section>
  );
}
