import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../../db/connect";
import type { Config } from "../config.server";
import { enqueueEmail, mailDomainOf } from "../email/outbox.server";
import { loginLinkEmail } from "../email/messages";
import { findPersonByEmail } from "../models/people.server";
import type { Executor } from "../models/people.server";

export const LOGIN_LINK_MINUTES = 15;
const RATE_WINDOW_MINUTES = 15;

export class RateLimitedError extends Error {
  constructor() {
    super("Trop de demandes de connexion. Patientez quelques minutes avant de réessayer.");
  }
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Sends a single-use sign-in link if the address belongs to an active person.
 * The answer is the same whether or not the address exists; only the rate limit may refuse.
 */
export async function requestLoginLink(db: Database, config: Config, input: { email: string; ip: string | null; retour?: string }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  await db.transaction().execute(async (trx) => {
    await hitRateLimit(trx, `login:email:${email}`, config.loginRateLimitPerEmail);
    if (input.ip) await hitRateLimit(trx, `login:ip:${input.ip}`, config.loginRateLimitPerIp);

    const person = await findPersonByEmail(trx, email);
    if (!person || !person.active) return;

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
    const link = `${config.publicUrl}/connexion/lien?jeton=${encodeURIComponent(token)}${retour}`;
    await enqueueEmail(
      trx,
      { kind: "connexion", to: person.email, dedupeKey: `login:${hashToken(token)}`, ...loginLinkEmail({ firstName: person.first_name, link, minutes: LOGIN_LINK_MINUTES }) },
      mailDomainOf(config.mailFrom),
    );
  });
}

/** Counts the hit even when refused, so hammering does not reopen the window. */
async function hitRateLimit(trx: Executor, bucket: string, limit: number) {
  await trx.insertInto("rate_limit_hits").values({ bucket }).execute();
  const { count } = await trx
    .selectFrom("rate_limit_hits")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("bucket", "=", bucket)
    .where("created_at", ">", sql<Date>`now() - make_interval(mins => ${RATE_WINDOW_MINUTES})`)
    .executeTakeFirstOrThrow();
  if (Number(count) > limit) throw new RateLimitedError();
}
