import { z } from "zod";

export const loginSchema = z.object({
  email: z
    .string({ message: "Saisissez votre adresse électronique." })
    .trim()
    .min(1, { message: "Saisissez votre adresse électronique." })
    .max(254, { message: "Cette adresse électronique est trop longue." })
    .pipe(z.email({ message: "Adresse électronique invalide : elle doit avoir la forme prenom.nom@ministere.gouv.fr." })),
});
