import type { MetaFunction } from "@remix-run/node";
import { Page } from "~/components/page";

export const meta: MetaFunction = () => [{ title: "Mentions légales — Paraphe" }];

export default function LegalNotice() {
  return (
    <Page title="Mentions légales">
      <h2>Éditeur</h2>
      <p>
        Paraphe est édité par la Direction interministérielle du numérique (DINUM), 20 avenue de Ségur, 75007 Paris, pour les administrations parties
        aux conventions de délégation de gestion (décret n° 2004-1085 du 14 octobre 2004).
      </p>
      <h2>Directeur de la publication</h2>
      <p>La directrice interministérielle du numérique.</p>
      <h2>Hébergement</h2>
      <p>Le portail est hébergé sur l'infrastructure choisie par l'administration qui l'exploite ; elle est indiquée par votre administrateur.</p>
      <h2>Valeur des documents</h2>
      <p>
        Les actes signés dans Paraphe portent des signatures électroniques au format PAdES, horodatées. Un document peut être vérifié par toute personne
        sur la page « Vérifier un document signé ». Un brouillon porte la mention « PROJET — document non signé » et n'a aucune valeur d'engagement.
      </p>
      <h2>Code source et licence</h2>
      <p>Les contenus éditoriaux du portail sont publiés sous licence ouverte Etalab 2.0.</p>
    </Page>
  );
}
