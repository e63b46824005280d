/**
 * The « Certificat de signature »: parties, signatories, every event with its time and the
 * document's hashes, rendered with the document renderer and sealed by the portal.
 */
import { text, type Block, type DocumentTree, type Run } from "../../templates/document";
import { renderDocument } from "./render";

export type CertificateInput = {
  title: string;
  reference: string | null;
  parties: { name: string; role: string }[];
  signatories: { name: string; organisation: string; function: string | null; signedAt: Date; onBehalfOf: string | null; authMethod: string }[];
  events: { at: Date; label: string; actor: string | null; ip: string | null }[];
  hashes: { label: string; sha256: string }[];
  /** Heads of the audit chain timestamped by the TSA (at each signature, at completion). */
  anchors: { at: Date; reason: string; eventCount: number; headHash: string }[];
  issuedAt: Date;
  /** "tiers": the copy sent outside the parties (CBCM, added recipients), without IP addresses. */
  audience: "parties" | "tiers";
};

const paris = (d: Date) => new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "medium", timeZone: "Europe/Paris" }).format(d);
const cell = (value: string, opts: { bold?: boolean } = {}): Run[] => [text(value, opts)];
const para = (value: string, opts: { bold?: boolean } = {}): Block => ({ type: "paragraph", runs: [text(value, opts)], align: "left" });

export async function renderCertificate(input: CertificateInput) {
  const tree: DocumentTree = {
    meta: { title: `Certificat de signature — ${input.title}`, subject: "Certificat de signature électronique", author: "Paraphe" },
    blocMarque: true,
    blocks: [
      { type: "heading", level: 1, runs: [text("Certificat de signature")] },
      para(`Acte : ${input.title}${input.reference ? ` (référence ${input.reference})` : ""}`, { bold: true }),
      para(`Certificat établi par le portail Paraphe le ${paris(input.issuedAt)} (heure de Paris).`),
      { type: "heading", level: 2, runs: [text("Parties")] },
      { type: "list", items: input.parties.map((p) => [text(`${p.name} — ${p.role}`)]) },
      { type: "heading", level: 2, runs: [text("Signataires")] },
      {
        type: "table",
        header: [[cell("Signataire", { bold: true }), cell("Organisation", { bold: true }), cell("Signé le", { bold: true }), cell("Authentification", { bold: true })]],
        rows: input.signatories.map((s) => [
          cell(`${s.name}${s.function ? `, ${s.function}` : ""}${s.onBehalfOf ? ` (pour ${s.onBehalfOf}, par délégation)` : ""}`),
          cell(s.organisation),
          cell(paris(s.signedAt)),
          cell(s.authMethod),
        ]),
        widths: [3, 3, 2.2, 1.8],
      },
      { type: "heading", level: 2, runs: [text("Empreintes du document (SHA-256)")] },
      { type: "list", items: input.hashes.map((h) => [text(`${h.label} : `, { bold: true }), text(h.sha256)]) },
      { type: "heading", level: 2, runs: [text("Journal des évènements")] },
      input.audience === "parties"
        ? {
            type: "table",
            header: [[cell("Date et heure", { bold: true }), cell("Évènement", { bold: true }), cell("Par", { bold: true }), cell("Adresse IP", { bold: true })]],
            rows: input.events.map((e) => [cell(paris(e.at)), cell(e.label), cell(e.actor ?? "Paraphe"), cell(e.ip ?? "—")]),
            widths: [2.4, 3, 2.6, 2],
          }
        : {
            type: "table",
            header: [[cell("Date et heure", { bold: true }), cell("Évènement", { bold: true }), cell("Par", { bold: true })]],
            rows: input.events.map((e) => [cell(paris(e.at)), cell(e.label), cell(e.actor ?? "Paraphe")]),
            widths: [2.4, 3.6, 3],
          },
      ...(input.audience === "tiers" ? [para("Les adresses IP sont conservées dans le journal d'audit du portail et figurent dans l'exemplaire des parties.")] : []),
      { type: "heading", level: 2, runs: [text("Ancrages horodatés du journal")] },
      input.anchors.length
        ? {
            type: "list",
            items: input.anchors.map((a) => [
              text(`${paris(a.at)} — ${a.reason}, ${a.eventCount} évènement${a.eventCount > 1 ? "s" : ""} : `, { bold: true }),
              text(a.headHash),
            ]),
          }
        : para("Aucun ancrage."),
      para("À chaque signature et à l'achèvement, l'empreinte du dernier évènement du journal est horodatée par l'autorité d'horodatage : un évènement retiré, modifié ou ajouté après coup se voit à la vérification (npx paraphe audit verify)."),
      para("Chaque évènement du journal est chaîné au précédent par son empreinte ; le présent certificat est lui-même signé électroniquement par le portail."),
      { type: "signatures", blocks: [{ partyLabel: "Le portail Paraphe,", organisation: "Portail Paraphe", name: "Cachet électronique du portail" }] },
    ],
  };
  return renderDocument(tree);
}
