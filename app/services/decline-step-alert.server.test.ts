import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { Database } from "../../db/connect";
import { CircuitProgress } from "../components/circuit-progress";
import { lastActor } from "../domain/last-actor";
import { pageAlerts } from "../models/alerts.server";
import { listAuditEvents } from "../models/conventions.server";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { CAMILLE, CANTON, circuitWorld, SCHAER } from "../test-support/circuit";
import type { Actor } from "./circuit-shared.server";
import { circuitProgress } from "./circuit-view.server";
import { declineStep } from "./decline-step.server";
import { launchCircuit } from "./launch-circuit.server";

let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let world: Awaited<ReturnType<typeof circuitWorld>>;
let actor: (email: string) => Actor;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  world = await circuitWorld(db, config);
  actor = world.actor;
}, 120_000);
afterAll(() => close());

describe("after a refusal (issue 13)", () => {
  it("the rédactrice gets a portal alert, the circuit shows the step refused, and « mis à jour par » names the signatory", async () => {
    const id = await world.freshDraft();
    await launchCircuit(db, world.deps, actor(CAMILLE), id);
    await world.sign(CANTON, id);
    await declineStep(db, world.deps, actor(SCHAER), id, "Le montant 2023 doit être de 120 000 €.");

    // Portal alert as well as the e-mail.
    const alerts = await pageAlerts(db, actor(CAMILLE).id, { after: null, before: null, limit: 50 });
    const alert = alerts.rows.find((a) => a.convention_id === id);
    expect(alert?.message).toMatch(/^Stéphanie Schaer a refusé de signer « .+ » : le document est revenu à l'état de brouillon\. Motif : Le montant 2023 doit être de 120 000 €\.$/);
    expect(alert?.read_at).toBeNull();
    expect(await db.selectFrom("outbox_messages").select("id").where("to_address", "=", CAMILLE).where("kind", "=", "refus").where("convention_id", "=", id).execute()).toHaveLength(1);
    // The signatory who refused gets no alert about her own refusal.
    expect((await pageAlerts(db, actor(SCHAER).id, { after: null, before: null, limit: 50 })).rows.filter((a) => a.convention_id === id)).toEqual([]);

    // The refused step reads « Refusée » / « A refusé », never « En cours ».
    const steps = await circuitProgress(db, id);
    const html = renderToStaticMarkup(createElement(CircuitProgress, { steps: steps as never, running: false }));
    expect(html).toContain("Refusée");
    expect(html).toContain("A refusé");
    expect(html).not.toContain("En cours");

    // « mise à jour … par » the one who acted last.
    expect(lastActor(await listAuditEvents(db, id))).toBe("Stéphanie Schaer");
  });
});
