/** `paraphe verify FILE.pdf [--json]`: exit 0 only when every signature is valid and trusted
 * and the last one covers the document. */
import fs from "node:fs";
import { openPki } from "../pdf/pki/pki";
import { formatReportFr, verifyPdf } from "../pdf/verification/verify";

const USAGE = "Usage : paraphe verify FICHIER.pdf [--json]";

export async function verifyCommand(args: string[], ctx: { dataDir: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const json = args.includes("--json");
  const files = args.filter((a) => !a.startsWith("-"));
  if (files.length !== 1 || args.some((a) => a.startsWith("-") && a !== "--json")) {
    console.error(USAGE);
    return 64;
  }
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(files[0]);
  } catch (e) {
    console.error(`Lecture impossible : ${(e as Error).message}`);
    return 66;
  }
  const pki = await openPki(ctx);
  const report = await verifyPdf(bytes, { trusted: pki.trustedCertificates() });
  console.log(json ? JSON.stringify(report, null, 2) : formatReportFr(report));
  return report.ok ? 0 : 1;
}
