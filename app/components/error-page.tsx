import { fr } from "@codegouvfr/react-dsfr";

const PAGES: Record<number, { title: string; text: string }> = {
  400: { title: "Requête invalide", text: "La demande envoyée n'a pas pu être comprise. Revenez à la page précédente et réessayez." },
  403: { title: "Accès refusé", text: "Vous n'avez pas les droits nécessaires pour accéder à cette page." },
  404: {
    title: "Page non trouvée",
   
    text: "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée. Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. La page n'est peut-être plus disponible.",
  },
  // A conflict: the act changed under the person (another save, a circuit launched, a signature).
  409: {
    title: "Cette convention a changé",
    text: "Cette convention a changé pendant que vous la consultiez ou la modifiiez (un autre enregistrement, un circuit de signature lancé ou une signature), et cette action n'est plus possible dans son état actuel. Rechargez la page pour voir son état actuel, puis recommencez si l'action a encore lieu d'être.",
  },
  500: {
    title: "Erreur inattendue",
   
    text: "Désolé, le service rencontre un problème, nous travaillons pour le résoudre le plus rapidement possible. Essayez de rafraîchir la page ou bien réessayez plus tard.",
  },
};

/**
 * The DSFR error page template ("Page d'erreur"). `here` (the page's own address) gives a 409 its
 * « Recharger la page » button and the way back to the conventions.
 */
export function ErrorPage({ status, detail, here }: { status: number; detail?: string; here?: string }) {
  const page = PAGES[status] ?? PAGES[status >= 500 ? 500 : 400];
  return (
    <div className={fr.cx("fr-my-7w", "fr-mt-md-12w", "fr-mb-md-10w", "fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--middle", "fr-grid-row--center")}>
      <div className={fr.cx("fr-py-0", "fr-col-12", "fr-col-md-6")}>
        <h1>{page.title}</h1>
        <p className={fr.cx("fr-text--sm", "fr-mb-3w")}>Erreur {status}</p>
        {detail && status < 500 ? <p className={fr.cx("fr-text--lead", "fr-mb-3w")}>{detail}</p> : null}
        <p className={fr.cx("fr-text--sm", "fr-mb-5w")}>{page.text}</p>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
          {status === 409 && here ? (
            <>
              <li>
                <a className={fr.cx("fr-btn")} href={here}>
                  Recharger la page
                </a>
              </li>
              <li>
                <a className={fr.cx("fr-btn", "fr-btn--secondary")} href={conventionOf(here) ?? "/conventions"}>
                  {conventionOf(here) ? "Retour à la convention" : "Retour aux conventions"}
                </a>
              </li>
            </>
          ) : (
            <li>
              <a className={fr.cx("fr-btn")} href="/">
                Page d'accueil
              </a>
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}

/** « /conventions/<id>/modifier » -> « /conventions/<id> »; null elsewhere. */
function conventionOf(here: string): string | null {
  const m = /^\/conventions\/([0-9a-f-]{36})(?:\/|$|\?)/i.exec(here);
  return m ? `/conventions/${m[1]}` : null;
}
