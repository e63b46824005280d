import type { MetaFunction } from "@remix-run/node";
import { Page } from "~/components/page";

export const meta: MetaFunction = () => [{ title: "Données personnelles — Paraphe" }];

export default function PersonalData() {
  return (
    <Page title="Données personnelles">
      <p>
        Paraphe traite des données personnelles pour permettre la rédaction, la signature et la transmission des conventions de délégation de gestion
        (mission d'intérêt public, article 6-1-e du RGPD). Le responsable du traitement est l'administration qui exploite le portail.
      </p>
      <h2>Ce qui est conservé, et combien de temps</h2>
      <div className="fr-table">
        <table>
          <caption>Données conservées par Paraphe</caption>
          <thead>
            <tr>
              <th scope="col">Donnée</th>
              <th scope="col">Pourquoi</th>
              <th scope="col">Durée</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Nom, prénom, fonction, adresse électronique, organisation et rôles des personnes</td>
              <td>Se connecter, être invité(e) à signer, recevoir les actes</td>
              <td>Tant que le compte est actif ; un compte désactivé reste cité par les actes qu'il a signés</td>
            </tr>
            <tr>
              <td>E-mails envoyés (destinataire, objet, statut de délivrance)</td>
              <td>Prouver l'envoi des invitations, codes et transmissions</td>
              <td>Le corps des messages et leurs liens sont effacés dès la délivrance ; l'empreinte et le statut restent avec l'acte</td>
            </tr>
            <tr>
              <td>Adresses IP et navigateur lors de la connexion et des actions de signature</td>
              <td>Sécurité, preuve de la signature (journal d'audit et certificat de signature remis aux parties)</td>
              <td>Avec l'acte dans le journal d'audit ; le certificat transmis hors des parties (CBCM, destinataires ajoutés) ne contient pas d'adresse IP</td>
            </tr>
            <tr>
              <td>Journal d'audit (qui a fait quoi, quand, sur quel document)</td>
              <td>Preuve du circuit de signature, chaîné et horodaté</td>
              <td>Aussi longtemps que l'acte est conservé (archives publiques)</td>
            </tr>
            <tr>
              <td>Session de connexion</td>
              <td>Rester connecté(e)</td>
              <td>Jusqu'à la déconnexion ou l'expiration de la session</td>
            </tr>
          </tbody>
        </table>
      </div>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire rectifier ou demander la limitation de leur traitement auprès de l'administrateur de Paraphe de votre
        organisation. Vous pouvez aussi adresser une réclamation à la CNIL.
      </p>
    </Page>
  );
}
