/**
 * What the verifier said of an imported act's PDF, as it is: each signature valid or not, and
 * whether its authority is one the portal trusts (an act signed elsewhere usually is not: said
 * plainly, not as a failure of the document).
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { formatDateTime } from "~/components/page";

export type ImportedSignature = {
  index: number;
  kind: string;
  signer: string;
  organisation: string | null;
  at: string | null;
  valid: boolean;
  trusted: boolean;
  coversWholeDocument: boolean;
};
export type ImportVerdictView = {
  sha256: string;
  size: number;
  signatures: ImportedSignature[];
  /** Failed document-level checks (unreadable file, data after the last signature…). */
  problems: string[];
};

export function ImportVerdict({ verdict, fileHref }: { verdict: ImportVerdictView; fileHref: string }) {
  const sigs = verdict.signatures.filter((s) => s.kind === "signature");
  const invalid = sigs.filter((s) => !s.valid);
  const foreign = sigs.filter((s) => s.valid && !s.trusted);
  return (
    <section aria-labelledby="acte-importe" className={fr.cx("fr-mb-4w")}>
      <h2 id="acte-importe" className={fr.cx("fr-h4")}>
        Acte importé
      </h2>
      <p>
        Signé hors de Paraphe : le PDF déposé est l'acte, conservé octet pour octet. <a href={fileHref}>Télécharger le PDF importé</a> (
        {verdict.size.toLocaleString("fr-FR")} octets).
      </p>
      <p className={fr.cx("fr-text--sm")}>
        Empreinte SHA-256 : <code style={{ wordBreak: "break-all" }}>{verdict.sha256}</code>
      </p>
      {sigs.length === 0 ? (
        <Alert severity="info" small description="Ce PDF ne contient aucune signature électronique (acte signé sur papier puis numérisé, par exemple)." />
      ) : invalid.length ? (
        <Alert severity="error" small description={`Au moins une signature électronique de ce PDF n'est pas valide (${invalid.map((s) => s.signer).join(", ")}) : le vérificateur la signale comme telle.`} />
      ) : foreign.length ? (
        <Alert
          severity="warning"
          small
          description="Les signatures électroniques de ce PDF sont valides (le document n'a pas été modifié depuis), mais elles proviennent d'une autorité de certification que le portail ne connaît pas : Paraphe ne garantit pas l'identité des signataires."
        />
      ) : (
        <Alert severity="success" small description="Les signatures électroniques de ce PDF sont valides et proviennent de l'autorité de certification du portail." />
      )}
      {sigs.length ? (
        <ul className={fr.cx("fr-mt-2w")}>
          {sigs.map((s) => (
            <li key={s.index}>
              Signature {s.index} : {s.signer}
              {s.organisation ? ` (${s.organisation})` : ""}
              {s.at ? `, le ${formatDateTime(s.at)}` : ""} —{" "}
              {!s.valid ? "NON VALIDE" : s.trusted ? "valide" : "valide, autorité de certification non reconnue par le portail"}
              {s.coversWholeDocument ? "" : " ; couvre une version antérieure du document"}
            </li>
          ))}
        </ul>
      ) : null}
      {verdict.problems.length ? (
        <ul>
          {verdict.problems.map((p, i) => (
            <li key={i}>✗ {p}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

type StoredReport = {
  sha256?: unknown;
  size?: unknown;
  documentChecks?: { id?: unknown; ok?: unknown; label?: unknown; detail?: unknown }[];
  signatures?: { index?: unknown; kind?: unknown; name?: unknown; signer?: { commonName?: unknown; organisation?: unknown } | null; claimedTime?: unknown; timestampTime?: unknown; valid?: unknown; trusted?: unknown; intactButUntrusted?: unknown; coversWholeDocument?: unknown }[];
};

const text = (v: unknown) => (typeof v === "string" ? v : null);

/** The verifier's stored report (jsonb, read defensively) -> what the page shows. */
export function importVerdictView(report: unknown): ImportVerdictView | null {
  if (!report || typeof report !== "object") return null;
  // Stored as { fileName, summary, report } by the import service; a bare report is read too.
  const nested = (report as { report?: unknown }).report;
  const r = (nested && typeof nested === "object" ? nested : report) as StoredReport;
  return {
    sha256: text(r.sha256) ?? "",
    size: typeof r.size === "number" ? r.size : 0,
    problems: (Array.isArray(r.documentChecks) ? r.documentChecks : [])
      .filter((c) => c && c.ok === false && text(c.label) && c.id !== "signed")
      .map((c) => `${c.label}${text(c.detail) ? ` : ${c.detail}` : ""}`),
    signatures: (Array.isArray(r.signatures) ? r.signatures : []).map((s, i) => ({
      index: typeof s.index === "number" ? s.index : i + 1,
      kind: text(s.kind) ?? "signature",
      signer: text(s.signer?.commonName) ?? text(s.name) ?? "signataire inconnu",
      organisation: text(s.signer?.organisation),
      at: text(s.timestampTime) ?? text(s.claimedTime),
      // The verifier's « valid » includes trust in the authority, which an act signed elsewhere never
      // has: such a signature is shown valid when the verifier found it intact (its bytes, its
      // cryptographic signature, nothing changed after it), the lack of trust said beside it.
      valid: s.valid === true || s.intactButUntrusted === true,
      trusted: s.trusted === true,
      coversWholeDocument: s.coversWholeDocument === true,
    })),
  };
}
