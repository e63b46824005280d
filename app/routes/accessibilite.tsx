import type { MetaFunction } from "@remix-run/node";
import { Page } from "~/components/page";

export const meta: MetaFunction = () => [{ title: "Déclaration d'accessibilité — Paraphe" }];

/** The accessibility statement the DSFR footer links to (« Accessibilité : partiellement conforme »). */
export default function Accessibility() {
  return (
    <Page title="Déclaration d'accessibilité">
      <p>
        Les services du Premier ministre s'engagent à rendre leurs services numériques accessibles, conformément à l'article 47 de la loi n° 2005-102 du
        11 février 2005. Cette déclaration s'applique à Paraphe, le portail de signature des conventions de délégation de gestion.
      </p>
      <h2>État de conformité</h2>
      <p>
        Paraphe est <strong>partiellement conforme</strong> avec le référentiel général d'amélioration de l'accessibilité (RGAA) version 4.1 : aucun audit
        complet par un tiers n'a encore été réalisé.
      </p>
      <h2>Résultats des tests</h2>
      <p>
        Chaque page est vérifiée automatiquement à chaque modification du code, avec le moteur axe-core (règles WCAG 2.1 niveaux A et AA), dans les
        parcours de bout en bout du navigateur : connexion, tableau de bord, liste et rédaction des conventions, aperçu, circuit de signature, page de
        signature (bureau et téléphone de 390 pixels), transmission, « Actes reçus », délégations, administration, vérification d'un document et pages
        d'information. Résultat : aucune violation détectée par ces tests. Ces tests automatiques ne couvrent qu'une partie des critères du RGAA.
      </p>
      <h2>Contenus non accessibles</h2>
      <ul>
        <li>Les documents PDF signés sont des PDF balisés en cours d'amélioration : l'ordre de lecture des blocs de signature peut être imparfait.</li>
        <li>L'image de la page de signature est décorative : son contenu est donné en texte à côté (numéro de page, emplacements).</li>
      </ul>
      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le 2 décembre 2026, à partir des tests automatiques décrits ci-dessus.</p>
      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à l'équipe de Paraphe par l'intermédiaire de votre administrateur pour être
        orienté(e) vers une alternative accessible ou obtenir le contenu sous une autre forme.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité, que vous nous l'avez signalé et que
        vous n'avez pas obtenu de réponse satisfaisante, vous pouvez écrire au Défenseur des droits (formulaire en ligne, délégué de votre région, ou
        Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).
      </p>
    </Page>
  );
}
