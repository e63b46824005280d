import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "@remix-run/react";

/** « Publication » on an act's page (issue 15): whether it goes to the public register, and the spending of a convention in force. */
export function PublicationLine(props: { id: string; signed: boolean; spending: boolean; canEdit: boolean; publishable: boolean; reason: string | null }) {
  const { id, signed, spending, canEdit, publishable, reason } = props;
  return (
    <p className={fr.cx("fr-text--sm")} data-testid="publication">
      <strong>Publication : </strong>
      {publishable ? (
        signed ? (
          <>
            publié au <Link to={`/registre/${id}`}>registre public</Link>
          </>
        ) : (
          "sera publié au registre public dès sa signature"
        )
      ) : (
        <>non publié (motif : <q>{reason}</q>)</>
      )}
      {canEdit ? (
        <>
          {" "}
          — <Link to={`/conventions/${id}/publication`}>modifier</Link>
        </>
      ) : null}
      {spending ? (
        <>
          {" "}
          · <Link to={`/conventions/${id}/depenses`}>Suivi des dépenses</Link>
        </>
      ) : null}
    </p>
  );
}
