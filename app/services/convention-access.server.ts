/**
 * Who may do what with a convention and its files: the one check every loader and action that
 * touches a convention calls (page, aperçu, PDFs, circuit, signature, transmission, versions).
 * The use cases check again under the convention's lock (rédacteur of a party, turn in the circuit):
 * this check decides what the request may reach, they decide whether the transition is allowed now.
 */
import type { ConventionOrigin, Role } from "../../db/schema";
import { getConventionVisibleTo, UUID_RE } from "../models/conventions.server";
import type { Executor } from "../models/people.server";

/**
 * - read: the page, the aperçu, the PDFs, the versions and the transmissions' status;
 * - sign: the signing page and its actions (whether it is the person's turn is the use case's call);
 * - edit: the draft, the circuit and restoring a version;
 * - transmit: adding or removing a recipient, re-sending a transmission.
 */
export type ConventionNeed = "read" | "sign" | "edit" | "transmit";

/** Roles that may ask for each need; null: any person of a party organisation. */
const ROLES: Record<ConventionNeed, Role[] | null> = {
  read: null,
  sign: null,
  edit: ["redacteur"],
  transmit: ["redacteur", "administrateur"],
};

const REFUSED: Record<ConventionNeed, string> = {
  read: "",
  sign: "",
  edit: "Seuls les rédacteurs peuvent modifier une convention ou son circuit de signature.",
  transmit: "Seuls les rédacteurs et les administrateurs peuvent gérer les destinataires et les envois.",
};

export const CONVENTION_NOT_FOUND = "Cette convention n'existe pas ou ne concerne pas votre organisation.";

export type ConventionUser = { id: string; email: string; roles: Role[]; organisation_id: string | null };

/**
 * The convention as seen by `user` for `need`, or a thrown Response: 403 when the person's roles
 * never allow that need (said before looking the convention up, so it discloses nothing), 404 when
 * the id is malformed, the convention does not exist or does not name the person's organisation
 * as a party (the same answer for both: existence is not disclosed).
 */
export async function requireConventionAccess(db: Executor, user: ConventionUser, conventionId: string, need: ConventionNeed) {
  const roles = ROLES[need];
  if (roles && !roles.some((r) => user.roles.includes(r))) {
    throw new Response(REFUSED[need], { status: 403, statusText: "Accès refusé", headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const convention = UUID_RE.test(conventionId) ? await getConventionVisibleTo(db, conventionId, user.organisation_id) : undefined;
  if (!convention) {
    console.warn(`[accès] ${user.email} a demandé la convention ${JSON.stringify(conventionId.slice(0, 80))} (${need}), refusée ou inexistante`);
    throw new Response(CONVENTION_NOT_FOUND, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return convention;
}

/** What a page about one convention shows at its top (title, status badge, breadcrumb, end date). */
export type ConventionHeading = { id: string; title: string; status: string; kind: string; endsOn: string | null };

/**
 * `requireConventionAccess` for a page that acts on one convention (avenant, résiliation, acte
 * importé), and the heading those pages show. With `origin`, a convention of another origin
 * answers the same 404 as one that does not exist (e.g. the imported-act page of a portal act).
 */
export async function requireConventionPage(db: Executor, user: ConventionUser, conventionId: string, need: ConventionNeed, only: { origin?: ConventionOrigin } = {}) {
  const convention = await requireConventionAccess(db, user, conventionId, need);
  if (only.origin !== undefined && convention.origin !== only.origin) {
    throw new Response(CONVENTION_NOT_FOUND, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const heading: ConventionHeading = { id: convention.id, title: convention.title, status: convention.status, kind: convention.kind, endsOn: convention.ends_on };
  return { convention, heading };
}
