/** The e-mail that carries a signed act to a CBCM, an added recipient or a party. Plain text. */
import { actDesignation } from "../domain/act-designation";
import { formatDateLongue, formatEuros } from "../domain/convention";

export { actDesignation };

export type ActSummary = {
  kindLabel: string;
  title: string;
  reference: string | null;
  delegant: string;
  delegataires: string[];
  schedule: { annee: number; ae: number; cp: number }[];
  signedOn: string;
  endDate: string | null;
  noticeMonths: number | null;
};

export type AttachmentNote = { filename: string; size: number; sha256: string };

export function transmissionEmail(input: {
  recipientKind: "cbcm" | "destinataire" | "partie";
  act: ActSummary;
  attachments: AttachmentNote[];
  downloadLink: string | null;
  linkDays: number;
  ackLink: string | null;
}) {
  const { act } = input;
  const ko = (n: number) => `${Math.max(1, Math.round(n / 1024)).toLocaleString("fr-FR")} Ko`;
  const lines = [
    input.recipientKind === "partie" ? "Bonjour," : "Madame, Monsieur,",
    "",
    input.recipientKind === "partie"
      ? `Voici votre exemplaire de l'acte suivant, signé électroniquement par ses signataires :`
      : "En application du décret n° 2004-1085 du 14 octobre 2004, nous vous transmettons copie de l'acte suivant, signé électroniquement par ses signataires :",
    "",
    `Acte : ${actDesignation(act.kindLabel, act.title)}`,
    `Référence : ${act.reference ?? "sans référence"}`,
    `Délégant : ${act.delegant}`,
    `Délégataire${act.delegataires.length > 1 ? "s" : ""} : ${act.delegataires.join(" ; ")}`,
    // An avenant or a notice may carry no schedule: no empty heading then.
    ...(act.schedule.length ? ["Montants :"] : []),
    ...act.schedule.map((e) => `  ${e.annee} : AE ${formatEuros(e.ae)} — CP ${formatEuros(e.cp)}`),
    `Signé le : ${act.signedOn}`,
    act.endDate ? `Prend effet à sa signature ; conclu jusqu'au ${formatDateLongue(act.endDate)}.` : "",
    act.noticeMonths !== null ? `Préavis de résiliation : ${act.noticeMonths} mois.` : "",
    "",
  ];
  if (input.downloadLink) {
    lines.push(
      "Les documents dépassent la taille admise en pièce jointe. Téléchargez-les ici (lien personnel, valable " + `${input.linkDays} jours) :`,
      input.downloadLink,
      ...input.attachments.map((a) => `  - ${a.filename} (${ko(a.size)}, SHA-256 ${a.sha256})`),
    );
  } else {
    lines.push("Pièces jointes :", ...input.attachments.map((a) => `  - ${a.filename} (${ko(a.size)}, SHA-256 ${a.sha256})`));
  }
  lines.push("", "Chacun peut vérifier les signatures du PDF sur la page « Vérifier un document » de Paraphe.");
  if (input.ackLink) lines.push("", "Merci d'accuser réception de cette transmission en ouvrant ce lien :", input.ackLink);
  lines.push("", "Paraphe — conventions de délégation de gestion");
  return {
    // The act is named once: « Transmission d'un acte signé : Convention… » named it twice.
    subject: `${input.recipientKind === "partie" ? "Votre exemplaire signé" : "Copie signée"} : ${actDesignation(act.kindLabel, act.title)}`,
    text: lines.filter((l, i, all) => !(l === "" && all[i - 1] === "")).join("\n"),
  };
}
