import { loadConfig, ConfigError } from "../config.server";
import { openDatabase, DatabaseUnavailableError } from "../../db/connect";
import { migrateForApp } from "../../db/migrate";
import { seedDemo } from "../../db/seed";

const HELP = `paraphe — outil en ligne de commande du portail Paraphe

Utilisation : npx paraphe <commande> [options]

Commandes :
  db migrate                    applique les migrations de la base
  db seed                       crée les données de démonstration (idempotent)
  render DATA.json -o OUT.pdf   produit le PDF d'une convention, d'un avenant ou d'une résiliation à partir de ses données
  sign IN.pdf -o OUT.pdf --name … --email … --organisation … [--function …]
                                signe dans le prochain emplacement de signature libre
  verify FILE.pdf [--json]      vérifie les signatures d'un PDF (code 0 si tout est valide)
  pki export-trust -o trust.pem écrit les certificats à approuver pour vérifier les signatures
  export --format csv|json [-o FICHIER]
                                exporte les données ouvertes (actes signés publiables, schéma
                                templates/schema-conventions.json) ; sans -o, sur la sortie standard
  audit verify [--convention ID]
                                recalcule les journaux d'audit et vérifie leurs ancrages horodatés
                                (code 0 si rien n'est altéré, 1 sinon)
  --help                        affiche cette aide

La configuration (DATA_DIR, DATABASE_URL…) est celle du serveur : voir README.md.`;

type Command = (args: string[], ctx: { dataDir: string; env: NodeJS.ProcessEnv }) => Promise<number>;

/** Commands implemented in their own modules, loaded only when asked for. */
const MODULE_COMMANDS: Record<string, () => Promise<Command>> = {
  render: async () => (await import("./render")).renderCommand as Command,
  sign: async () => (await import("./sign")).signCommand as Command,
  verify: async () => (await import("./verify")).verifyCommand as Command,
  pki: async () => (await import("./pki")).pkiCommand as Command,
  audit: async () => (await import("./audit")).auditCommand as Command,
  export: async () => (await import("./export")).exportCommand as Command,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return command ? 0 : 64;
  }
  try {
    if (command === "db") return await dbCommand(rest);
    const load = MODULE_COMMANDS[command];
    if (!load) {
      console.error(`Commande inconnue : ${command}\n\n${HELP}`);
      return 64;
    }
    const config = loadConfig(process.env);
    return await (await load())(rest, { dataDir: config.dataDir, env: process.env });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
}

async function dbCommand([sub]: string[]): Promise<number> {
  if (sub !== "migrate" && sub !== "seed") {
    console.error("Utilisation : paraphe db migrate | paraphe db seed");
    return 64;
  }
  const config = loadConfig(process.env);
  const db = await openDatabase(config);
  try {
    const applied = await migrateForApp(config, db);
    console.log(applied.length ? `Migrations appliquées : ${applied.join(", ")}` : "La base est à jour.");
    if (sub === "seed") {
      const { created } = await seedDemo(db);
      console.log(created.length ? `Données de démonstration créées : ${created.join(", ")}` : "Données de démonstration déjà présentes.");
    }
    return 0;
  } finally {
    await db.destroy();
  }
}
