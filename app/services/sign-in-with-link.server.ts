import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { openSession } from "../models/sessions.server";
import { isRateLimited, RateLimitedError, recordHit } from "./rate-limit.server";
import { hashToken } from "./request-login-link.server";

export class InvalidLoginLinkError extends Error {
  constructor() {
    super("Ce lien de connexion n'est plus valable : il a déjà servi ou a expiré (15 minutes). Demandez-en un nouveau.");
  }
}

/** Consumes a sign-in link (atomically, once) and opens a server-side session. Returns the cookie token. */
export async function signInWithLink(
  db: Database,
  config: Config,
  input: { token: string; ip: string | null; userAgent: string | null },
): Promise<{ sessionToken: string; personId: string; expiresAt: Date }> {
  // Failed links are counted per IP address (refusals included): guessing stops at the limit.
  const bucket = input.ip ? `link:ip:${input.ip}` : null;
  if (bucket && (await isRateLimited(db, bucket, config.loginRateLimitPerIp))) {
    await recordHit(db, bucket);
    throw new RateLimitedError("Trop de liens de connexion refusés depuis votre adresse réseau. Patientez un quart d'heure avant de réessayer.");
  }
  try {
    return await openWithLink(db, config, input);
  } catch (error) {
    if (bucket && error instanceof InvalidLoginLinkError) await recordHit(db, bucket);
    throw error;
  }
}

function openWithLink(db: Database, config: Config, input: { token: string; ip: string | null; userAgent: string | null }) {
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable("login_tokens")
      .set({ used_at: sql`now()` })
      .where("token_hash", "=", hashToken(input.token))
      .where("used_at", "is", null)
      .where("expires_at", ">", sql<Date>`now()`)
      .returning("person_id")
      .executeTakeFirst();
    if (!used) throw new InvalidLoginLinkError();
    const person = await trx.selectFrom("people").select(["id", "active"]).where("id", "=", used.person_id).executeTakeFirstOrThrow();
    if (!person.active) throw new InvalidLoginLinkError();

    const { sessionToken, expiresAt } = await openSession(trx, { personId: person.id, authMethod: "lien_magique", ttlHours: config.sessionTtlHours, ...input });
    return { sessionToken, personId: person.id, expiresAt };
  });
}
