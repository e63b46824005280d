import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { appendAuditEvent } from "../models/audit.server";
import { insertSession } from "../models/sessions.server";
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

    const sessionToken = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + config.sessionTtlHours * 3600_000);
    await insertSession(trx, {
      token_hash: hashToken(sessionToken),
      person_id: person.id,
      auth_method: "lien_magique",
      ip: input.ip,
      user_agent: input.userAgent,
      expires_at: expiresAt,
    });
    await appendAuditEvent(trx, {
      conventionId: null,
      type: "connexion",
      actorId: person.id,
      authMethod: "lien_magique",
      ip: input.ip,
      userAgent: input.userAgent,
    });
    return { sessionToken, personId: person.id, expiresAt };
  });
}
