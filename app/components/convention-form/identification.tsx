import { fr } from "@codegouvfr/react-dsfr";
import type { DraftData } from "~/domain/convention-draft";
import { Col, DateField, Section, Text, type Errors } from "./fields";

/** Intitulé in Paraphe, title, references, publication, signature date of an act recorded afterwards, template. */
export function IdentificationSection({ data, intitule, errors, templateTitle }: { data: DraftData; intitule: string; errors: Errors; templateTitle?: string }) {
  return (
    <Section id="identification" title="Identification">
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <Col md={6}>
          <Text name="intitule" label="Intitulé dans Paraphe" hint="Pour retrouver ce dossier, par exemple « Incubateur de la Justice 2025 »" value={intitule} errors={errors} />
        </Col>
        <Col md={6}>
          <Text name="titre" label="Titre du document" hint="Imprimé en tête de la convention" value={data.titre} errors={errors} />
        </Col>
        <Col md={6}>
          <Text name="reference" label="Numéro de référence (facultatif)" value={data.reference} errors={errors} />
        </Col>
        <Col md={6}>
          <Text name="nor" label="NOR (facultatif)" hint="Format : PRMX2212345X" value={data.nor} errors={errors} />
        </Col>
        <Col md={6}>
          <Text
            name="publication"
            label="Référence de publication (facultative)"
            hint="Telle qu'imprimée, par exemple « JORF n° 0052 du 2 mars 2023 »"
            value={data.publication}
            errors={errors}
          />
        </Col>
        <Col md={6}>
          <DateField name="dateSignature" label="Date de signature (facultative)" hint="Pour un acte enregistré après sa signature." value={data.dateSignature} errors={errors} />
        </Col>
        <p className={fr.cx("fr-col-12", "fr-text--sm", "fr-mb-0")}>
          Modèle : {templateTitle ?? data.modele ?? "convention"}
          {data.modeleVersion ? ` (version ${data.modeleVersion})` : ""}
        </p>
      </div>
    </Section>
  );
}
