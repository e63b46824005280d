import type { MetaFunction } from "@remix-run/node";
import { Page } from "~/components/page";

export const meta: MetaFunction = () => [{ title: "Gestion des cookies — Paraphe" }];

export default function Cookies() {
  return (
    <Page title="Gestion des cookies">
      <p>
        Paraphe ne dépose <strong>aucun cookie de mesure d'audience ni de publicité</strong> : il n'y a donc rien à accepter ou refuser.
      </p>
      <p>
        Un seul cookie est déposé, quand vous vous connectez : le <strong>cookie de session</strong>, strictement nécessaire pour vous garder connecté(e).
        Il ne contient qu'un identifiant aléatoire, n'est lisible que par Paraphe (HttpOnly, SameSite) et disparaît à la déconnexion ou à l'expiration de
        la session.
      </p>
      <p>
        Vos préférences d'affichage (thème clair ou sombre, « Paramètres d'affichage ») sont gardées dans le stockage local de votre navigateur, jamais
        envoyées au serveur.
      </p>
    </Page>
  );
}
