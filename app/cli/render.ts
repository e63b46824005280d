/**
 * `paraphe render DATA.json -o OUT.pdf [--html OUT.html] [--template FILE.tpl]`
 * Validates the data with the same schema as the web app and writes the PDF. The data's `modele`
 * chooses the act: a convention (« convention », « convention-generique »…), an « avenant » or a
 * notice of termination (« resiliation ») or a compte rendu d'exécution (« compte-rendu »).
 */
import fs from "node:fs";
import type { z } from "zod";
import { avenantSchema } from "../domain/avenant";
import { conventionSchema, listErrors } from "../domain/convention";
import { resiliationSchema } from "../domain/resiliation";
import { compteRenduSchema } from "../domain/compte-rendu";
import { buildAvenantDocument, buildCompteRenduDocument, buildResiliationDocument } from "../templates/acts";
import { loadTemplate } from "../templates/files";
import { renderConventionHtml, renderConventionPdf } from "../pdf/rendering/convention";
import { renderDocument } from "../pdf/rendering/render";
import { renderHtml } from "../pdf/rendering/render-html";
import { TemplateError } from "../templates/engine";

const USAGE = "Usage : paraphe render DONNEES.json -o SORTIE.pdf [--html SORTIE.html] [--modele FICHIER.tpl]";

export async function renderCommand(args: string[]): Promise<number> {
  let input: string | undefined;
  let output: string | undefined;
  let html: string | undefined;
  let templateFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-o" || a === "--output") output = args[++i];
    else if (a === "--html") html = args[++i];
    else if (a === "--modele" || a === "--template") templateFile = args[++i];
    else if (a === "-h" || a === "--help") {
      console.log(USAGE);
      return 0;
    } else if (!a.startsWith("-") && !input) input = a;
    else {
      console.error(`Option inconnue : ${a}\n${USAGE}`);
      return 64;
    }
  }
  if (!input || (!output && !html)) {
    console.error(USAGE);
    return 64;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(input, "utf8"));
  } catch (e) {
    console.error(`Impossible de lire ${input} : ${(e as Error).message}`);
    return 66;
  }
  const modele = raw && typeof raw === "object" && "modele" in raw ? (raw as { modele: unknown }).modele : undefined;
  const invalid = (error: z.ZodError) => {
    console.error(`Les données de ${input} ne sont pas valides :`);
    for (const e of listErrors(error)) console.error(`  ${e.path || "(racine)"} : ${e.message}`);
    return 65;
  };
  if (modele === "avenant" || modele === "resiliation" || modele === "compte-rendu") {
    const act = modele === "avenant" ? avenantSchema.safeParse(raw) : modele === "resiliation" ? resiliationSchema.safeParse(raw) : compteRenduSchema.safeParse(raw);
    if (!act.success) return invalid(act.error);
    try {
      const templateSource = templateFile ? fs.readFileSync(templateFile, "utf8") : loadTemplate(modele);
      // The same builders as the portal's (buildActDocument in app/templates/acts.ts).
      const doc =
        modele === "avenant"
          ? buildAvenantDocument(templateSource, act.data as z.output<typeof avenantSchema>)
          : modele === "resiliation"
            ? buildResiliationDocument(templateSource, act.data as z.output<typeof resiliationSchema>)
            : buildCompteRenduDocument(templateSource, act.data as z.output<typeof compteRenduSchema>);
      if (output) {
        const r = await renderDocument(doc);
        fs.writeFileSync(output, r.pdf);
        console.log(`${output} : ${r.pageCount} page(s), ${r.boxes.length} emplacement(s) de signature`);
      }
      if (html) {
        fs.writeFileSync(html, renderHtml(doc));
        console.log(`${html} écrit`);
      }
      return 0;
    } catch (e) {
      return failure(e);
    }
  }
  const parsed = conventionSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const templateSource = templateFile ? fs.readFileSync(templateFile, "utf8") : undefined;
    if (output) {
      const r = await renderConventionPdf(parsed.data, { templateSource });
      fs.writeFileSync(output, r.pdf);
      console.log(`${output} : ${r.pageCount} page(s), ${r.boxes.length} emplacement(s) de signature`);
    }
    if (html) {
      fs.writeFileSync(html, renderConventionHtml(parsed.data, { templateSource }));
      console.log(`${html} écrit`);
    }
    return 0;
  } catch (e) {
    return failure(e);
  }
}

function failure(e: unknown): number {
  if (e instanceof TemplateError) {
    console.error(`Erreur dans le modèle — ${e.message}`);
    return 65;
  }
  console.error(`Échec du rendu : ${(e as Error).message}`);
  return 1;
}
