/** The e-mails of the compte rendu d'exécution (issue 15): prepared, and reminded until it is signed. */

const SIGNATURE = "\n\nParaphe — conventions de délégation de gestion";

export function reportPreparedEmail(input: { firstName: string; title: string; endedOn: string; link: string }) {
  return {
    subject: `Compte rendu d'exécution à signer : ${input.title}`,
    text: [
      `Bonjour ${input.firstName},`,
      "",
      `« ${input.title} » a pris fin le ${input.endedOn}. Le compte rendu d'exécution des dépenses a été préparé à partir des lignes enregistrées :`,
      "relisez-le puis lancez sa signature par le signataire du délégataire. Il sera ensuite transmis au délégant et aux CBCM.",
      "",
      input.link,
    ].join("\n") + SIGNATURE,
  };
}

export function reportReminderEmail(input: { firstName: string; title: string; preparedOn: string; days: number; link: string }) {
  return {
    subject: `Rappel : compte rendu d'exécution non transmis — ${input.title}`,
    text: [
      `Bonjour ${input.firstName},`,
      "",
      `Le compte rendu d'exécution de « ${input.title} », préparé le ${input.preparedOn}, n'est toujours pas signé ni transmis au délégant (${input.days} jours).`,
      "Faites-le signer par le signataire du délégataire :",
      input.link,
    ].join("\n") + SIGNATURE,
  };
}
