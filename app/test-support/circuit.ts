import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import type { Config } from "../config.server";
import { readSigningCode } from "../email/messages";
import { renderOutboxMessage } from "../email/outbox.server";
import { openPki, type Pki } from "../pdf/pki/pki";
import type { Actor } from "../services/circuit-shared.server";
import { launchCircuit } from "../services/launch-circuit.server";
import { sendSigningCode } from "../services/send-signing-code.server";
import { proposedCircuit, setCircuit } from "../services/set-circuit.server";
import { signStep } from "../services/sign-step.server";

export const CAMILLE = "camille.durand@justice.example";
export const CANTON = "anne-florence.canton@justice.example";
/** A second signataire of Justice: the one Canton may delegate to. */
export const LEMAIRE = "marc.lemaire@justice.example";
/** Today in France, as delegations count days. */
export const parisToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
export const SCHAER = "stephanie.schaer@dinum.example";
export const GIRARD = "paul.girard@culture.example";

/** The demo data, a PKI in the test's data directory, and helpers that drive the circuit like people do. */
export async function circuitWorld(db: Database, config: Config) {
  await seedDemo(db);
  const pki: Pki = await openPki({ dataDir: config.dataDir, env: {} as NodeJS.ProcessEnv });
  const deps = { config, pki };
  const people: Record<string, Actor> = {};
  for (const p of await db.selectFrom("people").select(["id", "email"]).execute()) {
    people[p.email] = { id: p.id, authMethod: "lien_magique", ip: "127.0.0.1", userAgent: "vitest" };
  }
  const actor = (email: string) => people[email];

  /** A fresh copy of the demo draft, with its default circuit saved. */
  async function freshDraft(): Promise<string> {
    const demo = await db.selectFrom("conventions").selectAll().where("title", "like", "%Incubateur%").orderBy("created_at").executeTakeFirstOrThrow();
    const copy = await db
      .insertInto("conventions")
      .values({ kind: "convention", parent_id: null, status: "brouillon", title: `${demo.title} ${Math.random().toString(36).slice(2, 8)}`, reference: "DG-2022-042", delegant_organisation_id: demo.delegant_organisation_id, template: demo.template, data: JSON.stringify(demo.data), frozen_sha256: null, created_by: demo.created_by, decline_reason: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const parties = await db.selectFrom("convention_organisations").selectAll().where("convention_id", "=", demo.id).execute();
    await db.insertInto("convention_organisations").values(parties.map((p) => ({ ...p, convention_id: copy.id }))).execute();
    const { steps } = await proposedCircuit(db, copy.id, demo.data);
    await setCircuit(db, actor(CAMILLE), copy.id, { steps });
    return copy.id;
  }

  async function lastCode(email: string): Promise<string> {
    const m = await db.selectFrom("outbox_messages").selectAll().where("to_address", "=", email).where("kind", "=", "code_signature").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    // The body as it will be sent (the code is stored encrypted), read after its marker: the title
    // in the body may hold six digits too.
    const code = readSigningCode(renderOutboxMessage(m, config.sessionSecret).text);
    if (!code) throw new Error("aucun code de signature dans l'e-mail");
    return code;
  }

  async function sign(email: string, id: string) {
    await sendSigningCode(db, deps, actor(email), id);
    return signStep(db, deps, actor(email), id, await lastCode(email));
  }

  /** Launch and both signatures: the act is signed and its transmission is in the outbox. */
  async function signedConvention(): Promise<string> {
    const id = await freshDraft();
    await launchCircuit(db, deps, actor(CAMILLE), id);
    await sign(CANTON, id);
    await sign(SCHAER, id);
    return id;
  }

  return { pki, deps, actor, freshDraft, lastCode, sign, signedConvention };
}
