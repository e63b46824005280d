import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { isStepComplete } from "../domain/circuit";
import { anchorAuditChain, appendAuditEvent, auditHead, plannedEventHash, storeAnchorAhead } from "../models/audit.server";
import { getDocument, latestDocument } from "../models/circuit.server";
import { latestRevisionRef } from "../models/documents.server";
import { signPdf, timestampOrThrow } from "../pdf/signing/sign";
import { actingMember, CircuitError, guard, lockConvention, startStep, type Actor, type CircuitDeps, type Trx } from "./circuit-shared.server";
import { sha256 } from "./launch-circuit.server";
import { CODE_MAX_ATTEMPTS, hashSigningCode } from "./send-signing-code.server";
import { finishCircuit, prepareCompletion } from "./finish-circuit.server";

export class WrongCodeError extends CircuitError {}

/** How long a signature waits for the act's row lock before answering « réessayez ». */
export const SIGN_LOCK_WAIT_MS = 5000;
export const BUSY_MESSAGE = "Une autre opération est en cours sur ce document : réessayez dans quelques secondes.";
export const MOVED_MESSAGE = "Le document a été modifié pendant votre signature (une autre signature est arrivée au même moment) : réessayez.";
/** Signatures made again when the act moved while the timestamps were being taken (a co-signer of the same step). */
const MAX_ATTEMPTS = 3;

export type SignTimings = { lockMs: number; outsideMs: number; completionMs: number | null; attempts: number };

/**
 * Signs the current step for `actor` (or for the titular they stand in for) in three phases, so that
 * no RFC 3161 request is made while the act's row is locked (issue 14):
 * 1. under a short lock, the one-time code, the turn and the frozen document's hash are checked and
 *    the document to sign is read (nothing written);
 * 2. without a lock, the signer's certificate, the CMS with its signature timestamp, the journal
 *    anchor's timestamp and, at the last signature, the B-LTA completion (DSS + document timestamp)
 *    are made from that state;
 * 3. under the lock again, nothing may have moved (status, round, step, member, code, latest
 *    revision): then everything is written in one transaction, completion included. When only the
 *    document moved (a co-signer of the same step signed meanwhile), the signature is made again
 *    on the new revision; anything else refuses in French. Ten concurrent requests still give one
 *    signature, one event, one revision.
 */
export async function signStep(db: Database, deps: CircuitDeps, actor: Actor, conventionId: string, code: string) {
  if (!/^\d{6}$/.test(code.trim())) throw new WrongCodeError("Le code doit compter 6 chiffres.");
  await checkCode(db, deps, actor, conventionId, code.trim());
  for (let attempt = 1; ; attempt++) {
    const plan = await db.transaction().execute(async (trx) => prepare(trx, deps, actor, conventionId, code.trim()));
    const made = await makeOutsideLock(deps, actor, plan);
    const written = await write(db, deps, actor, plan, made, attempt);
    if (written === "moved") {
      if (attempt < MAX_ATTEMPTS) continue;
      throw new CircuitError(MOVED_MESSAGE);
    }
    const timings: SignTimings = { ...written.timings, outsideMs: Math.round(made.outsideMs), attempts: attempt };
    // One line per signature, read by `npm run bench:load` (bench/load.ts); tests read the timings returned.
    if (!process.env.VITEST) console.info(
      `[signature] ${conventionId} : verrou ${timings.lockMs} ms, achèvement ${timings.completionMs ?? "—"} ms, horodatage hors verrou ${timings.outsideMs} ms` +
        (attempt > 1 ? ` (${attempt} essais)` : ""),
    );
    return { sha256: written.sha256, completed: written.completed, timings };
  }
}

type Plan = Awaited<ReturnType<typeof prepare>>;

/** Phase 1, under the lock: every check of the signature, and what it will sign. Writes nothing. */
async function prepare(trx: Trx, deps: CircuitDeps, actor: Actor, conventionId: string, code: string) {
  // Bounded wait for the act's row lock (issue 14): behind a long operation on the same act (a
  // completion), the request answers in French, not queues.
  await sql`set local lock_timeout = ${sql.lit(`${SIGN_LOCK_WAIT_MS}ms`)}`.execute(trx);
  const convention = await lockConvention(trx, conventionId).catch(busy);
  if (convention.status !== "en_signature") throw new CircuitError("Ce document n'est pas en cours de signature.");
  const { step, member, delegation } = await actingMember(trx, conventionId, actor.id);
  if (step.kind !== "signature") throw new CircuitError("Cette étape est un visa, pas une signature.");
  const codeRow = await usableCode(trx, actor.id, member.id);
  if (!codeRow || codeRow.code_hash !== hashSigningCode(deps.config.sessionSecret, codeRow.id, code)) {
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
  return {
    convention,
    step,
    member,
    delegation,
    codeId: codeRow.id,
    current: { id: current.id, kind: current.kind, revision: current.revision, sha256: current.sha256, bytes: new Uint8Array(current.bytes) },
    actorName,
    titularName,
    signatory: {
      name: actorName,
      organisation: person.organisation ?? "",
      email: person.email,
      function: (delegation ? person.job_title : member.job_title) ?? undefined,
    },
    auditHead: (await auditHead(trx, conventionId))?.hash ?? null,
    last: await isLastSignature(trx, step, member.id),
  };
}

/** True when this member's signature closes the circuit: their step's rule is then met and no step follows. */
async function isLastSignature(trx: Trx, step: { id: string; rule: "tous" | "un"; position: number; convention_id: string }, memberId: string) {
  const members = await trx.selectFrom("step_members").select(["id", "status"]).where("step_id", "=", step.id).execute();
  if (!isStepComplete(step.rule, members.map((m) => (m.id === memberId ? "signe" : m.status)))) return false;
  const next = await trx.selectFrom("circuit_steps").select("id").where("convention_id", "=", step.convention_id).where("position", ">", step.position).executeTakeFirst();
  return !next;
}

/** Phase 2, no lock held: everything that waits on the PKI or the TSA, from the state read in phase 1. */
async function makeOutsideLock(deps: CircuitDeps, actor: Actor, plan: Plan) {
  const started = performance.now();
  const { convention, member, delegation, current } = plan;
  const signer = await deps.pki.signerFor(plan.signatory);
  const data = convention.data as { lieuSignature?: string };
  const signed = await signPdf(current.bytes, {
    signer,
    tsa: deps.pki.tsa,
    signatory: plan.signatory,
    fieldName: member.field_name ?? undefined,
    reason: `Signature de « ${convention.title} »`,
    location: data.lieuSignature,
    delegation: delegation ? { holder: plan.titularName, delegate: plan.actorName, act: delegation.act_reference } : undefined,
  });
  const hash = sha256(signed.pdf);
  // The journal's head, signature included, timestamped by the TSA (a later cut shows): its hash is
  // known ahead (same previous event and time), so is its timestamp.
  const event = {
    conventionId: convention.id,
    type: "signature",
    actorId: actor.id,
    authMethod: actor.authMethod,
    ip: actor.ip,
    userAgent: actor.userAgent,
    documentSha256: hash,
    payload: {
      step: plan.step.position,
      field: signed.fieldName,
      onBehalfOf: delegation ? { titularId: member.person_id, titular: plan.titularName, act: delegation.act_reference } : null,
      previousSha256: current.sha256,
    },
    createdAt: new Date(),
  };
  const eventHash = plannedEventHash(event, plan.auditHead);
  const anchorToken = await timestampOrThrow(deps.pki.tsa, Buffer.from(eventHash, "hex"));
  const completion = plan.last ? await prepareCompletion(deps, convention, signed.pdf, eventHash) : undefined;
  return { signed, hash, event, eventHash, anchorToken, completion, outsideMs: performance.now() - started };
}

/** Phase 3, under the lock again: refuses or retries when anything moved, else writes it all (completion included). */
async function write(db: Database, deps: CircuitDeps, actor: Actor, plan: Plan, made: Awaited<ReturnType<typeof makeOutsideLock>>, attempt: number) {
  let lockedAt = 0;
  let completionMs: number | null = null;
  const outcome = await db.transaction().execute(async (trx) => {
    await sql`set local lock_timeout = ${sql.lit(`${SIGN_LOCK_WAIT_MS}ms`)}`.execute(trx);
    const convention = await lockConvention(trx, plan.convention.id).catch(busy);
    lockedAt = performance.now();
    if (convention.status !== "en_signature") throw new CircuitError("Ce document n'est pas en cours de signature.");
    if (convention.circuit_round !== plan.convention.circuit_round || convention.frozen_sha256 !== plan.convention.frozen_sha256) throw new CircuitError(MOVED_MESSAGE);
    const { step, member } = await actingMember(trx, convention.id, actor.id);
    if (step.id !== plan.step.id || member.id !== plan.member.id) throw new CircuitError(MOVED_MESSAGE);
    const codeRow = await usableCode(trx, actor.id, member.id);
    if (codeRow?.id !== plan.codeId) throw new WrongCodeError("Ce code n'est plus valable. Demandez-en un nouveau.");
    const current = await latestRevisionRef(trx, convention.id, convention.circuit_round);
    // Another signature of the same step came in meanwhile: this one covers an older revision.
    if (!current || current.id !== plan.current.id || current.sha256 !== plan.current.sha256) return "moved" as const;

    const { signed, hash } = made;
    const revision = plan.current.kind === "fige" ? 1 : plan.current.revision + 1;
    await trx
      .insertInto("documents")
      .values({ convention_id: convention.id, kind: "signe", round: convention.circuit_round, revision, sha256: hash, size: signed.pdf.length, bytes: signed.pdf })
      .execute();
    await trx.updateTable("signing_codes").set({ used_at: sql`now()` }).where("id", "=", plan.codeId).execute();
    await trx.updateTable("step_members").set({ status: "signe", acted_at: signed.signedAt, acted_by: actor.id }).where("id", "=", member.id).execute();
    await appendAuditEvent(trx, made.event);
    // The anchor timestamped ahead fits when no other event came in since phase 1; else it is taken now.
    if (!(await storeAnchorAhead(trx, convention.id, made.eventHash, "signature", made.anchorToken))) {
      await anchorAuditChain(trx, deps.pki.tsa, convention.id, "signature");
    }
    const last = await advance(trx, deps, convention, step);
    if (last) {
      const started = performance.now();
      await finishCircuit(trx, deps, { ...convention }, signed.pdf, made.completion);
      completionMs = Math.round(performance.now() - started);
    }
    return { sha256: hash, completed: last };
  });
  if (outcome === "moved") return outcome;
  return { ...outcome, timings: { lockMs: Math.round(performance.now() - lockedAt), completionMs } };
}

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
