import { fr } from "@codegouvfr/react-dsfr";
import { Form } from "@remix-run/react";

/** A list's search box (GET ?q=…): the DSFR search bar, labelled, kept filled with what was searched. */
export function ListSearch({ id, label, q }: { id: string; label: string; q: string }) {
  return (
    <Form method="get" role="search" aria-label={label} className={fr.cx("fr-mb-3w")}>
      <div className={fr.cx("fr-search-bar")}>
        <label className={fr.cx("fr-label")} htmlFor={id}>
          {label}
        </label>
        <input className={fr.cx("fr-input")} type="search" id={id} name="q" defaultValue={q} placeholder={label} maxLength={200} />
        <button type="submit" className={fr.cx("fr-btn")} title="Rechercher">
          Rechercher
        </button>
      </div>
    </Form>
  );
}
