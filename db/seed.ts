import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./connect";
import type { Role } from "./schema";
import { appendAuditEvent } from "../app/models/audit.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const DEMO_ORGANISATIONS = [
  { key: "justice", name: "Ministère de la Justice — Secrétariat général / Service du numérique", short_name: "MJ SG/SNUM", ministry: "Ministère de la Justice", address: "13 place Vendôme 75001 Paris" },
  { key: "dinum", name: "Direction interministérielle du numérique (DINUM)", short_name: "DINUM", ministry: "Services du Premier ministre", address: "20 avenue de Ségur – TSA 30 719 75 334 PARIS Cedex 07" },
  { key: "culture", name: "Ministère de la Culture — Service du numérique", short_name: "MC SNUM", ministry: "Ministère de la Culture", address: "182 rue Saint-Honoré 75001 Paris" },
] as const;

/** Demo people use the reserved .example domain: their mail can never reach a real mailbox. */
export const DEMO_PEOPLE: { email: string; first_name: string; last_name: string; job_title: string; org: string | null; roles: Role[]; what: string }[] = [
  { email: "camille.durand@justice.example", first_name: "Camille", last_name: "Durand", job_title: "Juriste, Service du numérique", org: "justice", roles: ["redacteur"], what: "rédactrice (Justice)" },
  { email: "anne-florence.canton@justice.example", first_name: "Anne-Florence", last_name: "Canton", job_title: "Cheffe de Service Numérique", org: "justice", roles: ["signataire"], what: "signataire (Justice)" },
  { email: "marc.lemaire@justice.example", first_name: "Marc", last_name: "Lemaire", job_title: "Adjoint à la cheffe de Service Numérique", org: "justice", roles: ["signataire"], what: "signataire suppléant (Justice), délégué de signature possible" },
  { email: "louis.bernard@dinum.example", first_name: "Louis", last_name: "Bernard", job_title: "Chargé des conventions, DINUM", org: "dinum", roles: ["redacteur"], what: "rédacteur (DINUM)" },
  { email: "stephanie.schaer@dinum.example", first_name: "Stéphanie", last_name: "Schaer", job_title: "Directrice interministérielle du numérique", org: "dinum", roles: ["signataire"], what: "signataire (DINUM)" },
  { email: "sophie.petit@dinum.example", first_name: "Sophie", last_name: "Petit", job_title: "Administratrice de Paraphe", org: "dinum", roles: ["administrateur"], what: "administratrice" },
  { email: "paul.girard@culture.example", first_name: "Paul", last_name: "Girard", job_title: "Juriste, Service du numérique", org: "culture", roles: ["redacteur", "signataire"], what: "rédacteur et signataire d'une autre organisation (Culture)" },
  { email: "nadia.lefevre@cbcm.example", first_name: "Nadia", last_name: "Lefèvre", job_title: "Département comptable ministériel", org: null, roles: ["cbcm"], what: "destinataire CBCM" },
];

export const DEMO_CBCM = [
  { name: "CBCM des services du Premier ministre", emails: ["nadia.lefevre@cbcm.example", "cbcm-spm@cbcm.example"], ministry: "Services du Premier ministre", serves_premier_ministre: true },
  { name: "CBCM du ministère de la Justice", emails: ["cbcm-justice@cbcm.example"], ministry: "Ministère de la Justice", serves_premier_ministre: false },
];

export const DEMO_CONVENTION_FILE = path.join(root, "templates/examples/convention-justice-dinum-2022.json");

/**
 * The year the demo draft's schedule falls in. The reference act (signed in 2022) ran until
 * 28 February 2023; the demo draft is meant to be launched, and a draft whose end date is past
 * cannot be (issue 13): its period moves forward by whole years so that it ends after today.
 */
export function demoScheduleYear(now: Date = new Date()): number {
  const year = Number(new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric" }).format(now));
  return Math.max(2023, year + 1);
}

/** The reference data with its end date and schedule moved to the current period (texts unchanged). */
export function demoDraftData(data: Record<string, any>, now: Date = new Date()): Record<string, any> {
  const shift = demoScheduleYear(now) - 2023;
  if (shift === 0) return data;
  const moved = (iso: unknown) => (typeof iso === "string" && /^\d{4}-/.test(iso) ? `${Number(iso.slice(0, 4)) + shift}${iso.slice(4)}` : iso);
  const f = data.financement;
  return {
    ...data,
    dateFin: moved(data.dateFin),
    ...(f ? { financement: { ...f, echeancier: (f.echeancier ?? []).map((e: any) => ({ ...e, annee: typeof e.annee === "number" ? e.annee + shift : e.annee })) } } : {}),
  };
}

/** Idempotent: running it again changes nothing already there. */
export async function seedDemo(db: Database): Promise<{ created: string[] }> {
  const created: string[] = [];
  await db.transaction().execute(async (trx) => {
    const orgIds: Record<string, string> = {};
    for (const { key, ...org } of DEMO_ORGANISATIONS) {
      const existing = await trx.selectFrom("organisations").select("id").where("name", "=", org.name).executeTakeFirst();
      orgIds[key] = existing?.id ?? (await trx.insertInto("organisations").values(org).returning("id").executeTakeFirstOrThrow()).id;
      if (!existing) created.push(`organisation ${org.short_name}`);
    }
    const personIds: Record<string, string> = {};
    for (const { org, what: _what, ...person } of DEMO_PEOPLE) {
      const existing = await trx.selectFrom("people").select("id").where("email", "=", person.email).executeTakeFirst();
      personIds[person.email] =
        existing?.id ??
        (await trx.insertInto("people").values({ ...person, organisation_id: org ? orgIds[org] : null }).returning("id").executeTakeFirstOrThrow()).id;
      if (!existing) created.push(`personne ${person.email}`);
    }
    for (const cbcm of DEMO_CBCM) {
      const existing = await trx.selectFrom("cbcm").select("id").where("name", "=", cbcm.name).executeTakeFirst();
      if (!existing) {
        await trx.insertInto("cbcm").values(cbcm).execute();
        created.push(cbcm.name);
      }
    }

    const data = demoDraftData(JSON.parse(readFileSync(DEMO_CONVENTION_FILE, "utf8"))) as { titre?: string; reference?: string };
    const title = "Convention de délégation de gestion — Incubateur de la Justice (2022)";
    const existing = await trx
      .selectFrom("conventions")
      .select("id")
      .where("delegant_organisation_id", "=", orgIds.justice)
      .where("title", "=", title)
      .executeTakeFirst();
    if (!existing) {
      const author = personIds["camille.durand@justice.example"];
      const convention = await trx
        .insertInto("conventions")
        .values({
          kind: "convention",
          parent_id: null,
          status: "brouillon",
          title,
          reference: data.reference ?? null,
          delegant_organisation_id: orgIds.justice,
          template: "convention",
          data: JSON.stringify(data),
          frozen_sha256: null,
          created_by: author,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("convention_organisations")
        .values([
          { convention_id: convention.id, organisation_id: orgIds.justice, role: "delegant" },
          { convention_id: convention.id, organisation_id: orgIds.dinum, role: "delegataire" },
        ])
        .execute();
      await trx
        .insertInto("convention_versions")
        .values({ convention_id: convention.id, version: 1, data: JSON.stringify(data), author_id: author, summary: "Création depuis le modèle (données de démonstration)" })
        .execute();
      await appendAuditEvent(trx, { conventionId: convention.id, type: "brouillon_cree", actorId: author, payload: { source: "seed" } });
      created.push("convention de démonstration Justice → DINUM");
    }
  });
  return { created };
}
