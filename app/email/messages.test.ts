import { declinedEmail, invitationEmail, loginLinkEmail, readSigningCode, signingCodeEmail } from "./messages";
import { actDesignation, transmissionEmail } from "./transmission-email";

/** What agents type (titles, reasons, names) reaches e-mail as text, never as markup. */

const TYPED = `<script>alert("x")</script> <b>Convention</b>`;

describe("e-mails with typed values", () => {
  it("messages that carry typed values are plain text only: no HTML part to inject into", () => {
    const invitation = invitationEmail({ firstName: "Anne", title: TYPED, link: "https://paraphe.example/conventions/1/signer", stepLabel: "signature", deadline: null });
    const declined = declinedEmail({ firstName: "Camille", title: TYPED, by: "Stéphanie <i>Schaer</i>", reason: TYPED, link: "https://paraphe.example/conventions/1" });
    const transmission = transmissionEmail({
      recipientKind: "cbcm",
      act: { kindLabel: "Convention", title: TYPED, reference: null, delegant: "<img src=x>", delegataires: ["DINUM"], schedule: [{ annee: 2026, ae: 150000, cp: 75000 }], signedOn: "2026-11-30", endDate: null, noticeMonths: 3 },
      attachments: [],
      downloadLink: null,
      linkDays: 30,
      ackLink: "https://paraphe.example/accuse-reception/t",
    });
    for (const mail of [invitation, declined, transmission]) {
      expect("html" in mail && (mail as { html?: string }).html).toBeFalsy();
      expect(mail.text).toContain(`<script>alert("x")</script>`);
    }
  });

  it("the one HTML message escapes what it includes", () => {
    const mail = loginLinkEmail({ firstName: `<img src=x onerror="alert(1)">`, link: `https://paraphe.example/connexion/lien?jeton=a"b`, minutes: 15 });
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(mail.html).toContain('href="https://paraphe.example/connexion/lien?jeton=a&quot;b"');
  });
});

describe("signing code e-mail", () => {
  it("keeps the code out of the subject (lock screens) and puts it in the body after a stable marker", () => {
    const mail = signingCodeEmail({ firstName: "Anne", title: "Convention 123456 — 654321", code: "042917", minutes: 10 });
    expect(mail.subject).not.toMatch(/\d/);
    expect(mail.subject).toContain("code de signature");
    // The title's digits come first in the body: the reader goes by the marker, not by the first six digits.
    expect(readSigningCode(mail.text)).toBe("042917");
    expect(readSigningCode("Votre code : 123456")).toBeUndefined();
  });
});

describe("a signature delegate's invitation", () => {
  it("says « délégué(e) de signature », never « délégataire », with elision before a vowel", async () => {
    const { de } = await import("./messages");
    const forAnne = invitationEmail({ firstName: "Marc", title: "Convention", link: "https://paraphe.example/conventions/1/signer", stepLabel: "signature", deadline: null, onBehalfOf: "Anne-Florence Canton" });
    expect(forAnne.text).toContain("En tant que délégué(e) de signature d'Anne-Florence Canton, vous pouvez signer");
    expect(forAnne.text).not.toContain("délégataire");
    expect(de("Marc Lemaire")).toBe("de Marc Lemaire");
    expect(de("Hélène Martin")).toBe("d'Hélène Martin");
    expect(de("Émilie Roux")).toBe("d'Émilie Roux");
  });
});

describe("subjects name the act once", () => {
  const act = (kindLabel: string, title: string) => ({ kindLabel, title, reference: null, delegant: "Ministère de la Justice", delegataires: ["DINUM"], schedule: [], signedOn: "2026-11-30", endDate: null, noticeMonths: null });
  const mail = (recipientKind: "cbcm" | "partie", kindLabel: string, title: string) =>
    transmissionEmail({ recipientKind, act: act(kindLabel, title), attachments: [], downloadLink: null, linkDays: 30, ackLink: null });
  const count = (text: string, word: RegExp) => (text.match(word) ?? []).length;

  it("a title that says its kind is not preceded by the kind again, in the subject or the body", () => {
    const cbcm = mail("cbcm", "Convention de délégation de gestion", "Convention de délégation de gestion — Incubateur de la Justice (2022)");
    expect(cbcm.subject).toBe("Copie signée : Convention de délégation de gestion — Incubateur de la Justice (2022)");
    expect(count(cbcm.subject, /convention|acte/gi)).toBe(1);
    expect(cbcm.text).toContain("Acte : Convention de délégation de gestion — Incubateur de la Justice (2022)");
    expect(cbcm.text).not.toContain("Convention de délégation de gestion : Convention");
    expect(mail("partie", "Avenant", "Avenant n° 1 — Convention de délégation de gestion — Incubateur").subject).toBe("Votre exemplaire signé : Avenant n° 1 — Convention de délégation de gestion — Incubateur");
  });

  it("a title that does not say its kind gets it once", () => {
    expect(actDesignation("Convention de délégation de gestion", "Incubateur de la Justice 2022")).toBe("Convention de délégation de gestion — Incubateur de la Justice 2022");
    expect(mail("cbcm", "Notification de résiliation", "Notification de résiliation — Incubateur").subject).toBe("Copie signée : Notification de résiliation — Incubateur");
  });
});
