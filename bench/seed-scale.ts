/**
 * A database at a realistic size (issue 14), for `npm run bench:load`, the EXPLAIN test and the
 * page-size test: the demo organisations and people (seedDemo), then `conventions` acts over the three
 * organisations — 10 % signed (with both circuit steps done), 10 % in signature (first step waiting
 * for the délégant's signataire), 3 % cancelled, the rest drafts — with their parties, a version each,
 * three audit events each, delivered e-mails in the outbox (sign-in links, invitations, codes; for the
 * signed ones five transmissions), and the rédacteurs' alerts.
 *
 * Rows go in by batches of multi-row INSERTs (no use case per row: 10,000 conventions in seconds).
 * The seeded audit events carry well-formed hashes, not a verifiable chain: the lists never read them.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import type { Database } from "../db/connect";
import { DEMO_CONVENTION_FILE, demoDraftData, seedDemo } from "../db/seed";

export type ScaleSummary = { conventions: number; signed: number; signing: number; drafts: number; cancelled: number; steps: number; auditEvents: number; outbox: number };

const SUBJECTS = [
  "Hébergement des applications",
  "Laboratoire de services numériques",
  "Gestion des crédits immobiliers",
  "Maintenance du réseau interministériel",
  "Formation des agents au numérique",
  "Achat mutualisé de licences",
  "Accompagnement juridique des projets",
  "Exploitation du centre de données",
  "Délégation de gestion des crédits de paie",
  "Soutien aux archives numériques",
];

const at = (ms: number) => new Date(ms);

/** Deterministic pseudo-random numbers (same data for the same `seed`). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export async function seedScale(db: Database, options: { conventions: number; seed?: number; now?: Date }): Promise<ScaleSummary> {
  await seedDemo(db);
  const random = rng(options.seed ?? 14);
  const now = (options.now ?? new Date()).getTime();
  const orgs = await db.selectFrom("organisations").select(["id", "short_name"]).orderBy("name").execute();
  const people = await db.selectFrom("people").select(["id", "email", "organisation_id", "roles"]).execute();
  const redacteur = (org: string) => people.find((p) => p.organisation_id === org && p.roles.includes("redacteur"))?.id ?? people[0].id;
  const signataire = (org: string) => people.find((p) => p.organisation_id === org && p.roles.includes("signataire"))?.id ?? people[0].id;
  const base = demoDraftData(JSON.parse(readFileSync(DEMO_CONVENTION_FILE, "utf8"))) as Record<string, unknown> & { financement?: { echeancier?: { annee: number }[] } };
  const summary: ScaleSummary = { conventions: 0, signed: 0, signing: 0, drafts: 0, cancelled: 0, steps: 0, auditEvents: 0, outbox: 0 };
  const BATCH = 250;
  const timings: Record<string, number> = {};
  for (let start = 0; start < options.conventions; start += BATCH) {
    const n = Math.min(BATCH, options.conventions - start);
    const conventions: Record<string, unknown>[] = [];
    const parties: { convention_id: string; organisation_id: string; role: "delegant" | "delegataire" }[] = [];
    const steps: Record<string, unknown>[] = [];
    const members: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    const outbox: Record<string, unknown>[] = [];
    const transmissions: Record<string, unknown>[] = [];
    const alerts: Record<string, unknown>[] = [];
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const id = randomUUID();
      const delegant = orgs[i % orgs.length];
      const delegataire = orgs[(i + 1 + (i % 2)) % orgs.length];
      const slot = i % 100;
      const status = slot < 10 ? (["en_vigueur", "en_vigueur", "signee", "expiree"] as const)[i % 4] : slot < 20 ? "en_signature" : slot < 23 ? "annulee" : "brouillon";
      const year = 2021 + Math.floor(random() * 6);
      const createdAt = now - Math.floor(random() * 5 * 365 * 86_400_000);
      const updatedAt = createdAt + Math.floor(random() * Math.min(now - createdAt, 200 * 86_400_000));
      const subject = SUBJECTS[i % SUBJECTS.length];
      const title = `Convention de délégation de gestion — ${subject} ${delegant.short_name} / ${delegataire.short_name} n° ${i + 1}`;
      const reference = `DG-${year}-${String(i + 1).padStart(5, "0")}`;
      const data = {
        ...base,
        titre: title,
        reference,
        financement: { ...(base.financement ?? {}), echeancier: [year, year + 1].map((annee) => ({ annee, ae: 100_000 + (i % 50) * 1_000, cp: 90_000 })) },
      };
      const author = redacteur(delegant.id);
      const signed = status !== "brouillon" && status !== "en_signature" && status !== "annulee";
      conventions.push({
        id,
        kind: "convention",
        parent_id: null,
        status,
        title,
        reference,
        delegant_organisation_id: delegant.id,
        template: "convention",
        data: JSON.stringify(data),
        frozen_sha256: signed || status === "en_signature" ? createHash("sha256").update(id).digest("hex") : null,
        circuit_round: signed || status === "en_signature" ? 1 : 0,
        created_by: author,
        decline_reason: null,
        created_at: at(createdAt),
        updated_at: at(updatedAt),
      });
      parties.push({ convention_id: id, organisation_id: delegant.id, role: "delegant" }, { convention_id: id, organisation_id: delegataire.id, role: "delegataire" });
      let prev: string | null = null;
      for (const [e, type] of ["brouillon_cree", "version_enregistree", signed ? "circuit_termine" : status === "en_signature" ? "circuit_lance" : "consultation"].entries()) {
        const hash: string = createHash("sha256").update(`${id}:${e}:${prev}`).digest("hex");
        events.push({ convention_id: id, type, actor_id: author, auth_method: "lien_magique", ip: "127.0.0.1", user_agent: "seed-scale", document_sha256: null, payload: JSON.stringify({ seed: true }), prev_hash: prev, hash, created_at: at(createdAt + e * 60_000) });
        prev = hash;
      }
      if (signed || status === "en_signature") {
        for (const [p, party] of (["delegant", "delegataire"] as const).entries()) {
          const stepId = randomUUID();
          const done = signed;
          const current = status === "en_signature" && p === 0;
          steps.push({
            id: stepId,
            convention_id: id,
            position: p + 1,
            kind: "signature",
            party,
            label: party === "delegant" ? "Signature du délégant" : "Signature du délégataire",
            rule: "tous",
            status: done ? "terminee" : current ? "en_cours" : "en_attente",
            deadline: null,
            started_at: done || current ? at(updatedAt) : null,
            completed_at: done ? at(updatedAt) : null,
          });
          members.push({
            step_id: stepId,
            person_id: signataire(party === "delegant" ? delegant.id : delegataire.id),
            field_name: `signature-${p + 1}`,
            status: done ? "signe" : "en_attente",
            acted_at: done ? at(updatedAt) : null,
            acted_by: null,
            decline_reason: null,
            invited_at: done || current ? at(updatedAt) : null,
            last_reminder_at: null,
          });
        }
      }
      // What every act brings to the outbox besides its transmission: sign-in links of its
      // rédacteurs, and for a circuit the invitations and signing codes.
      for (const kind of ["lien_connexion", "lien_connexion", ...(signed || status === "en_signature" ? ["invitation", "code_signature", "invitation"] : [])]) {
        outbox.push({
          id: randomUUID(),
          message_id: `<${randomUUID()}@paraphe.bench>`,
          kind,
          to_address: `redaction${i % 7}@justice.example`,
          subject: kind === "lien_connexion" ? "Votre lien de connexion à Paraphe" : `Signature : ${title}`,
          body_text: null,
          body_html: null,
          attachments: "[]",
          body_sha256: createHash("sha256").update(`${id}${kind}${random()}`).digest("hex"),
          status: "sent",
          attempts: 1,
          sent_at: at(updatedAt),
          convention_id: kind === "lien_connexion" ? null : id,
          created_at: at(updatedAt),
          locked_until: null,
          last_error: null,
        });
      }
      if (signed) {
        alerts.push({ person_id: author, convention_id: id, message: `« ${title} » est signée et transmise.`, read_at: i % 3 ? at(updatedAt) : null, created_at: at(updatedAt) });
        for (let m = 0; m < 5; m++) {
          const messageId = randomUUID();
          transmissions.push({
            convention_id: id,
            round: 1,
            recipient_email: `destinataire${m}@cbcm.example`,
            recipient_name: m < 2 ? "CBCM" : `Destinataire ${m}`,
            recipient_kind: m < 2 ? "cbcm" : m === 2 ? "destinataire" : "partie",
            outbox_message_id: messageId,
            ack_token_hash: null,
            acknowledged_at: m < 3 && i % 5 !== 0 ? at(updatedAt + 86_400_000) : null,
            download_token_hash: null,
            download_expires_at: null,
            created_at: at(updatedAt),
          });
          outbox.push({
            id: messageId,
            message_id: `<${randomUUID()}@paraphe.bench>`,
            kind: "transmission",
            to_address: `destinataire${m}@cbcm.example`,
            subject: `Transmission : ${title}`,
            body_text: null,
            body_html: null,
            attachments: "[]",
            body_sha256: createHash("sha256").update(`${id}${m}`).digest("hex"),
            status: "sent",
            attempts: 1,
            sent_at: at(updatedAt),
            convention_id: id,
            created_at: at(updatedAt),
            locked_until: null,
            last_error: null,
          });
        }
      }
      summary.conventions++;
      if (signed) summary.signed++;
      else if (status === "en_signature") summary.signing++;
      else if (status === "annulee") summary.cancelled++;
      else summary.drafts++;
    }
    await db.transaction().execute(async (trx) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const t = trx as any;
      const timed = async (name: string, work: () => Promise<unknown>) => {
        const t0 = performance.now();
        await work();
        timings[name] = (timings[name] ?? 0) + performance.now() - t0;
      };
      await timed("conventions", () => t.insertInto("conventions").values(conventions).execute());
      await timed("parties", () => trx.insertInto("convention_organisations").values(parties).execute());
      // The first version holds the act's data: copied inside the database rather than sent twice.
      await timed("versions", () =>
        sql`insert into convention_versions (convention_id, version, data, author_id, summary, created_at)
            select id, 1, data, created_by, 'Création (jeu de données de charge)', created_at from conventions where id = any (${conventions.map((c) => c.id)}::uuid[])`.execute(trx),
      );
      await timed("audit", () => t.insertInto("audit_events").values(events).execute());
      if (steps.length) await t.insertInto("circuit_steps").values(steps).execute();
      if (members.length) await t.insertInto("step_members").values(members).execute();
      if (outbox.length) await t.insertInto("outbox_messages").values(outbox).execute();
      if (transmissions.length) await t.insertInto("transmissions").values(transmissions).execute();
      if (alerts.length) await t.insertInto("alerts").values(alerts).execute();
    });
    summary.steps += steps.length;
    summary.auditEvents += events.length;
    summary.outbox += outbox.length;
  }
  if (process.env.SEED_TIMINGS) console.log(timings);
  // Statistics and visibility map for the planner, as autovacuum leaves them after such a load.
  await sql`vacuum analyze conventions, convention_organisations, convention_versions, audit_events, circuit_steps, step_members, outbox_messages, transmissions, alerts, organisations, people`.execute(db);
  return summary;
}
