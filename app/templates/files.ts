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
  const src = fs.readFileSync(path.join(TEMPLATES_DIR, `${name}.tpl`), "utf8");
  cache.set(name, src);
  return src;
}
