import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { clockOffsetMs } from "../clock.server";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";
import { action, loader } from "./dev.horloge";

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
}, 120_000);
afterAll(() => close());

const post = (body: string) => new Request("http://localhost:3999/dev/horloge", { method: "POST", body: new URLSearchParams(body) });
const args = (request: Request, config: ReturnType<typeof testConfig>) => ({ request, params: {}, context: { db, config } as unknown as AppLoadContext });

describe("/dev/horloge", () => {
  it("does not exist without PARAPHE_CLOCK_CONTROL=1", async () => {
    const config = testConfig();
    await expect(loader(args(new Request("http://localhost:3999/dev/horloge"), config))).rejects.toMatchObject({ status: 404 });
    await expect(action(args(post("jours=30"), config))).rejects.toMatchObject({ status: 404 });
    expect(clockOffsetMs()).toBe(0);
  });

  it("with it, moves the clock forward by whole days and runs the scheduler once", async () => {
    const config = testConfig({ PARAPHE_CLOCK_CONTROL: "1" });
    const refused = await action(args(post("jours=-3"), config));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ erreur: "L'horloge ne peut qu'avancer" });
    const moved = await action(args(post("jours=40"), config));
    const body = await moved.json();
    expect(clockOffsetMs()).toBe(40 * 86_400_000);
    expect(body.planificateur).toEqual({ entreesEnVigueur: 0, resiliations: 0, expirations: 0, rappelsEcheance: 0, comptesRendus: 0, rappelsCompteRendu: 0, relances: 0, erreurs: 0 });
    expect(new Date(body.maintenant).getTime() - Date.now()).toBeGreaterThan(40 * 86_400_000 - 60_000);
  });
});
