/** `paraphe sign IN.pdf -o OUT.pdf --name … --email … --organisation … [--function …]`:
 * signs the next free signature box with a certificate issued for that person. */
import fs from "node:fs";
import { openPki } from "../pdf/pki/pki";
import { signPdf, SigningError } from "../pdf/signing/sign";
import { TimestampError } from "../pdf/pki/timestamp";

const USAGE =
  "Usage : paraphe sign ENTREE.pdf -o SORTIE.pdf --name NOM --email COURRIEL --organisation ORGANISATION [--function FONCTION] [--field CHAMP]";

export async function signCommand(args: string[], ctx: { dataDir: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const opts: Record<string, string> = {};
  let input: string | undefined;
  const names: Record<string, string> = {
    "-o": "output", "--output": "output", "--name": "name", "--email": "email",
    "--organisation": "organisation", "--function": "function", "--field": "field",
  };
  for (let i = 0; i < args.length; i++) {
    const key = names[args[i]];
    if (key && i + 1 < args.length) opts[key] = args[++i];
    else if (!args[i].startsWith("-") && !input) input = args[i];
    else {
      console.error(`Option inconnue ou incomplète : ${args[i]}\n${USAGE}`);
      return 64;
    }
  }
  if (!input || !opts.output || !opts.name || !opts.organisation) {
    console.error(USAGE);
    return 64;
  }
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(input);
  } catch (e) {
    console.error(`Lecture impossible : ${(e as Error).message}`);
    return 66;
  }
  const pki = await openPki(ctx);
  const signatory = { name: opts.name, organisation: opts.organisation, email: opts.email, function: opts.function };
  try {
    const res = await signPdf(bytes, {
      signer: await pki.signerFor(signatory),
      tsa: pki.tsa,
      signatory,
      fieldName: opts.field,
    });
    fs.writeFileSync(opts.output, res.pdf);
    console.log(`Signé par ${signatory.name} dans « ${res.fieldName} » : ${opts.output}`);
    return 0;
  } catch (e) {
    if (e instanceof SigningError || e instanceof TimestampError) {
      console.error(`Signature impossible : ${e.message}`);
      return 1;
    }
    throw e;
  }
}
