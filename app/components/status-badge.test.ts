import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { TransmissionBadge, transmissionBadge, type TransmissionState } from "./status-badge";

const base: TransmissionState = { status: "sent", attempts: 1, last_error: null, sent_at: "2026-03-02T09:15:00Z", acknowledged_at: null };
const states: Record<string, TransmissionState> = {
  envoye: base,
  accuse: { ...base, acknowledged_at: "2026-03-03T14:00:00Z" },
  echec: { ...base, status: "failed", sent_at: null, last_error: "550 boîte inconnue" },
  attente: { ...base, status: "pending", attempts: 0, sent_at: null },
};

describe("transmission badges", () => {
  it("give each state its own DSFR badge severity", () => {
    const severities = Object.values(states).map((s) => transmissionBadge(s).severity);
    expect(new Set(severities).size).toBe(4);
    expect(transmissionBadge(states.accuse).severity).toBe("success");
    expect(transmissionBadge(states.echec).severity).toBe("error");
  });

  it("say the state in words, not by colour alone (Europe/Paris times)", () => {
    expect(transmissionBadge(states.envoye).label).toBe("Envoyé le 2 mars 2026 à 10:15, sans accusé de réception");
    expect(transmissionBadge(states.accuse).label).toBe("Accusé de réception le 3 mars 2026 à 15:00");
    expect(transmissionBadge(states.echec).label).toBe("Échec de l'envoi : 550 boîte inconnue");
    expect(transmissionBadge(states.attente).label).toBe("En attente d'envoi");
    expect(transmissionBadge({ ...states.attente, attempts: 2 }).label).toBe("En attente d'envoi (essai 3)");
  });

  it("render as distinct fr-badge classes carrying the text", () => {
    const html = Object.fromEntries(Object.entries(states).map(([k, t]) => [k, renderToStaticMarkup(createElement(TransmissionBadge, { t }))]));
    expect(html.envoye).toContain("fr-badge--info");
    expect(html.accuse).toContain("fr-badge--success");
    expect(html.echec).toContain("fr-badge--error");
    expect(html.attente).toContain("fr-badge--warning");
    expect(html.accuse).toContain("Accusé de réception le 3 mars 2026");
  });
});
