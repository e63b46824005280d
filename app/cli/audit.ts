/**
 * `paraphe audit verify [--convention ID]`: recomputes every audit chain (or one convention's),
 * checks each TSA anchor (imprint = the chain's head hash, valid and trusted token) and says in
 * French what is broken. Exit 0 when every chain is intact, 1 otherwise.
 */
import { X509Certificate } from "node:crypto";
import { openDatabase, type Database } from "../../db/connect";
import { loadConfig } from "../config.server";
import { checkAuditChain, type AnchorTokenCheck } from "../models/audit.server";
import { UUID_RE } from "../models/conventions.server";
import { openPki } from "../pdf/pki/pki";
import { verifyToken } from "../pdf/pki/trust";

const USAGE = "Utilisation : paraphe audit verify [--convention ID]";

const LIMITS =
  "Limite : des évènements ajoutés après le dernier ancrage d'une chaîne, puis supprimés, ne se voient pas ; " +
  "qui détient le rôle propriétaire de la base peut aussi réécrire une chaîne entière avec de nouveaux ancrages (horodatés à leur nouvelle date) : " +
  "comparez les ancrages à ceux imprimés dans le certificat de signature remis aux parties.";

export async function auditCommand(args: string[], ctx: { dataDir: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const [sub, ...rest] = args;
  const conventionAt = rest.indexOf("--convention");
  const conventionId = conventionAt >= 0 ? rest[conventionAt + 1] : undefined;
  const known = rest.every((a, i) => a === "--convention" || (i > 0 && rest[i - 1] === "--convention"));
  if (sub !== "verify" || !known || (conventionAt >= 0 && !conventionId)) {
    console.error(USAGE);
    return 64;
  }
  if (conventionId !== undefined && !UUID_RE.test(conventionId)) {
    console.error(`Identifiant de convention invalide : ${conventionId}`);
    return 64;
  }
  const config = loadConfig(ctx.env);
  const pki = await openPki(ctx);
  const trusted = pki.trustedCertificates().map((der) => new X509Certificate(der));
  const checkToken: AnchorTokenCheck = (token, imprint) => verifyToken(token, imprint, [], trusted, [], new Date());
  const db = await openDatabase(config);
  try {
    return await verifyAudit(db, { conventionId, checkToken }, (line) => console.log(line));
  } finally {
    await db.destroy();
  }
}

/** The command's work on an open database: one line per chain, its problems, a summary. Returns the exit code. */
export async function verifyAudit(db: Database, options: { conventionId?: string; checkToken?: AnchorTokenCheck }, print: (line: string) => void): Promise<number> {
  const conventions = await db
    .selectFrom("conventions")
    .select(["id", "title"])
    .$if(options.conventionId !== undefined, (q) => q.where("id", "=", options.conventionId!))
    .orderBy("created_at")
    .execute();
  if (options.conventionId && conventions.length === 0) {
    print(`Convention introuvable : ${options.conventionId}`);
    return 66;
  }
  const chains: { id: string | null; label: string }[] = conventions.map((c) => ({ id: c.id, label: `Convention « ${c.title} » (${c.id})` }));
  if (!options.conventionId) chains.push({ id: null, label: "Journal du portail (hors conventions)" });
  let broken = 0;
  for (const chain of chains) {
    const report = await checkAuditChain(db, chain.id, options.checkToken);
    const counts = `${report.events} évènement${report.events > 1 ? "s" : ""}, ${report.anchors} ancrage${report.anchors > 1 ? "s" : ""}`;
    if (report.ok) {
      print(`${chain.label} : ${counts} — intègre`);
      continue;
    }
    broken++;
    print(`${chain.label} : ${counts} — ALTÉRÉ`);
    for (const problem of report.problems) print(`  - ${problem}`);
  }
  print("");
  print(broken === 0 ? `${chains.length} journal(aux) vérifié(s) : aucune altération détectée.` : `${chains.length} journal(aux) vérifié(s) : ${broken} altéré(s).`);
  print(LIMITS);
  return broken === 0 ? 0 : 1;
}
