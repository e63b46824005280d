import { z } from "zod";
import { ROLES } from "../roles";

const required = (label: string) => z.string().trim().min(1, { message: `${label} est obligatoire.` }).max(200);

export const personSchema = z.object({
  firstName: required("Le prénom"),
  lastName: required("Le nom"),
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "Adresse électronique invalide." })),
  jobTitle: z.string().trim().max(300).optional().transform((v) => v || null),
  organisationId: z.string().uuid({ message: "Choisissez une organisation." }).or(z.literal("").transform(() => null)),
  roles: z.array(z.enum(ROLES as [string, ...string[]])).min(1, { message: "Choisissez au moins un rôle." }),
  active: z.boolean(),
});

export const organisationSchema = z.object({
  name: required("Le nom"),
  shortName: required("Le sigle"),
  ministry: required("Le ministère de rattachement"),
  address: z.string().trim().max(500).optional().transform((v) => v || null),
});

/** FormData → plain object: repeated keys become arrays, checkboxes booleans. */
export function formToObject(form: FormData, arrays: string[] = [], booleans: string[] = []): Record<string, unknown> {
  // Keys are chosen by whoever sends the form: a null prototype keeps them plain data.
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of form.entries()) if (typeof value === "string" && !arrays.includes(key)) out[key] = value;
  for (const key of arrays) out[key] = form.getAll(key).filter((v) => typeof v === "string");
  for (const key of booleans) out[key] = form.get(key) === "on" || form.get(key) === "true";
  return out;
}

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = Object.create(null);
  for (const issue of error.issues) {
    const key = issue.path.join(".");
    if (!out[key]) out[key] = issue.message;
  }
  return out;
}
