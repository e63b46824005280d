/**
 * Create a draft convention from the template: the draft keeps its own copy of every visa,
 * article and annex (`createDraftFromTemplate`), the rédacteur's organisation is the délégant,
 * the chosen registered organisations are the délégataires; version 1 is recorded.
 */
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Organisation } from "../../db/schema";
import type { ConventionInput } from "../domain/convention";
import { LIMITS, normaliseDraft } from "../domain/convention-draft";
import { appendAuditEvent } from "../models/audit.server";
import { insertConventionVersion } from "../models/convention-versions.server";
import type { Executor } from "../models/people.server";
import { conventionTemplates, createDraftFromTemplate } from "../templates/convention";
import { templateSource } from "./render-draft.server";

/** The templates offered on the new-draft page (through this .server module: they read files). */
export { conventionTemplates };

export class CreateDraftError extends Error {
  constructor(
    message: string,
    readonly field: "intitule" | "delegataires" | "organisation" | "modele",
  ) {
    super(message);
  }
}

export type CreateDraftInput = {
  actorId: string;
  intitule: string;
  delegataireIds: string[];
  meta?: { ip?: string | null; userAgent?: string | null };
  modele?: string;
};

async function firstSignataire(trx: Executor, organisationId: string) {
  return trx
    .selectFrom("people")
    .select(["first_name", "last_name", "job_title", "email"])
    .where("organisation_id", "=", organisationId)
    .where("active", "=", true)
    .where(sql<boolean>`'signataire' = any(roles)`)
    .orderBy("last_name")
    .orderBy("first_name")
    .executeTakeFirst();
}

export async function createDraft(db: Database, input: CreateDraftInput) {
  const intitule = input.intitule.trim();
  if (!intitule) throw new CreateDraftError("L'intitulé est obligatoire", "intitule");
  if (intitule.length > LIMITS.intitule) throw new CreateDraftError(`L'intitulé ne peut pas dépasser ${LIMITS.intitule} caractères`, "intitule");
  const ids = [...new Set(input.delegataireIds)];
  if (ids.length === 0) throw new CreateDraftError("Choisissez au moins un délégataire", "delegataires");
  if (ids.length > LIMITS.arrays.delegataires) throw new CreateDraftError(`${LIMITS.arrays.delegataires} délégataires au plus`, "delegataires");

  return db.transaction().execute(async (trx) => {
    const actor = await trx.selectFrom("people").selectAll().where("id", "=", input.actorId).executeTakeFirstOrThrow();
    if (!actor.organisation_id) throw new CreateDraftError("Votre compte n'est rattaché à aucune organisation : demandez à un administrateur de le rattacher.", "organisation");
    if (!actor.roles.includes("redacteur")) throw new CreateDraftError("Seul un rédacteur peut créer une convention.", "organisation");
    const delegant = await trx.selectFrom("organisations").selectAll().where("id", "=", actor.organisation_id).executeTakeFirstOrThrow();
    if (ids.includes(delegant.id)) throw new CreateDraftError("Votre organisation est le délégant : elle ne peut pas être aussi délégataire.", "delegataires");
    const found = await trx.selectFrom("organisations").selectAll().where("id", "in", ids).execute();
    if (found.length !== ids.length) throw new CreateDraftError("Un des délégataires choisis n'existe pas.", "delegataires");
    const delegataires = ids.map((id) => found.find((o) => o.id === id)!);

    const party = async (org: Organisation, alias: string[]) => {
      const sig = await firstSignataire(trx, org.id);
      return {
        org,
        sig,
        partie: {
          nom: org.name,
          adresse: org.address ?? "",
          alias,
          representant: { nom: sig ? `${sig.first_name} ${sig.last_name}` : "", fonction: sig?.job_title ?? "" },
        },
      };
    };
    const p0 = await party(delegant, ["le délégant"]);
    const ps = await Promise.all(
      delegataires.map((o, i) => party(o, [delegataires.length === 1 ? "le délégataire" : `le délégataire n° ${i + 1}`, `la ${o.short_name}`])),
    );
    const block = (p: Awaited<ReturnType<typeof party>>, partie: "delegant" | "delegataire", index: number) => ({
      partie,
      indexDelegataire: index,
      libelle: `${p.org.short_name},`,
      nom: p.sig ? `${p.sig.first_name} ${p.sig.last_name}` : "",
      fonction: p.sig?.job_title ?? "",
      email: p.sig?.email ?? "",
    });
    const partial = {
      titre: "Convention de délégation de gestion",
      delegant: p0.partie,
      delegataires: ps.map((p) => p.partie),
      numerotation: "article-deux-points",
      financement: {
        uo: "",
        echeancier: [{ annee: new Date().getFullYear() + 1, ae: "", cp: "" }],
        chorus: { axeMinisteriel: "", domaineFonctionnel: "", centreFinancier: "", activites: [{ code: "", libelle: "" }], centreDeCout: "" },
      },
      services: [],
      debut: { regle: "signature" },
      dateFin: "",
      preavisMois: 3,
      lieuSignature: "Paris",
      signatures: [block(p0, "delegant", 0), ...ps.map((p, i) => block(p, "delegataire", i))],
    } as unknown as Partial<ConventionInput>;
    const modele = input.modele ?? "convention";
    if (!/^[a-z0-9-]{1,60}$/.test(modele) || !conventionTemplates().some((t) => t.name === modele))
      throw new CreateDraftError("Ce modèle n'existe pas : choisissez un des modèles proposés.", "modele");
    const data = normaliseDraft(createDraftFromTemplate(templateSource(modele), partial, modele) as Record<string, unknown>);

    const convention = await trx
      .insertInto("conventions")
      .values({
        kind: "convention",
        parent_id: null,
        status: "brouillon",
        title: intitule,
        reference: null,
        delegant_organisation_id: delegant.id,
        template: modele,
        data: JSON.stringify(data),
        version: 1,
        frozen_sha256: null,
        created_by: actor.id,
      })
      .returning(["id", "version"])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("convention_organisations")
      .values([
        { convention_id: convention.id, organisation_id: delegant.id, role: "delegant" as const },
        ...delegataires.map((o) => ({ convention_id: convention.id, organisation_id: o.id, role: "delegataire" as const })),
      ])
      .execute();
    await insertConventionVersion(trx, {
      conventionId: convention.id,
      version: 1,
      data,
      authorId: actor.id,
      summary: `Création depuis le modèle « ${modele} » version ${data.modeleVersion ?? 1} (${data.articles.length} articles copiés)`,
    });
    await appendAuditEvent(trx, {
      conventionId: convention.id,
      type: "brouillon_cree",
      actorId: actor.id,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
      payload: { modele, modeleVersion: data.modeleVersion ?? 1, intitule, delegataires: delegataires.map((o) => o.id) },
    });
    return { id: convention.id, version: 1, data };
  });
}
