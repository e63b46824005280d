import { describe, expect, it } from "vitest";
import { parseTerminationForm, readTerminationForm } from "./termination";

describe("termination form", () => {
  it("reads the notifying party, the reason, the optional date and the commun accord box", () => {
    expect(parseTerminationForm({ partie: "delegataire:1", motif: " Fin du projet ", dateEffetDemandee: "", lieuSignature: "Paris" })).toEqual({
      ok: true,
      value: { partieNotifiante: "delegataire", indexDelegataire: 1, motif: "Fin du projet", communAccord: false, lieuSignature: "Paris" },
    });
    expect(parseTerminationForm({ partie: "delegant", motif: "x", dateEffetDemandee: "2025-06-30", communAccord: "on", lieuSignature: "Paris" })).toMatchObject({
      ok: true,
      value: { partieNotifiante: "delegant", dateEffetDemandee: "2025-06-30", communAccord: true },
    });
  });

  it("refuses a missing reason, an impossible date, a forged party and an unknown field", () => {
    const r = parseTerminationForm({ partie: "tiers", motif: "  ", dateEffetDemandee: "2025-02-29", lieuSignature: "Paris", bcc: "x" });
    expect(r.ok).toBe(false);
    const paths = Object.fromEntries((r as { errors: { path: string; message: string }[] }).errors.map((e) => [e.path, e.message]));
    expect(paths).toEqual({
      partie: "Choisissez la partie qui notifie la résiliation",
      motif: "Le motif de la résiliation est obligatoire",
      dateEffetDemandee: "La date n'existe pas",
      bcc: expect.stringContaining("Champ inconnu"),
    });
  });

  it("shows a stored notice again", () => {
    expect(readTerminationForm({ partieNotifiante: "delegataire", indexDelegataire: 0, motif: "m", communAccord: true, lieuSignature: "Paris" })).toEqual({
      partie: "delegataire:0",
      motif: "m",
      dateEffetDemandee: "",
      communAccord: true,
      lieuSignature: "Paris",
    });
  });
});
