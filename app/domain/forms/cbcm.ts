import { z } from "zod";

export const cbcmSchema = z.object({
  name: z.string().trim().min(1, { message: "Le nom est obligatoire." }).max(200),
  emails: z
    .string()
    .transform((v) => v.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.email({ message: "Une des adresses électroniques est invalide." })).min(1, { message: "Indiquez au moins une adresse électronique." }).max(20)),
  ministry: z.string().trim().max(200).transform((v) => v || null),
  servesPremierMinistre: z.boolean(),
});
