import type { AppLoadContext } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { findDocumentsBySha256 } from "../models/documents.server";
import { findSignedDocumentsHolding } from "../models/signed-documents.server";
import { sha256Hex, type VerificationReport } from "../pdf/verification/verify";
import { MAX_UPLOAD_MB } from "../pdf/verification/verify-limits";

const MAX_FILE_BYTES = MAX_UPLOAD_MB * 1024 * 1024;
/** The whole multipart body: the file plus its part headers and the form's other fields. */
export const MAX_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024;
const RATE_WINDOW_MS = 60_000;

export const SATURATED_MESSAGE = "Le service de vérification est saturé, réessayez dans un instant.";

/** What the page shows at the top, read from the report's structured fields and check ids. */
export type VerdictSummary =
  /** Every signature valid and from a trusted authority, the last one covering the file. */
  | { kind: "intact"; signers: { name: string; at: string | null }[] }
  /** Bytes covered by these signatures were changed, or a later revision changed what they signed. */
  | { kind: "modified"; after: string[] }
  /** The signatures hold, but the file has more after the last one. */
  | { kind: "appended" }
  /** Signed, its signatures intact, but none chains to the portal's authority. */
  | { kind: "foreign" }
  | { kind: "unsigned" }
  /** The file could not be analysed (unreadable, too large, too costly). */
  | { kind: "unreadable"; reason: string }
  /** Any other failed check (timestamp, format, chain…): the technical details say which. */
  | { kind: "invalid" };

/**
 * The portal's act behind an uploaded file: `exact`, the file is that act's stored document; else a
 * signed revision of it is at the start of the file; `bySignature`, neither, but the file carries
 * one of that act's signatures (altered since it was signed).
 */
export type KnownAct = { title: string; reference: string | null; status: string; exact: boolean; bySignature: boolean; kind: string };

export type UploadVerification =
  | { status: number; error: string; retryAfterSeconds?: number }
  | {
      status: 200;
      fileName: string;
      report: VerificationReport;
      summary: VerdictSummary;
      act: KnownAct | null;
    };

const signerName = (s: VerificationReport["signatures"][number]) => s.signer?.commonName ?? s.name ?? "signataire inconnu";

export function summarize(report: VerificationReport): VerdictSummary {
  const signatures = report.signatures.filter((s) => s.kind === "signature");
  const failedDocumentChecks = report.documentChecks.filter((c) => !c.ok);
  if (report.signatures.length === 0) {
    if (failedDocumentChecks.length === 1 && failedDocumentChecks[0].id === "signed") return { kind: "unsigned" };
    const first = failedDocumentChecks[0];
    return { kind: "unreadable", reason: first ? `${first.label} : non${first.detail ? ` (${first.detail})` : ""}` : "document illisible" };
  }
  if (report.ok) {
    return { kind: "intact", signers: signatures.map((s) => ({ name: signerName(s), at: s.timestampTime ?? s.claimedTime ?? null })) };
  }
  // Intact signatures, none from the portal's authority: another tool's document.
  if (!signatures.some((s) => s.trusted) && signatures.every((s) => s.intactButUntrusted)) return { kind: "foreign" };
  // A signature the verifier did not find intact: its covered bytes no longer match, its
  // cryptographic signature fails, or a revision changing what a viewer shows follows it.
  const broken = signatures.filter((s) => s.byteRange.length === 4 && !s.intact);
  if (broken.length > 0) return { kind: "modified", after: broken.map(signerName) };
  if (!signatures.some((s) => s.trusted)) return { kind: "foreign" };
  if (!report.lastCoversDocument) return { kind: "appended" };
  return { kind: "invalid" };
}

/** Uploads per client IP in the current minute; refused attempts count too. */
const uploadsByIp = new Map<string, { windowStart: number; count: number }>();

function rateLimited(ip: string, limit: number, now = Date.now()): number | null {
  if (limit <= 0) return null;
  if (uploadsByIp.size > 10_000) for (const [key, v] of uploadsByIp) if (now - v.windowStart >= RATE_WINDOW_MS) uploadsByIp.delete(key);
  let entry = uploadsByIp.get(ip);
  if (!entry || now - entry.windowStart >= RATE_WINDOW_MS) uploadsByIp.set(ip, (entry = { windowStart: now, count: 0 }));
  entry.count++;
  return entry.count > limit ? Math.ceil((entry.windowStart + RATE_WINDOW_MS - now) / 1000) : null;
}

const tooLarge = () => ({ status: 413, error: `Le fichier dépasse ${MAX_UPLOAD_MB} Mo.` });

/**
 * Receives the upload of the public verify page and verifies it in the pool. Every refusal is a
 * French message with its HTTP status; nothing is kept. A place in the pool is taken before the
 * body is read, so that beyond the pool's capacity an upload costs no memory.
 */
export async function verifyUploadRequest(request: Request, context: AppLoadContext): Promise<UploadVerification> {
  const retryAfter = rateLimited(context.clientIp ?? "inconnue", context.config.verify.rateLimitPerIp);
  if (retryAfter !== null) {
    return { status: 429, retryAfterSeconds: retryAfter, error: `Trop de vérifications depuis votre adresse : réessayez dans ${retryAfter} s.` };
  }
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
  const reservation = context.verifyDocument.reserve();
  if (!reservation) return { status: 503, retryAfterSeconds: 2, error: SATURATED_MESSAGE };
  let ran = false;
  try {
    const received = await receiveDocument(request);
    if ("status" in received) return received;
    if (Buffer.from(received.bytes.subarray(0, 5)).toString("latin1") !== "%PDF-") {
      return { status: 415, error: "Ce fichier n'est pas un PDF (il ne commence pas par « %PDF- »)." };
    }
    ran = true;
    const outcome = await reservation.run(received.bytes);
    if (outcome.kind === "saturated") return { status: 503, retryAfterSeconds: outcome.retryAfterSeconds, error: SATURATED_MESSAGE };
    if (outcome.kind === "timeout") {
      return {
        status: 422,
        error: `La vérification a pris trop de temps (plus de ${outcome.seconds} s) : le document est trop complexe pour être vérifié ici. Il n'est pas reconnu comme valide.`,
      };
    }
    return { status: 200, fileName: received.fileName, report: outcome.report, summary: summarize(outcome.report), act: await knownAct(context, received.bytes, outcome.report) };
  } finally {
    if (!ran) reservation.release();
  }
}

/**
 * Reads the multipart body, counting its bytes on the stream (a chunked body declares no length).
 * `fields`: text fields kept besides the file (the import page's); `missing`: the message without a file.
 */
export async function receiveDocument(
  request: Request,
  options: { fields?: string[]; missing?: string } = {},
): Promise<{ fileName: string; bytes: Uint8Array; form: FormData } | { status: number; error: string }> {
  const fields = options.fields ?? [];
  const missing = options.missing ?? "Choisissez un fichier PDF à vérifier.";
  if (!request.body) return { status: 400, error: missing };
  let received = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > MAX_BODY_BYTES) controller.error(new Error("body too large"));
        else controller.enqueue(chunk);
      },
    }),
  );
  const limited = new Request(request.url, { method: request.method, headers: request.headers, body: counted, duplex: "half" } as RequestInit);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      limited,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES, filter: ({ name }) => name === "document" || fields.includes(name) }),
    );
  } catch (error) {
    if (received > MAX_BODY_BYTES || error instanceof MaxPartSizeExceededError) return tooLarge();
    return { status: 400, error: "Le fichier n'a pas pu être reçu. Réessayez." };
  }
  const file = form.get("document");
  if (!(file instanceof File) || file.size === 0) return { status: 400, error: missing };
  return { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), form };
}

/**
 * The portal's act this file is, contains a signed revision of (by SHA-256), or — altered since —
 * still carries a signature of (its /Contents bytes, found in a signed document of the portal).
 */
/** Signatures of an uploaded file looked up in the portal's signed documents, at most. */
const SIGNATURE_LOOKUPS = 8;

async function knownAct(context: AppLoadContext, bytes: Uint8Array, report: VerificationReport): Promise<KnownAct | null> {
  const revisionHashes = report.signatures.filter((s) => s.revisionEnd > 0 && s.revisionEnd <= bytes.length).map((s) => sha256Hex(bytes.subarray(0, s.revisionEnd)));
  const known = await findDocumentsBySha256(context.db, [report.sha256, ...revisionHashes]);
  const act = known.find((k) => k.sha256 === report.sha256) ?? known[0];
  if (act) return { title: act.title, reference: act.reference, status: act.status, exact: act.sha256 === report.sha256, bySignature: false, kind: act.act_kind };
  // The file chooses how many signatures it carries: look up a bounded number of them.
  for (const s of report.signatures.slice(0, SIGNATURE_LOOKUPS)) {
    const at = s.timestampTime ?? s.claimedTime;
    const [b, c] = [s.byteRange[1], s.byteRange[2]];
    if (!at || s.byteRange.length !== 4 || !(b > 0 && c > b && c <= bytes.length)) continue;
    const [held] = await findSignedDocumentsHolding(context.db, bytes.subarray(b, c), new Date(at));
    if (held) return { title: held.title, reference: held.reference, status: held.status, exact: false, bySignature: true, kind: held.act_kind };
  }
  return null;
}
