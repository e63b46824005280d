import type { Database } from "../../db/connect";
import { getDocument } from "../models/circuit.server";
import { tokenHash } from "./transmit-act.server";

/** The transmission a download link belongs to, while it has not expired. */
export async function findDownload(db: Database, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  return db
    .selectFrom("transmissions")
    .innerJoin("conventions", "conventions.id", "transmissions.convention_id")
    .select(["transmissions.convention_id", "transmissions.round", "transmissions.recipient_kind", "transmissions.download_expires_at", "conventions.title"])
    .where("transmissions.download_token_hash", "=", tokenHash(token))
    .where("transmissions.download_expires_at", ">", new Date())
    .executeTakeFirst();
}

/** The link serves exactly the two documents it was issued for: the signed act and its certificate. */
export async function downloadFile(db: Database, token: string, file: "signe" | "certificat") {
  const grant = await findDownload(db, token);
  if (!grant) return undefined;
  // Outside the parties, the certificate without IP addresses (the one their e-mail announced).
  const certificate = grant.recipient_kind === "partie" ? "certificat" : "certificat_tiers";
  const doc = await getDocument(db, grant.convention_id, grant.round, file === "signe" ? "complet" : certificate);
  return doc ? { title: grant.title, bytes: doc.bytes } : undefined;
}
