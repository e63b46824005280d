import { sql } from "kysely";
import { keysetPage, type PageRequest } from "./keyset.server";
import type { Executor } from "./people.server";

export type Recipient = { email: string; name: string; kind: "cbcm" | "destinataire" | "partie" };

/**
 * Who receives a signed act: the Premier ministre's CBCM, the CBCM of the délégant's ministry,
 * the recipients the rédacteur added, and each party's signatories and rédacteurs (their copy).
 */
export async function recipientsFor(db: Executor, conventionId: string): Promise<Recipient[]> {
  const convention = await db
    .selectFrom("conventions")
    .innerJoin("organisations", "organisations.id", "conventions.delegant_organisation_id")
    .select(["conventions.id", "organisations.ministry"])
    .where("conventions.id", "=", conventionId)
    .executeTakeFirstOrThrow();
  const cbcms = await db
    .selectFrom("cbcm")
    .selectAll()
    .where((eb) => eb.or([eb("serves_premier_ministre", "=", true), eb("ministry", "=", convention.ministry)]))
    .orderBy("serves_premier_ministre", "desc")
    .execute();
  const extra = await db.selectFrom("extra_recipients").selectAll().where("convention_id", "=", conventionId).orderBy("created_at").execute();
  const parties = await db
    .selectFrom("people")
    .innerJoin("convention_organisations", "convention_organisations.organisation_id", "people.organisation_id")
    .select(["people.email", "people.first_name", "people.last_name", "people.roles"])
    .where("convention_organisations.convention_id", "=", conventionId)
    .where("people.active", "=", true)
    .orderBy("convention_organisations.role")
    .orderBy("people.last_name")
    .execute();
  const out: Recipient[] = [];
  const add = (r: Recipient) => {
    if (!out.some((o) => o.email === r.email)) out.push(r);
  };
  for (const c of cbcms) for (const email of c.emails) add({ email: email.toLowerCase(), name: c.name, kind: "cbcm" });
  for (const e of extra) add({ email: e.email, name: e.name, kind: "destinataire" });
  for (const p of parties) {
    if (p.roles.includes("signataire") || p.roles.includes("redacteur")) add({ email: p.email, name: `${p.first_name} ${p.last_name}`, kind: "partie" });
  }
  return out;
}

/** Each recipient's true status, read from the outbox the dispatcher updates. */
export function listTransmissions(db: Executor, conventionId: string) {
  return db
    .selectFrom("transmissions")
    .innerJoin("outbox_messages", "outbox_messages.id", "transmissions.outbox_message_id")
    .select([
      "transmissions.id",
      "transmissions.round",
      "transmissions.recipient_email",
      "transmissions.recipient_name",
      "transmissions.recipient_kind",
      "transmissions.acknowledged_at",
      "transmissions.created_at",
      "outbox_messages.status",
      "outbox_messages.sent_at",
      "outbox_messages.last_error",
      "outbox_messages.attempts",
      "outbox_messages.message_id",
    ])
    .where("transmissions.convention_id", "=", conventionId)
    .orderBy("transmissions.round", "desc")
    .orderBy("transmissions.recipient_kind")
    .orderBy("transmissions.recipient_email")
    .execute();
}

/** Transmissions sent more than `days` ago to a CBCM or an added recipient and still not acknowledged. */
export function unacknowledged(db: Executor, organisationId: string, days: number) {
  return db
    .selectFrom("transmissions")
    .innerJoin("outbox_messages", "outbox_messages.id", "transmissions.outbox_message_id")
    .innerJoin("conventions", "conventions.id", "transmissions.convention_id")
    .innerJoin("convention_organisations", "convention_organisations.convention_id", "conventions.id")
    .select(["transmissions.id", "transmissions.recipient_email", "transmissions.recipient_name", "outbox_messages.sent_at", "conventions.id as convention_id", "conventions.title"])
    .where("convention_organisations.organisation_id", "=", organisationId)
    .where("transmissions.recipient_kind", "in", ["cbcm", "destinataire"])
    .where("transmissions.acknowledged_at", "is", null)
    .where("outbox_messages.status", "=", "sent")
    .where("outbox_messages.sent_at", "<=", new Date(Date.now() - days * 86400_000))
    .orderBy("outbox_messages.sent_at")
    .execute();
}

/** `unacknowledged`, one page at a time, oldest sending first. */
export function pageUnacknowledged(db: Executor, organisationId: string, days: number, page: PageRequest) {
  return keysetPage(
    db
      .selectFrom("transmissions")
      .innerJoin("outbox_messages", "outbox_messages.id", "transmissions.outbox_message_id")
      .innerJoin("conventions", "conventions.id", "transmissions.convention_id")
      .innerJoin("convention_organisations", "convention_organisations.convention_id", "conventions.id")
      .select(["transmissions.id", "transmissions.recipient_email", "transmissions.recipient_name", "outbox_messages.sent_at", "conventions.id as convention_id", "conventions.title"])
      .where("convention_organisations.organisation_id", "=", organisationId)
      .where("transmissions.recipient_kind", "in", ["cbcm", "destinataire"])
      .where("transmissions.acknowledged_at", "is", null)
      .where("outbox_messages.status", "=", "sent")
      .where("outbox_messages.sent_at", "<=", new Date(Date.now() - days * 86400_000)),
    {
      keys: [
        { expr: sql.ref("outbox_messages.sent_at"), type: "timestamptz" },
        { expr: sql.ref("transmissions.id"), type: "uuid" },
      ],
      direction: "asc",
      ...page,
    },
  );
}
