import type { Database } from "../../db/connect";
import type { Role } from "../../db/schema";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { welcomeEmail } from "../email/messages";
import { ROLE_LABELS } from "../domain/roles";
import { appendAuditEvent } from "../models/audit.server";
import { getOrganisation } from "../models/organisations.server";
import { findPersonByEmail, getPerson, insertPerson, updatePerson } from "../models/people.server";
import { revokeSessionsOfPerson } from "../models/sessions.server";
import { DuplicateError } from "./save-organisation.server";

export type PersonInput = {
  firstName: string;
  lastName: string;
  email: string;
  jobTitle: string | null;
  organisationId: string | null;
  roles: Role[];
  active: boolean;
};

/** Where the welcome e-mail points a new person, and who sends it. */
export type WelcomeOptions = { publicUrl: string; mailFrom: string; proconnect: boolean };

/**
 * Creates or updates a person. Deactivating someone, or changing their address, roles or
 * organisation, ends their sessions at once. A new active person gets a welcome e-mail (through the
 * outbox, in the same transaction) saying what they may do and how to sign in.
 */
export function savePerson(db: Database, actorId: string, id: string | null, input: PersonInput, welcome?: WelcomeOptions) {
  return db.transaction().execute(async (trx) => {
    const same = await findPersonByEmail(trx, input.email);
    if (same && same.id !== id) throw new DuplicateError("Cette adresse électronique est déjà utilisée par une autre personne.");
    if (id === actorId && (!input.active || !input.roles.includes("administrateur"))) {
      throw new DuplicateError("Vous ne pouvez pas retirer votre propre rôle d'administrateur ni désactiver votre compte.");
    }
    const values = {
      first_name: input.firstName,
      last_name: input.lastName,
      email: input.email,
      job_title: input.jobTitle,
      organisation_id: input.organisationId,
      roles: input.roles,
      active: input.active,
    };
    const before = id ? await getPerson(trx, id) : undefined;
    const saved = id ? await updatePerson(trx, id, values) : await insertPerson(trx, values);
    if (!saved) throw new Response("Personne introuvable", { status: 404 });
    // A session carries who the person was when they signed in: a new address, other roles or
    // another organisation start afresh, as does a deactivation.
    const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
    const changed = before && (before.email !== saved.email || before.organisation_id !== saved.organisation_id || !sameRoles(before.roles, saved.roles));
    if (!saved.active || changed) await revokeSessionsOfPerson(trx, saved.id);
    await appendAuditEvent(trx, {
      conventionId: null,
      type: id ? "personne_modifiee" : "personne_creee",
      actorId,
      payload: { personId: saved.id, email: saved.email, roles: saved.roles, active: saved.active },
    });
    if (!id && saved.active && welcome) {
      const organisation = saved.organisation_id ? await getOrganisation(trx, saved.organisation_id) : undefined;
      await enqueueEmail(
        trx,
        {
          kind: "bienvenue",
          to: saved.email,
          conventionId: null,
          dedupeKey: `bienvenue:${saved.id}`,
          ...welcomeEmail({
            firstName: saved.first_name,
            email: saved.email,
            roles: saved.roles.map((r) => ROLE_LABELS[r as Role] ?? r),
            organisation: organisation?.name ?? null,
            loginUrl: `${welcome.publicUrl}/connexion`,
            proconnect: welcome.proconnect,
          }),
        },
        mailDomainOf(welcome.mailFrom),
      );
    }
    return saved;
  });
}
