/** E-mail texts. Plain text first; the HTML variant escapes every value it includes. */
import { de } from "../domain/elision";

export { de };
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function loginLinkEmail(input: { firstName: string; link: string; minutes: number }) {
  const subject = "Votre lien de connexion à Paraphe";
  const text = [
    `Bonjour ${input.firstName},`,
    "",
    "Pour vous connecter à Paraphe, ouvrez ce lien :",
    input.link,
    "",
    `Il est valable ${input.minutes} minutes et ne peut servir qu'une fois.`,
    "Si vous n'avez pas demandé à vous connecter, ignorez ce message : personne ne pourra l'utiliser sans accès à votre messagerie.",
    "",
    "Paraphe — conventions de délégation de gestion",
  ].join("\n");
  const html = `<p>Bonjour ${escapeHtml(input.firstName)},</p>
<p>Pour vous connecter à Paraphe, ouvrez ce lien :<br><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>
<p>Il est valable ${input.minutes} minutes et ne peut servir qu'une fois.</p>
<p>Si vous n'avez pas demandé à vous connecter, ignorez ce message.</p>
<p>Paraphe — conventions de délégation de gestion</p>`;
  return { subject, text, html };
}

const SIGNATURE = "\n\nParaphe — conventions de délégation de gestion";

export function invitationEmail(input: { firstName: string; title: string; link: string; stepLabel: string; deadline: string | null; onBehalfOf?: string }) {
  return {
    subject: `À signer : ${input.title}`,
    text: [
      `Bonjour ${input.firstName},`,
      "",
      input.onBehalfOf
        ? `En tant que délégué(e) de signature ${de(input.onBehalfOf)}, vous pouvez signer le document suivant :`
        : "Un document attend votre signature dans Paraphe :",
      `« ${input.title} » — ${input.stepLabel}.`,
      input.deadline ? `Date limite souhaitée : ${input.deadline}.` : "",
      "",
      "Pour le relire et le signer :",
      input.link,
      "",
      "Vous recevrez un code à usage unique par e-mail au moment de signer.",
    ]
      .filter((l, i, all) => l !== "" || all[i - 1] !== "")
      .join("\n") + SIGNATURE,
  };
}

export function reminderEmail(input: { firstName: string; title: string; link: string; deadline: string | null; count: number }) {
  return {
    subject: `Relance : ${input.title} attend votre signature`,
    text: [
      `Bonjour ${input.firstName},`,
      "",
      `« ${input.title} » attend toujours votre signature (relance n° ${input.count}).`,
      input.deadline ? `Date limite souhaitée : ${input.deadline}.` : "",
      "",
      input.link,
    ].join("\n") + SIGNATURE,
  };
}

/** The line that carries the signing code in the body: tests and people find the code after it. */
export const SIGNING_CODE_MARKER = "Code de signature : ";

/** The code in a delivered signing-code e-mail: the six digits after the marker, nowhere else. */
export function readSigningCode(text: string): string | undefined {
  return new RegExp(`^\\s*${SIGNING_CODE_MARKER}(\\d{6})\\s*$`, "m").exec(text)?.[1];
}

/** The code is in the body only: a subject shows on lock screens and stays in the outbox. */
export function signingCodeEmail(input: { firstName: string; title: string; code: string; minutes: number }) {
  return {
    subject: "Votre code de signature Paraphe",
    text: [
      `Bonjour ${input.firstName},`,
      "",
      `Voici votre code pour signer « ${input.title} » :`,
      "",
      `    ${SIGNING_CODE_MARKER}${input.code}`,
      "",
      `Il est valable ${input.minutes} minutes et ne sert qu'une fois. Ne le communiquez à personne : il vaut signature.`,
      "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message et prévenez votre administrateur.",
    ].join("\n") + SIGNATURE,
  };
}

export function declinedEmail(input: { firstName: string; title: string; by: string; reason: string; link: string }) {
  return {
    subject: `Signature refusée : ${input.title}`,
    text: [
      `Bonjour ${input.firstName},`,
      "",
      `${input.by} a refusé de signer « ${input.title} ». Le document est revenu à l'état de brouillon.`,
      "",
      "Motif du refus :",
      input.reason,
      "",
      "Pour corriger le brouillon et relancer le circuit :",
      input.link,
    ].join("\n") + SIGNATURE,
  };
}

export function circuitStoppedEmail(input: { firstName: string; title: string; by: string; reason: string }) {
  return {
    subject: `Circuit de signature interrompu : ${input.title}`,
    text: [
      `Bonjour ${input.firstName},`,
      "",
      `${input.by} a interrompu le circuit de signature de « ${input.title} ». Votre signature n'est plus attendue pour l'instant.`,
      input.reason ? `Motif : ${input.reason}` : "",
    ].join("\n") + SIGNATURE,
  };
}

/** Before a convention's end date (END_REMINDER_DAYS): its rédacteurs may prepare an avenant de prolongation. */
export function endReminderEmail(input: { firstName: string; title: string; endsOn: string; daysLeft: number; link: string; avenantLink: string }) {
  const when = input.daysLeft === 0 ? "aujourd'hui" : input.daysLeft === 1 ? "demain" : `dans ${input.daysLeft} jours`;
  return {
    subject: `Échéance : ${input.title} prend fin le ${input.endsOn}`,
    text: [
      `Bonjour ${input.firstName},`,
      "",
      `« ${input.title} » prend fin le ${input.endsOn} (${when}).`,
      "Pour la prolonger ou la modifier, préparez un avenant avant cette date :",
      input.avenantLink,
      "",
      "La convention :",
      input.link,
    ].join("\n") + SIGNATURE,
  };
}

/** A time-driven change of a convention's status (entry into force, expiry, termination taking effect). */
export function lifecycleEmail(input: { firstName: string; title: string; what: string; link: string }) {
  return {
    subject: `${input.title} : ${input.what}`,
    text: [`Bonjour ${input.firstName},`, "", `« ${input.title} » ${input.what}.`, "", input.link].join("\n") + SIGNATURE,
  };
}

/** To a person an administrator has just added: what they may do in Paraphe and how to sign in (no password: a link by e-mail, or ProConnect). */
export function welcomeEmail(input: { firstName: string; email: string; roles: readonly string[]; organisation: string | null; loginUrl: string; proconnect: boolean }) {
  const roles = input.roles.length ? input.roles.join(", ").toLowerCase() : "aucun rôle pour l'instant";
  return {
    subject: "Votre accès à Paraphe",
    text: [
      `Bonjour ${input.firstName},`,
      "",
      input.organisation
        ? `Un administrateur vous a ouvert un accès à Paraphe, le portail des conventions de délégation de gestion, pour l'organisation « ${input.organisation} ».`
        : "Un administrateur vous a ouvert un accès à Paraphe, le portail des conventions de délégation de gestion.",
      `Vos rôles : ${roles}.`,
      "",
      "Pour vous connecter, ouvrez la page de connexion :",
      input.loginUrl,
      `et saisissez votre adresse ${input.email} : vous recevrez un lien de connexion par e-mail, valable quelques minutes. Il n'y a pas de mot de passe.`,
      input.proconnect ? "Vous pouvez aussi vous connecter avec ProConnect, depuis la même page." : "",
    ]
      .filter((l, i, all) => l !== "" || all[i - 1] !== "")
      .join("\n") + SIGNATURE,
  };
}
