import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { isStepComplete } from "../domain/circuit";
import { anchorAuditChain, appendAuditEvent } from "../models/audit.server";
import { getDocument, latestDocument } from "../models/circuit.server";
import { signPdf } from "../pdf/sign";
import { actingMember, CircuitError, guard, lockConvention, startStep, type Actor, type CircuitDeps, type Trx } from "./circuit-shared.server";
import { sha256 } from "./launch-circuit.server";
import { CODE_MAX_ATTEMPTS, hashSigningCode } from "./send-signing-code.server";
import { finishCircuit } from "./finish-circuit.server";

export class WrongCodeError extends CircuitError {}

/**
 * Signs the current step for `actor` (or for the titular they stand in for): the one-time code,
 * the turn, the frozen document's hash, then the engine's signature in the person's box, all under
 * the convention's row lock — ten concurrent requests give one signature, one event, one revision.
 */
export async function signStep(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string, code: string) {
  if (!/^\d{6}$/.test(code.trim())) throw new WrongCodeError("Le code doit compter 6 chiffres.");
  await checkCode(db, deps, actor, conventionId, code.trim());

  return db.transaction().execute(async (trx) => {
    // Bounded wait for the act's row lock (issue 14): behind a long operation on the same act (a
    // signature whose external TSA is slow, a completion), the request answers in French, not queues.
    await sql`set local lock_timeout = ${sql.lit(`${SIGN_LOCK_WAIT_MS}ms`)}`.execute(trx);
    const convention = await lockConvention(trx, conventionId).catch(busy);
    if (convention.status !== "en_signature") throw new CircuitError("Ce document n'est pas en cours de signature.");
    const { step, member, delegation } = await actingMember(trx, conventionId, actor.id);
    if (step.kind !== "signature") throw new CircuitError("Cette étape est un visa, pas une signature.");
    const codeRow = await usableCode(trx, actor.id, member.id);
    if (!codeRow || codeRow.code_hash !== hashSigningCode(deps.config.sessionSecret, codeRow.id, code.trim())) {
      throw new WrongCodeError("Ce code n'est plus valable. Demandez-en un nouveau.");
    }

    // Only the frozen document, untouched: its stored bytes must still hash to what was recorded.
    const frozen = await getDocument(trx, conventionId, convention.circuit_round, "fige");
    const current = await latestDocument(trx, conventionId, convention.circuit_round);
    if (!frozen || !current || frozen.sha256 !== convention.frozen_sha256 || sha256(current.bytes) !== current.sha256 || sha256(frozen.bytes) !== frozen.sha256) {
      throw new CircuitError("Le document enregistré ne correspond plus au document figé : signature impossible. Prévenez l'administrateur.");
    }
    const person = await trx
      .selectFrom("people")
      .leftJoin("organisations", "organisations.id", "people.organisation_id")
      .select(["people.first_name", "people.last_name", "people.email", "people.job_title", "organisations.name as organisation"])
      .where("people.id", "=", actor.id)
      .executeTakeFirstOrThrow();
    const actorName = `${person.first_name} ${person.last_name}`;
    const titularName = `${member.first_name} ${member.last_name}`;
    const signatory = {
      name: actorName,
      organisation: person.organisation ?? "",
      email: person.email,
      function: (delegation ? person.job_title : member.job_title) ?? undefined,
    };
    const signer = await deps.pki.signerFor(signatory);
    const data = convention.data as { lieuSignature?: string };
    const signed = await signPdf(new Uint8Array(current.bytes), {
      signer,
      tsa: deps.pki.tsa,
      signatory,
      fieldName: member.field_name ?? undefined,
      reason: `Signature de « ${convention.title} »`,
      location: data.lieuSignature,
      delegation: delegation ? { holder: titularName, delegate: actorName } : undefined,
    });
    const revision = current.kind === "fige" ? 1 : current.revision + 1;
    const hash = sha256(signed.pdf);
    await trx
      .insertInto("documents")
      .values({ convention_id: conventionId, kind: "signe", round: convention.circuit_round, revision, sha256: hash, size: signed.pdf.length, bytes: signed.pdf })
      .execute();
    await trx.updateTable("signing_codes").set({ used_at: sql`now()` }).where("id", "=", codeRow.id).execute();
    await trx.updateTable("step_members").set({ status: "signe", acted_at: signed.signedAt, acted_by: actor.id }).where("id", "=", member.id).execute();
    await appendAuditEvent(trx, {
      conventionId,
      type: "signature",
      actorId: actor.id,
      authMethod: actor.authMethod,
      ip: actor.ip,
      userAgent: actor.userAgent,
      documentSha256: hash,
      payload: {
        step: step.position,
        field: signed.fieldName,
        onBehalfOf: delegation ? { titularId: member.person_id, titular: titularName, act: delegation.act_reference } : null,
        previousSha256: current.sha256,
      },
    });
    // The journal's head, signature included, timestamped by the TSA: a later cut shows.
    await anchorAuditChain(trx, deps.pki.tsa, conventionId, "signature");
    const last = await advance(trx, deps, convention, step);
    if (last) await finishCircuit(trx, deps, { ...convention }, signed.pdf);
    return { sha256: hash, completed: last };
  });
}

/** How long a signature waits for the act's row lock before answering « réessayez ». */
export const SIGN_LOCK_WAIT_MS = 5000;
export const BUSY_MESSAGE = "Une autre opération est en cours sur ce document : réessayez dans quelques secondes.";

/** 55P03 lock_not_available (lock_timeout ran out) as the French refusal; anything else unchanged. */
function busy(error: unknown): never {
  if ((error as { code?: string }).code === "55P03") throw new CircuitError(BUSY_MESSAGE);
  throw error;
}

/** After a member acted: closes the step when its rule is met and starts the next. True when none is left. */
export async function advance(trx: Trx, deps: CircuitDeps, convention: { id: string; title: string; circuit_round: number; status: string }, step: { id: string; rule: "tous" | "un"; position: number }) {
  const members = await trx.selectFrom("step_members").select(["id", "status"]).where("step_id", "=", step.id).execute();
  if (!isStepComplete(step.rule, members.map((m) => m.status))) return false;
  if (step.rule === "un") {
    await trx.updateTable("step_members").set({ status: "non_requis" }).where("step_id", "=", step.id).where("status", "=", "en_attente").execute();
  }
  await trx.updateTable("circuit_steps").set({ status: "terminee", completed_at: new Date() }).where("id", "=", step.id).execute();
  const next = await trx
    .selectFrom("circuit_steps")
    .select("id")
    .where("convention_id", "=", convention.id)
    .where("position", ">", step.position)
    .orderBy("position")
    .limit(1)
    .executeTakeFirst();
  if (next) {
    guard(convention.status, { type: "signer_etape", derniereEtape: false });
    await startStep(trx, deps.config, convention, next.id);
    return false;
  }
  return true;
}

/** A wrong code costs a try, committed on its own: the count survives the refusal. */
async function checkCode(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string, code: string) {
  const outcome = await db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom("step_members")
      .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
      .select("step_members.id")
      .where("circuit_steps.convention_id", "=", conventionId)
      .where("circuit_steps.status", "=", "en_cours")
      .execute();
    const row = await trx
      .selectFrom("signing_codes")
      .selectAll()
      .where("person_id", "=", actor.id)
      .where("member_id", "in", member.length ? member.map((m) => m.id) : ["00000000-0000-0000-0000-000000000000"])
      .where("used_at", "is", null)
      .orderBy("created_at", "desc")
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (!row || new Date(row.expires_at) <= new Date()) return { ok: false as const, message: "Aucun code valable : demandez un nouveau code (il est valable 10 minutes)." };
    if (row.attempts >= CODE_MAX_ATTEMPTS) return { ok: false as const, message: "Ce code est bloqué après 5 essais. Demandez un nouveau code." };
    if (row.code_hash === hashSigningCode(deps.config.sessionSecret, row.id, code)) return { ok: true as const };
    const attempts = row.attempts + 1;
    await trx.updateTable("signing_codes").set({ attempts }).where("id", "=", row.id).execute();
    await appendAuditEvent(trx, { conventionId, type: "code_errone", actorId: actor.id, authMethod: actor.authMethod, ip: actor.ip, userAgent: actor.userAgent, payload: { attempts } });
    const left = CODE_MAX_ATTEMPTS - attempts;
    return {
      ok: false as const,
      message: left > 0 ? `Code incorrect. Il vous reste ${left} essai${left > 1 ? "s" : ""}.` : "Code incorrect. Ce code est désormais bloqué : demandez un nouveau code.",
    };
  });
  if (!outcome.ok) throw new WrongCodeError(outcome.message);
}

async function usableCode(trx: Trx, personId: string, memberId: string) {
  return trx
    .selectFrom("signing_codes")
    .selectAll()
    .where("person_id", "=", personId)
    .where("member_id", "=", memberId)
    .where("used_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .where("attempts", "<", CODE_MAX_ATTEMPTS)
    .orderBy("created_at", "desc")
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}
