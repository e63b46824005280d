import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { fieldId, montantInput, type DraftData } from "~/domain/convention-draft";
import { AddButton, Cell, Group, ItemControls, Row, Section, Text, type Errors } from "./fields";

/** One amount of a schedule year (AE or CP), its label read in full by a screen reader. */
function Montant({ i, annee, kind, value, errors }: { i: number; annee: unknown; kind: "ae" | "cp"; value: unknown; errors: Errors }) {
  return (
    <Text
      name={`financement.echeancier[${i}].${kind}`}
      label={
        <>
          {kind === "ae" ? "AE" : "CP"}
          <span className={fr.cx("fr-sr-only")}>
            {" "}
            {String(annee ?? "")} ({kind === "ae" ? "autorisations d'engagement" : "crédits de paiement"})
          </span>
        </>
      }
      hint="Ex. : 150 000"
      value={montantInput(value)}
      errors={errors}
      inputMode="decimal"
    />
  );
}

/** UO, the schedule year by year, the Chorus references and activities. */
export function FinancementSection({ data, errors }: { data: DraftData; errors: Errors }) {
  const f = data.financement ?? {};
  const ch = f.chorus ?? {};
  return (
    <Section id="financement" title="Partie financière" intro="Facultative : laissée vide, la convention ne comporte ni UO, ni échéancier, ni références Chorus (selon le modèle).">
      {errors["financement.echeancier"] ? (
        <div id={fieldId("financement.echeancier")} tabIndex={-1}>
          <Alert small severity="error" description={errors["financement.echeancier"]} className={fr.cx("fr-mb-2w")} />
        </div>
      ) : null}
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <Text name="financement.uo" label="Unité opérationnelle (UO)" hint="Format : 0310-SGAL-SSIC" value={f.uo} errors={errors} />
        </div>
      </div>
      <Group legend="Échéancier prévisionnel (montants en euros)">
        {(f.echeancier ?? []).map((e: any, i: number, all: any[]) => (
          <Row key={i}>
            <Cell md={3}>
              <Text
                name={`financement.echeancier[${i}].annee`}
                label={
                  <>
                    Année
                    <span className={fr.cx("fr-sr-only")}> (ligne {i + 1})</span>
                  </>
                }
                value={e.annee}
                errors={errors}
                inputMode="numeric"
              />
            </Cell>
            <Cell md={3}>
              <Montant i={i} annee={e.annee} kind="ae" value={e.ae} errors={errors} />
            </Cell>
            <Cell md={3}>
              <Montant i={i} annee={e.annee} kind="cp" value={e.cp} errors={errors} />
            </Cell>
            <Cell md={3}>
              <ItemControls path="financement.echeancier" index={i} count={all.length} noun="l'année de la ligne" />
            </Cell>
          </Row>
        ))}
        <Cell>
          <AddButton path="financement.echeancier">Ajouter une année</AddButton>
        </Cell>
      </Group>
      <Group legend="Références Chorus">
        <Cell md={4}>
          <Text name="financement.chorus.axeMinisteriel" label="Axe ministériel 1 (facultatif)" value={ch.axeMinisteriel} errors={errors} />
        </Cell>
        <Cell md={4}>
          <Text name="financement.chorus.domaineFonctionnel" label="Domaine fonctionnel" hint="Format : 0310-09-03" value={ch.domaineFonctionnel} errors={errors} />
        </Cell>
        <Cell md={4}>
          <Text name="financement.chorus.centreFinancier" label="Centre financier" hint="Format : 0310-SGAL-SSIC" value={ch.centreFinancier} errors={errors} />
        </Cell>
        <Cell md={4}>
          <Text name="financement.chorus.centreDeCout" label="Centre de coût" hint="10 caractères, par exemple SEGSSMM075" value={ch.centreDeCout} errors={errors} />
        </Cell>
        {(ch.activites ?? []).map((a: any, i: number, all: any[]) => (
          <Row key={i}>
            <Cell md={4}>
              <Text name={`financement.chorus.activites[${i}].code`} label={`Activité ${i + 1} : code`} hint="Format : 0310ACAE0701" value={a.code} errors={errors} />
            </Cell>
            <Cell md={4}>
              <Text name={`financement.chorus.activites[${i}].libelle`} label={`Activité ${i + 1} : libellé`} value={a.libelle} errors={errors} />
            </Cell>
            <Cell md={4}>
              <ItemControls path="financement.chorus.activites" index={i} count={all.length} noun="l'activité" />
            </Cell>
          </Row>
        ))}
        <Cell>
          <AddButton path="financement.chorus.activites">Ajouter une activité</AddButton>
        </Cell>
      </Group>
    </Section>
  );
}
