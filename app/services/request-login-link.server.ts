import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { enqueueEmail, mailDomainOf, secretSlot } from "../email/outbox.server";
import { loginLinkEmail } from "../email/messages";
import { findPersonByEmail, insertPerson } from "../models/people.server";
import { hitRateLimit, RateLimitedError } from "./rate-limit.server";

export const LOGIN_LINK_MINUTES = 15;
export { RateLimitedError };

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Sends a single-use sign-in link if the address belongs to an active person.
 * The answer is the same whether or not the address exists; only the rate limit may refuse.
 */
export async function requestLoginLink(db: Database, config: Config, input: { email: string; ip: string | null; retour?: string }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  // Both buckets count every attempt, refused ones included (recorded outside the transaction).
  const overEmail = await hitRateLimit(db, `login:email:${email}`, config.loginRateLimitPerEmail);
  const overIp = input.ip ? await hitRateLimit(db, `login:ip:${input.ip}`, config.loginRateLimitPerIp) : false;
  if (overEmail || overIp) throw new RateLimitedError();
  await db.transaction().execute(async (trx) => {
    const found = await findPersonByEmail(trx, email);
    const real = found?.active === true;
    // The same work whether or not the address has an account, so that the answer's timing does not
    // tell: a stand-in person is written in a savepoint on both paths. For a real person it is rolled
    // back at once and the link is theirs; otherwise the link is made and written for the stand-in,
    // then rolled back with it.
    await sql`savepoint leurre`.execute(trx);
    const standInEmail = found ? `leurre-${randomBytes(12).toString("hex")}@paraphe.invalid` : email;
    const standIn = await insertPerson(trx, { email: standInEmail, first_name: "", last_name: "", job_title: null, organisation_id: null, roles: [], active: false });
    if (real) await sql`rollback to savepoint leurre`.execute(trx);
    const person = real && found ? found : standIn;

    const token = randomBytes(32).toString("base64url"); // 256 bits
    await trx
      .insertInto("login_tokens")
      .values({
        person_id: person.id,
        token_hash: hashToken(token),
        expires_at: new Date(Date.now() + LOGIN_LINK_MINUTES * 60_000),
        used_at: null,
        ip: input.ip,
      })
      .execute();
    // The page asked for before sign-in (an invitation to sign…) comes back with the link.
    const retour = input.retour && input.retour !== "/tableau-de-bord" ? `&retour=${encodeURIComponent(input.retour)}` : "";
    // The token is kept encrypted in the outbox and put into the link only when the e-mail leaves.
    const link = `${config.publicUrl}/connexion/lien?jeton=${secretSlot("jeton")}${retour}`;
    await enqueueEmail(
      trx,
      { kind: "connexion", to: person.email, dedupeKey: `login:${hashToken(token)}`, ...loginLinkEmail({ firstName: person.first_name, link, minutes: LOGIN_LINK_MINUTES }), secrets: { jeton: token } },
      mailDomainOf(config.mailFrom),
      config.sessionSecret,
    );
    if (!real) await sql`rollback to savepoint leurre`.execute(trx);
    await sql`release savepoint leurre`.execute(trx); // both paths: the same number of statements
  });
}
