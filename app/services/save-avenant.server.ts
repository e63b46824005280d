/**
 * Save an avenant draft: its purpose, place of signature and structured operations, each checked
 * like the drafting form (the form's schema) and then against the consolidated convention it amends
 * (A's applyAvenant: « L'article 9 n'existe plus dans la convention »…). One transaction: row lock,
 * workflow guard (`modifier`), optimistic version, a convention_versions row and an audit event.
 */
import type { Database } from "../../db/connect";
import { applyAvenant, type AvenantOperation } from "../domain/avenant";
import type { Convention, FieldError } from "../domain/convention";
import { parseAvenantForm } from "../domain/forms/avenant";
import { isStatus, transition } from "../domain/workflow";
import { appendAuditEvent } from "../models/audit.server";
import { replaceCircuit } from "../models/circuit.server";
import { getVersionAuthor, insertConventionVersion, lockConvention } from "../models/convention-versions.server";
import { requireConventionAccess, type ConventionUser } from "./convention-access.server";
import type { Meta } from "./create-avenant.server";

export type SaveActResult =
  | { status: "saved"; version: number }
  | { status: "unchanged" }
  | { status: "invalid"; errors: FieldError[] }
  | { status: "stale"; message: string }
  | { status: "refused"; message: string }
  | { status: "not_found" };

type Locked = NonNullable<Awaited<ReturnType<typeof lockConvention>>>;

/** The common frame of saving a child act: access, lock, kind, guard, version; `build` returns the new data or errors. */
export async function saveChildAct(
  db: Database,
  user: ConventionUser,
  id: string,
  kind: "avenant" | "resiliation",
  expectedVersion: number,
  meta: Meta,
  build: (act: Locked) => { data: Record<string, unknown>; summary: string } | { errors: FieldError[] },
): Promise<SaveActResult> {
  await requireConventionAccess(db, user, id, "edit");
  return db.transaction().execute(async (trx): Promise<SaveActResult> => {
    const act = await lockConvention(trx, id);
    if (!act || act.kind !== kind) return { status: "not_found" };
    const guard = isStatus(act.status) ? transition(act.status, { type: "modifier" }) : { ok: false as const, reason: "Statut inconnu." };
    if (!guard.ok) return { status: "refused", message: guard.reason };
    if (act.version !== expectedVersion) {
      const author = await getVersionAuthor(trx, act.id, act.version);
      return { status: "stale", message: `Ce brouillon a été modifié entre-temps par ${author ? `${author.first_name} ${author.last_name}` : "une autre personne"} ; rechargez la page.` };
    }
    const built = build(act);
    if ("errors" in built) return { status: "invalid", errors: built.errors };
    if (JSON.stringify(built.data) === JSON.stringify(act.data)) return { status: "unchanged" };
    const version = act.version + 1;
    await trx.updateTable("conventions").set({ data: JSON.stringify(built.data), version, updated_at: new Date() }).where("id", "=", act.id).execute();
    await insertConventionVersion(trx, { conventionId: act.id, version, data: built.data, authorId: user.id, summary: built.summary });
    // Other signatories (a notice switched to or from « d'un commun accord »): a saved circuit no longer fits, the proposal follows the blocks.
    if (JSON.stringify(built.data.signatures) !== JSON.stringify((act.data as { signatures?: unknown }).signatures)) await replaceCircuit(trx, act.id, []);
    await appendAuditEvent(trx, { conventionId: act.id, type: "brouillon_modifie", actorId: user.id, ip: meta.ip ?? null, userAgent: meta.userAgent ?? null, payload: { version, summary: built.summary } });
    return { status: "saved", version };
  });
}

export async function saveAvenant(db: Database, user: ConventionUser, avenantId: string, input: { expectedVersion: number; form: Record<string, unknown> }, meta: Meta = {}): Promise<SaveActResult> {
  const parsed = parseAvenantForm(input.form);
  if (!parsed.ok) return { status: "invalid", errors: parsed.errors };
  const value = parsed.value;
  return saveChildAct(db, user, avenantId, "avenant", input.expectedVersion, meta, (act) => {
    // The base was copied from a signed consolidation at creation (already validated convention data).
    const before = (act.data ?? {}) as { base?: Convention };
    if (!before.base) return { errors: [{ path: "operations", message: "Cet avenant n'a pas de convention de base : recréez-le depuis la convention." }] };
    const operations = value.operations as AvenantOperation[];
    const applied = applyAvenant(before.base, operations);
    if (!applied.ok) return { errors: applied.errors };
    const data = { ...(act.data as Record<string, unknown>), objet: value.objet, lieuSignature: value.lieuSignature, operations };
    return { data, summary: `${operations.length} modification${operations.length > 1 ? "s" : ""} de la convention` };
  });
}
