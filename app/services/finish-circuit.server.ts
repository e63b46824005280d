import { eventLabel } from "../domain/events";
import { anchorAuditChain, appendAuditEvent, listAuditAnchors, plannedEventHash, storeAnchorAhead } from "../models/audit.server";
import { renderCertificate } from "../pdf/rendering/certificate";
import { completeDocument } from "../pdf/signing/complete";
import { signPdf, timestampOrThrow } from "../pdf/signing/sign";
import { guard, type CircuitDeps, type Trx } from "./circuit-shared.server";
import { transmitAct } from "./transmit-act.server";
import { applySignedAct } from "./apply-signed-act.server";
import { now } from "../clock.server";
import { enqueueDatagouvUpload } from "./upload-datagouv.server";
import { sha256 } from "./launch-circuit.server";

const AUTH_LABELS: Record<string, string> = { lien_magique: "lien de connexion + code par e-mail", proconnect: "ProConnect + code par e-mail" };

/**
 * What completion can make before the act is locked (issue 14): the B-LTA document (DSS + document
 * timestamp) from the last signed revision, and the timestamp of the completion event it will
 * record after the signature event `signatureEventHash` (its hash is known ahead).
 */
export async function prepareCompletion(deps: CircuitDeps, convention: { id: string; circuit_round: number }, lastSigned: Uint8Array, signatureEventHash: string) {
  const complete = await completeDocument(lastSigned, { tsa: deps.pki.tsa, validationData: deps.pki.validationData() });
  const completeHash = sha256(complete);
  const event = { conventionId: convention.id, type: "circuit_termine", actorId: null, documentSha256: completeHash, payload: { round: convention.circuit_round }, createdAt: new Date() };
  const eventHash = plannedEventHash(event, signatureEventHash);
  const anchorToken = await timestampOrThrow(deps.pki.tsa, Buffer.from(eventHash, "hex"));
  return { lastSigned, complete, completeHash, event, eventHash, anchorToken };
}
export type PreparedCompletion = Awaited<ReturnType<typeof prepareCompletion>>;

/**
 * The last signature is in: validation data and a document timestamp (PAdES B-LTA), the act
 * becomes « signée », the portal seals a signature certificate, and the act is transmitted to the
 * CBCM and the parties.
 * Runs inside the transaction of the last signature: all of it happens, or none. With `prepared`
 * (made without the lock from the same last revision), only the two seals of the certificates ask
 * the TSA while the act is locked (both at once).
 */
export async function finishCircuit(
  trx: Trx,
  deps: CircuitDeps,
  convention: { id: string; kind: string; title: string; reference: string | null; data: unknown; status: string; circuit_round: number; frozen_sha256: string | null },
  lastSigned: Uint8Array,
  prepared?: PreparedCompletion,
) {
  const to = guard(convention.status, { type: "signer_etape", derniereEtape: true });
  const usable = prepared && Buffer.compare(prepared.lastSigned, lastSigned) === 0 && prepared.event.payload.round === convention.circuit_round;
  const complete = usable ? prepared.complete : await completeDocument(lastSigned, { tsa: deps.pki.tsa, validationData: deps.pki.validationData() });
  const completeHash = sha256(complete);
  const round = convention.circuit_round;
  const revisions = await trx.selectFrom("documents").select("revision").where("convention_id", "=", convention.id).where("round", "=", round).execute();
  await trx
    .insertInto("documents")
    .values({ convention_id: convention.id, kind: "complet", round, revision: Math.max(...revisions.map((r) => r.revision)) + 1, sha256: completeHash, size: complete.length, bytes: complete })
    .execute();
  await trx.updateTable("conventions").set({ status: to, updated_at: new Date() }).where("id", "=", convention.id).execute();
  const event = { conventionId: convention.id, type: "circuit_termine", actorId: null, documentSha256: completeHash, payload: { round } };
  await appendAuditEvent(trx, usable ? prepared.event : event);
  // The anchor timestamped ahead fits when the completion event follows the signature it was planned after.
  if (!usable || !(await storeAnchorAhead(trx, convention.id, prepared.eventHash, "achèvement", prepared.anchorToken))) {
    await anchorAuditChain(trx, deps.pki.tsa, convention.id, "achèvement");
  }
  // Dates in force, consolidation, avenant or notice applied to its convention: same transaction
  // (after the anchor: the timestamped head is the completion event itself).
  await applySignedAct(trx, deps.config, convention.id, completeHash, now());

  // The parties' copy shows the IP addresses; the one sent outside the parties does not. Both are
  // read and drawn here, then sealed together (their two seal timestamps are asked at once).
  const drafts = [await renderCertificateFor(trx, convention, completeHash, "parties"), await renderCertificateFor(trx, convention, completeHash, "tiers")];
  const seal = await deps.pki.signerFor(SEAL);
  const [certificate, certificateForThirdParties] = await Promise.all(
    drafts.map(async (pdf) => (await signPdf(pdf, { signer: seal, tsa: deps.pki.tsa, signatory: SEAL, reason: "Certificat de signature" })).pdf),
  );
  await trx
    .insertInto("documents")
    .values([
      { convention_id: convention.id, kind: "certificat", round, revision: 0, sha256: sha256(certificate), size: certificate.length, bytes: certificate },
      { convention_id: convention.id, kind: "certificat_tiers", round, revision: 0, sha256: sha256(certificateForThirdParties), size: certificateForThirdParties.length, bytes: certificateForThirdParties },
    ])
    .execute();

  await transmitAct(trx, deps.config, convention, { signed: complete, certificate, certificateForThirdParties });
  // A publishable act joins the open data: data.gouv.fr's file is replaced (outbox job, same transaction).
  const { publishable } = await trx.selectFrom("conventions").select("publishable").where("id", "=", convention.id).executeTakeFirstOrThrow();
  if (publishable) await enqueueDatagouvUpload(trx, deps.config, `Acte signé : ${convention.title}`);
}

const SEAL = { name: "Portail Paraphe", organisation: "Paraphe", function: "Cachet électronique" };

async function renderCertificateFor(
  trx: Trx,
  convention: { id: string; title: string; reference: string | null; frozen_sha256: string | null; circuit_round: number },
  completeHash: string,
  audience: "parties" | "tiers",
) {
  const parties = await trx
    .selectFrom("convention_organisations")
    .innerJoin("organisations", "organisations.id", "convention_organisations.organisation_id")
    .select(["organisations.name", "convention_organisations.role"])
    .where("convention_id", "=", convention.id)
    .orderBy("convention_organisations.role")
    .execute();
  const events = await trx
    .selectFrom("audit_events")
    .leftJoin("people", "people.id", "audit_events.actor_id")
    .select(["audit_events.type", "audit_events.actor_id", "audit_events.created_at", "audit_events.ip", "audit_events.auth_method", "audit_events.payload", "people.first_name", "people.last_name", "people.job_title"])
    .where("convention_id", "=", convention.id)
    .orderBy("audit_events.id")
    .execute();
  const signatures = await trx
    .selectFrom("step_members")
    .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
    .innerJoin("people as titular", "titular.id", "step_members.person_id")
    .innerJoin("people as actor", "actor.id", "step_members.acted_by")
    .leftJoin("organisations", "organisations.id", "actor.organisation_id")
    .select(["titular.first_name as t_first", "titular.last_name as t_last", "actor.id as actor_id", "actor.first_name", "actor.last_name", "actor.job_title", "organisations.name as organisation", "step_members.acted_at"])
    .where("circuit_steps.convention_id", "=", convention.id)
    .where("step_members.status", "=", "signe")
    .orderBy("step_members.acted_at")
    .execute();
  const lastAuth = (actorId: string) => events.filter((e) => e.type === "signature" && e.actor_id === actorId).pop()?.auth_method ?? "inconnue";
  const signedDocs = await trx
    .selectFrom("documents")
    .select(["kind", "revision", "sha256"])
    .where("convention_id", "=", convention.id)
    .where("round", "=", convention.circuit_round)
    .orderBy("revision")
    .execute();
  const { pdf } = await renderCertificate({
    title: convention.title,
    reference: convention.reference,
    parties: parties.map((p) => ({ name: p.name, role: p.role === "delegant" ? "délégant" : "délégataire" })),
    signatories: signatures.map((s) => ({
      name: `${s.first_name} ${s.last_name}`,
      organisation: s.organisation ?? "",
      function: s.job_title,
      signedAt: new Date(s.acted_at!),
      onBehalfOf: `${s.t_first} ${s.t_last}` !== `${s.first_name} ${s.last_name}` ? `${s.t_first} ${s.t_last}` : null,
      authMethod: AUTH_LABELS[lastAuth(s.actor_id)] ?? lastAuth(s.actor_id),
    })),
    events: events.map((e) => ({ at: new Date(e.created_at), label: eventLabel(e.type), actor: e.first_name ? `${e.first_name} ${e.last_name}` : null, ip: e.ip })),
    hashes: [
      { label: "Document figé au lancement", sha256: convention.frozen_sha256 ?? "" },
      ...signedDocs.filter((d) => d.kind === "signe").map((d) => ({ label: `Après la signature n° ${d.revision}`, sha256: d.sha256 })),
      { label: "Document final (horodaté, B-LTA)", sha256: completeHash },
    ],
    anchors: (await listAuditAnchors(trx, convention.id)).map((a) => ({ at: new Date(a.created_at), reason: a.reason, eventCount: a.event_count, headHash: a.head_hash })),
    issuedAt: new Date(),
    audience,
  });
  return pdf;
}
