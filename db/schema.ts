import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Kysely table types: the single source of truth for the schema.
 * Migrations in db/migrations create exactly these tables.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Role = "redacteur" | "signataire" | "administrateur" | "cbcm";

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  short_name: string;
  /** Ministry the organisation belongs to: decides which CBCM receives its acts. */
  ministry: string;
  address: string | null;
  created_at: Generated<Date>;
}

export interface PeopleTable {
  id: Generated<string>;
  email: string;
  first_name: string;
  last_name: string;
  job_title: string | null;
  organisation_id: string | null;
  roles: ColumnType<Role[], Role[] | undefined, Role[]>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CbcmTable {
  id: Generated<string>;
  name: string;
  emails: ColumnType<string[], string[], string[]>;
  /** Ministry whose organisations this CBCM covers (null for the Premier ministre's only). */
  ministry: string | null;
  serves_premier_ministre: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface LoginTokensTable {
  id: Generated<string>;
  person_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  ip: string | null;
  created_at: Generated<Date>;
}

export interface RateLimitHitsTable {
  id: Generated<string>;
  bucket: string;
  created_at: Generated<Date>;
}

/** ProConnect states already used (hash only): a replayed callback is refused on every instance. */
export interface ProconnectUsedStatesTable {
  state_hash: string;
  expires_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  person_id: string;
  auth_method: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Generated<Date>;
  revoked_at: Timestamp | null;
  /** ProConnect sessions only, until logout: the `id_token_hint` of the provider's logout. */
  id_token: string | null;
}

export type OutboxStatus = "pending" | "sent" | "failed";

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  /** Base64 of the content: attachments are written in the same transaction as the message. */
  contentBase64: string;
}

export interface OutboxMessagesTable {
  id: Generated<string>;
  /** Stable Message-ID: a resend is recognisable as the same message. */
  message_id: string;
  kind: string;
  to_address: string;
  /** Never holds a secret (see secrets); null once delivered. */
  subject: string;
  /** With placeholders where the secrets go; null once delivered. */
  body_text: string | null;
  body_html: string | null;
  attachments: ColumnType<OutboxAttachment[], string | undefined, string>;
  /** AES-256-GCM of the secrets the body's placeholders stand for (key from the session secret); null once delivered. */
  secrets: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  /** SHA-256 of the text body as delivered. */
  body_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  /** A claim: while in the future, another dispatcher leaves the row alone. */
  locked_until: Timestamp | null;
  last_error: string | null;
  sent_at: Timestamp | null;
  convention_id: string | null;
  created_at: Generated<Date>;
}

export type ConventionKind = "convention" | "avenant" | "resiliation" | "compte_rendu";
export type ConventionOrigin = "portail" | "importe";

export interface ConventionsTable {
  id: Generated<string>;
  kind: ConventionKind;
  parent_id: string | null;
  status: string;
  title: string;
  reference: string | null;
  delegant_organisation_id: string;
  template: string;
  data: Json<unknown>;
  version: Generated<number>;
  frozen_sha256: string | null;
  /** Incremented at each launch of the signature circuit. */
  circuit_round: Generated<number>;
  /** Why the last circuit was declined, shown to the rédacteur on the draft. */
  decline_reason: string | null;
  /** « importe »: an act signed outside the portal, registered with its signed PDF (documents kind « importe »). */
  origin: ColumnType<ConventionOrigin, ConventionOrigin | undefined, ConventionOrigin>;
  /** Avenants only: n° k, numbered per convention. */
  avenant_number: ColumnType<number | null, number | null | undefined, number | null>;
  /** Europe/Paris date of the act's last signature (entered for an imported act). */
  signed_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The convention's period in force (end date = last day in force), from its consolidated data. */
  starts_on: ColumnType<string | null, string | null | undefined, string | null>;
  ends_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set on the convention once a termination notice is signed: it becomes « résiliée » that day. */
  termination_effective_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** Imported acts: the verifier's report on the uploaded file, kept as it was given. */
  import_verification: ColumnType<unknown, string | null | undefined, string | null>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** tsvector ('french') of title, reference and parties' names, kept by triggers (migration 0009); read-only. */
  search_document: ColumnType<string, never, never>;
  /** In the public register and the open data once signed (issue 15); off only with a reason. */
  publishable: Generated<boolean>;
  unpublished_reason: string | null;
}

export interface ConventionOrganisationsTable {
  convention_id: string;
  organisation_id: string;
  role: "delegant" | "delegataire";
}

export interface ConventionVersionsTable {
  id: Generated<string>;
  convention_id: string;
  version: number;
  data: Json<unknown>;
  author_id: string;
  summary: string;
  created_at: Generated<Date>;
}

export interface AuditEventsTable {
  id: Generated<string>;
  convention_id: string | null;
  type: string;
  actor_id: string | null;
  auth_method: string | null;
  ip: string | null;
  user_agent: string | null;
  document_sha256: string | null;
  payload: Json<Record<string, unknown>>;
  prev_hash: string | null;
  hash: string;
  created_at: Timestamp;
}

export type DocumentKind = "fige" | "signe" | "complet" | "certificat" | "certificat_tiers" | "importe";

/** The head of a convention's audit chain, timestamped by the TSA (at each signature and at completion). */
export interface AuditAnchorsTable {
  id: Generated<string>;
  convention_id: string;
  event_id: string;
  event_count: number;
  head_hash: string;
  reason: string;
  token: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  created_at: Generated<Date>;
}

/** Dev only (e-mail captured, no SMTP): the messages as delivered, for the dev mailbox. */
export interface DevMailboxMessagesTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  body_text: string;
  attachments: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
}

export interface DocumentsTable {
  id: Generated<string>;
  convention_id: string;
  kind: DocumentKind;
  /** Which launch of the circuit produced it (a declined circuit is relaunched as round + 1). */
  round: number;
  /** 0 for the frozen document, n after the n-th signature. */
  revision: number;
  sha256: string;
  size: number;
  bytes: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  created_at: Generated<Date>;
}

export type StepStatus = "en_attente" | "en_cours" | "terminee";
export type MemberStatus = "en_attente" | "signe" | "vise" | "refuse" | "non_requis";

export interface CircuitStepsTable {
  id: Generated<string>;
  convention_id: string;
  position: number;
  kind: "signature" | "visa";
  party: "delegant" | "delegataire";
  label: string;
  /** "tous": every member acts; "un": the first member to act completes the step. */
  rule: "tous" | "un";
  status: Generated<StepStatus>;
  deadline: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
}

export interface StepMembersTable {
  id: Generated<string>;
  step_id: string;
  person_id: string;
  field_name: string | null;
  status: Generated<MemberStatus>;
  acted_at: Timestamp | null;
  /** Who actually acted: the member, or their delegate. */
  acted_by: string | null;
  decline_reason: string | null;
  invited_at: Timestamp | null;
  reminders_sent: Generated<number>;
  last_reminder_at: Timestamp | null;
}

export interface SigningCodesTable {
  id: Generated<string>;
  member_id: string;
  person_id: string;
  code_hash: string;
  expires_at: Timestamp;
  attempts: Generated<number>;
  used_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface DelegationsTable {
  id: Generated<string>;
  titular_id: string;
  delegate_id: string;
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  act_reference: string;
  revoked_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface ExtraRecipientsTable {
  id: Generated<string>;
  convention_id: string;
  email: string;
  name: string;
  added_by: string;
  /** Stands in for the délégant ministry's CBCM when the directory has none (issue 13). */
  for_cbcm: Generated<boolean>;
  created_at: Generated<Date>;
}

export type RecipientKind = "cbcm" | "destinataire" | "partie";

export interface TransmissionsTable {
  id: Generated<string>;
  convention_id: string;
  round: number;
  recipient_email: string;
  recipient_name: string;
  recipient_kind: RecipientKind;
  outbox_message_id: string;
  /** Hash of the single-purpose « Accuser réception » token (CBCM and added recipients). */
  ack_token_hash: string | null;
  acknowledged_at: Timestamp | null;
  /** Hash of the download token used instead of attachments above the size limit. */
  download_token_hash: string | null;
  download_expires_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface AlertsTable {
  id: Generated<string>;
  person_id: string;
  convention_id: string | null;
  message: string;
  read_at: Timestamp | null;
  created_at: Generated<Date>;
}

/** The convention's data after each signed act: 0 = the initial act, k = as amended by avenant n° k. */
export interface ConsolidationsTable {
  id: Generated<string>;
  convention_id: string;
  number: number;
  avenant_id: string | null;
  data: Json<unknown>;
  /** SHA-256 of the signed PDF of the act that produced this version. */
  act_sha256: string;
  signed_on: string;
  created_at: Generated<Date>;
}

/** End-date reminders already sent: one per (convention, days before, end date); a new end date re-arms them. */
export interface EndRemindersTable {
  convention_id: string;
  days_before: number;
  ends_on: string;
  sent_at: Generated<Date>;
}

/** What the délégataire consumed of a year's AE or CP (issue 15): never edited, a correction is a negative line. */
export interface SpendingLinesTable {
  id: Generated<string>;
  convention_id: string;
  year: number;
  credit: "ae" | "cp";
  line_date: ColumnType<string, string, string>;
  /** Cents (bigint: read as a string by pg, a number by PGlite). */
  amount_cents: ColumnType<string | number, number, number>;
  chorus_reference: string;
  comment: string | null;
  correction_reason: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

/** The reminders that a compte rendu d'exécution is still to be signed (issue 15), one row per number. */
export interface ReportRemindersTable {
  report_id: string;
  number: number;
  sent_at: Generated<Date>;
}

export interface DB {
  spending_lines: SpendingLinesTable;
  report_reminders: ReportRemindersTable;
  consolidations: ConsolidationsTable;
  end_reminders: EndRemindersTable;
  extra_recipients: ExtraRecipientsTable;
  transmissions: TransmissionsTable;
  alerts: AlertsTable;
  circuit_steps: CircuitStepsTable;
  step_members: StepMembersTable;
  signing_codes: SigningCodesTable;
  delegations: DelegationsTable;
  documents: DocumentsTable;
  organisations: OrganisationsTable;
  people: PeopleTable;
  cbcm: CbcmTable;
  login_tokens: LoginTokensTable;
  rate_limit_hits: RateLimitHitsTable;
  proconnect_used_states: ProconnectUsedStatesTable;
  sessions: SessionsTable;
  outbox_messages: OutboxMessagesTable;
  conventions: ConventionsTable;
  convention_organisations: ConventionOrganisationsTable;
  convention_versions: ConventionVersionsTable;
  audit_events: AuditEventsTable;
  audit_anchors: AuditAnchorsTable;
  dev_mailbox_messages: DevMailboxMessagesTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type Session = Selectable<SessionsTable>;
export type OutboxMessage = Selectable<OutboxMessagesTable>;
export type Convention = Selectable<ConventionsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type Cbcm = Selectable<CbcmTable>;
