import { fr } from "@codegouvfr/react-dsfr";
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Accueil — Paraphe" }];

export default function Home() {
  return (
    <div className={fr.cx("fr-mt-6w")}>
      <h1>Paraphe</h1>
      <p className={fr.cx("fr-text--lead")}>
        Rédigez, signez et transmettez vos conventions de délégation de gestion en un après-midi, avec des signatures
        électroniques horodatées que chacun peut vérifier.
      </p>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mt-4w")}>
        {[
          { title: "Rédiger", text: "Les juristes préparent la convention à partir du modèle, puis fixent le circuit de signature." },
          { title: "Signer", text: "Chaque signataire relit le PDF dans son navigateur et le signe, dans l'ordre prévu." },
          { title: "Transmettre", text: "Les CBCM et les parties reçoivent automatiquement chaque exemplaire signé." },
        ].map((card) => (
          <div key={card.title} className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <div className={fr.cx("fr-card", "fr-card--no-arrow")}>
              <div className={fr.cx("fr-card__body")}>
                <div className={fr.cx("fr-card__content")}>
                  <h2 className={fr.cx("fr-card__title")}>{card.title}</h2>
                  <p className={fr.cx("fr-card__desc")}>{card.text}</p>
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-mt-4w")}>
        <li>
          <Link className={fr.cx("fr-btn")} to="/connexion">
            Se connecter
          </Link>
        </li>
        <li>
          <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to="/verifier">
            Vérifier un document signé
          </Link>
        </li>
        <li>
          <Link className={fr.cx("fr-btn", "fr-btn--tertiary")} to="/registre">
            Registre public
          </Link>
        </li>
      </ul>
    </div>
  );
}
