/** E-mail texts. Plain text first; the HTML variant escapes every value it includes. */
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
