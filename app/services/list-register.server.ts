/**
 * The public register (issue 15), without account: signed, publishable acts only, searched and
 * filtered from the query string (validated: a bad value is ignored with a French message, never
 * an error page), paginated.
 */
import { z } from "zod";
import { ACT_TYPES, PUBLIC_STATUSES, registerKey, type PublicAct } from "../domain/public-act";
import type { Executor } from "../models/people.server";
import {
  findPublicActsByKey,
  listPublicActs,
  listPublicMinistries,
  listRelatedPublicActs,
  referenceCounts,
  type RegisterEntry,
} from "../models/public-acts.server";

export const REGISTER_PAGE_SIZE = 20;
const MAX_PAGE = 1000;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const registerQuerySchema = z.strictObject({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200, "La recherche est limitée à 200 caractères").optional()),
  annee: z.preprocess(blankToUndefined, z.coerce.number({ error: "L'année doit être un nombre" }).int().min(2000, "Année entre 2000 et 2100").max(2100, "Année entre 2000 et 2100").optional()),
  ministere: z.preprocess(blankToUndefined, z.string().max(300).optional()),
  statut: z.preprocess(blankToUndefined, z.enum(PUBLIC_STATUSES, { error: "Statut inconnu" }).optional()),
  type: z.preprocess(blankToUndefined, z.enum(ACT_TYPES, { error: "Type d'acte inconnu" }).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(MAX_PAGE).optional()),
});
export type RegisterQuery = z.output<typeof registerQuerySchema>;

/** Parses the query string; unknown or bad parameters are dropped and reported, the rest applies. */
export function parseRegisterQuery(params: URLSearchParams): { query: RegisterQuery; errors: string[] } {
  const raw: Record<string, string> = Object.create(null);
  for (const key of Object.keys(registerQuerySchema.shape)) {
    const v = params.get(key);
    if (v !== null) raw[key] = v.slice(0, 400);
  }
  const query: Record<string, unknown> = Object.create(null);
  const errors: string[] = [];
  for (const [key, field] of Object.entries(registerQuerySchema.shape)) {
    const r = (field as z.ZodType).safeParse(raw[key]);
    if (r.success) {
      if (r.data !== undefined) query[key] = r.data;
    } else errors.push(r.error.issues[0]?.message ?? `Paramètre « ${key} » invalide`);
  }
  return { query: query as RegisterQuery, errors };
}

export type RegisterItem = PublicAct & { cle: string; ministere: string; referenceParente: string | null };

async function withKeys(db: Executor, entries: RegisterEntry[]): Promise<RegisterItem[]> {
  const counts = await referenceCounts(db, [...new Set(entries.map((e) => e.act.reference).filter((r): r is string => !!r))]);
  return entries.map((e) => ({
    ...e.act,
    cle: registerKey(e.act, e.act.reference !== null && counts.get(e.act.reference) === 1),
    ministere: e.ministry,
    referenceParente: e.parentReference,
  }));
}

export async function listRegister(db: Executor, params: URLSearchParams) {
  const { query, errors } = parseRegisterQuery(params);
  const page = query.page ?? 1;
  const { total, entries } = await listPublicActs(
    db,
    { q: query.q, annee: query.annee, ministere: query.ministere, statut: query.statut, type: query.type },
    { offset: (page - 1) * REGISTER_PAGE_SIZE, limit: REGISTER_PAGE_SIZE },
  );
  return {
    query,
    errors,
    page,
    pageCount: Math.max(1, Math.ceil(total / REGISTER_PAGE_SIZE)),
    total,
    items: await withKeys(db, entries),
    ministries: await listPublicMinistries(db),
  };
}

/** One act of the register by its key, with the other acts of its convention; several when a reference is shared. */
export async function showRegisterEntry(db: Executor, key: string) {
  if (key.length > 200) return { kind: "absent" as const };
  const found = await findPublicActsByKey(db, key);
  if (found.length === 0) return { kind: "absent" as const };
  if (found.length > 1) return { kind: "plusieurs" as const, items: await withKeys(db, found) };
  const [item] = await withKeys(db, found);
  const root = item.conventionParente ?? item.identifiant;
  const related = (await withKeys(db, await listRelatedPublicActs(db, root))).filter((r) => r.identifiant !== item.identifiant);
  return { kind: "un" as const, item, related };
}
