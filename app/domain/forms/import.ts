/**
 * The text fields of « Enregistrer une convention signée hors du portail » (the signed PDF itself
 * is read and bounded by the import service, as on the verify page).
 */
import { z } from "zod";
import { listErrors, type FieldError } from "../convention";
import { parseId } from "../ids";

const orgId = (message: string) => z.string({ error: message }).transform((v, ctx) => parseId(v) ?? (ctx.addIssue({ code: "custom", message }), z.NEVER));

export const importFormSchema = z.strictObject({
  intitule: z.string({ error: "L'intitulé est obligatoire" }).trim().min(1, "L'intitulé est obligatoire").max(300, "L'intitulé ne peut pas dépasser 300 caractères"),
  delegant: orgId("Choisissez le délégant"),
  delegataires: z.array(orgId("Un des délégataires choisis n'existe pas"), { error: "Choisissez au moins un délégataire" }).min(1, "Choisissez au moins un délégataire").max(10, "10 délégataires au plus"),
  modele: z.string({ error: "Choisissez un modèle" }).trim().min(1, "Choisissez un modèle").max(100),
});

export type ImportFormValue = z.output<typeof importFormSchema>;

/** From the multipart form's text fields (the file part is not read here). */
export function parseImportForm(form: FormData): { ok: true; value: ImportFormValue } | { ok: false; errors: FieldError[] } {
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const parsed = importFormSchema.safeParse({
    intitule: text("intitule"),
    delegant: text("delegant"),
    delegataires: form.getAll("delegataires").filter((v): v is string => typeof v === "string"),
    modele: text("modele"),
  });
  if (parsed.success) {
    if (parsed.data.delegataires.includes(parsed.data.delegant)) return { ok: false, errors: [{ path: "delegataires", message: "Le délégant ne peut pas être aussi délégataire" }] };
    return { ok: true, value: { ...parsed.data, delegataires: [...new Set(parsed.data.delegataires)] } };
  }
  return { ok: false, errors: listErrors(parsed.error) };
}
