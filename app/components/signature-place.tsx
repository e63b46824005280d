import { fr } from "@codegouvfr/react-dsfr";

export type PlaceView = {
  page: number;
  pageCount: number;
  revision: number;
  aspect: number;
  boxes: { fieldName: string; name: string; signed: boolean; mine: boolean; left: number; top: number; width: number; height: number }[];
};

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * « Où signez-vous ? »: the page number, and a picture of that page with the person's box
 * highlighted and the other signatories' boxes (signed or not). The picture is decorative for a
 * screen reader: the caption says the same in words.
 */
export function SignaturePlace({ conventionId, place }: { conventionId: string; place: PlaceView }) {
  const mine = place.boxes.find((b) => b.mine);
  const others = place.boxes.filter((b) => !b.mine);
  return (
    <figure className="paraphe-place" aria-labelledby="ou-signer">
      <p id="ou-signer" className={fr.cx("fr-text--bold", "fr-mb-1w")}>
        Vous signez en page {place.page} sur {place.pageCount}
        {mine?.signed ? " (signature apposée)" : ""}.
      </p>
      <div className="paraphe-place__page" style={{ aspectRatio: `1 / ${place.aspect.toFixed(4)}` }}>
        <img src={`/conventions/${conventionId}/page-signature.png?page=${place.page}&r=${place.revision}`} alt="" width={900} height={Math.round(900 * place.aspect)} loading="lazy" />
        {place.boxes.map((b) => (
          <div
            key={b.fieldName}
            className={`paraphe-place__box${b.signed ? " paraphe-place__box--signed" : ""}${b.mine ? " paraphe-place__box--mine" : ""}`}
            style={{ left: pct(b.left), top: pct(b.top), width: pct(b.width), height: pct(b.height) }}
            aria-hidden="true"
          >
            <span>{b.mine ? "Votre signature" : b.name}</span>
          </div>
        ))}
      </div>
      <figcaption className={fr.cx("fr-text--xs", "fr-mt-1w")}>
        Encadré rouge : votre emplacement.
        {others.length
          ? ` Sur la même page : ${others.map((b) => `${b.name} (${b.signed ? "signé" : "pas encore signé"})`).join(", ")}.`
          : ""}
      </figcaption>
    </figure>
  );
}
