/** Reads template files from the repository's templates/ folder (server side only). */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// From app/templates/ in the sources, from build/ once bundled, or from the working directory.
const here = path.dirname(fileURLToPath(import.meta.url));
export const TEMPLATES_DIR =
  process.env.PARAPHE_TEMPLATES_DIR ??
  [path.resolve(here, "../../templates"), path.resolve(here, "../templates"), path.resolve(process.cwd(), "templates")].find((dir) =>
    fs.existsSync(path.join(dir, "convention.tpl")),
  ) ??
  path.resolve(process.cwd(), "templates");

const cache = new Map<string, string>();

/** Source of templates/<name>.tpl (« convention », « avenant », « resiliation »). */
export function loadTemplate(name = "convention"): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`Nom de modèle invalide : ${name}`);
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const file = path.join(TEMPLATES_DIR, `${name}.tpl`);
  let src: string;
  try {
    src = fs.readFileSync(file, "utf8");
  } catch (error) {
    // Never another folder's copy: the configured folder lacks it, and the person running it must know.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      // Still an ENOENT for callers that tell « no such model » from other failures.
      throw Object.assign(new Error(`Modèle introuvable : ${file} (dossier des modèles : ${TEMPLATES_DIR}, voir PARAPHE_TEMPLATES_DIR).`), { code: "ENOENT" });
    }
    throw error;
  }
  cache.set(name, src);
  return src;
}

export interface TemplateChoice {
  name: string;
  titre: string;
  description: string;
  version: number;
  /** Frame options the rédacteur may choose per convention with this template. */
  options: string[];
}

/** The convention templates offered at draft creation (templates/convention*.tpl), reference first. */
export function listConventionTemplates(describe: (source: string) => Omit<TemplateChoice, "name">): TemplateChoice[] {
  return fs
    .readdirSync(TEMPLATES_DIR)
    .filter((f) => /^convention[a-z0-9-]*\.tpl$/.test(f))
    .map((f) => f.slice(0, -4))
    .sort((a, b) => (a === "convention" ? -1 : b === "convention" ? 1 : a.localeCompare(b)))
    .map((name) => ({ name, ...describe(loadTemplate(name)) }));
}
