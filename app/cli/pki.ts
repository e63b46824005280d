/** `paraphe pki export-trust -o trust.pem`: the certificates a validator must trust. */
import fs from "node:fs";
import { openPki } from "../pdf/pki/pki";

const USAGE = "Usage : paraphe pki export-trust -o CONFIANCE.pem";

export async function pkiCommand(args: string[], ctx: { dataDir: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "export-trust") {
    console.error(USAGE);
    return 64;
  }
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "-o" || rest[i] === "--output") out = rest[++i];
    else {
      console.error(USAGE);
      return 64;
    }
  }
  const pki = await openPki(ctx);
  const pem = pki.trustPem();
  if (!out || out === "-") process.stdout.write(pem);
  else {
    fs.writeFileSync(out, pem);
    console.log(`${pki.trustedCertificates().length} certificat(s) écrit(s) dans ${out}`);
  }
  return 0;
}
