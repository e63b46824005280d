import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** Every environment variable the portal reads, parsed once at start. README lists them all. */
const envSchema = z.object({
  PORT: z.coerce.number({ message: "doit être un numéro de port" }).int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url({ message: "doit être une URL complète, par exemple https://paraphe.numerique.gouv.fr" }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: "doit commencer par postgres:// ou postgresql://" })
    .optional(),
  // The owner role: migrations run with it, the portal then works under DATABASE_URL's role (no ownership).
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: "doit commencer par postgres:// ou postgresql://" })
    .optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, { message: "doit commencer par smtp:// ou smtps://" }).optional(),
  MAIL_FROM: z.string().min(3).default("Paraphe <ne-pas-repondre@paraphe.localhost>"),
  SESSION_SECRET: z.string().min(32, { message: "doit faire au moins 32 caractères" }).optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  SESSION_IDLE_MINUTES: z.coerce.number({ message: "doit être un nombre de minutes" }).int().min(1).max(24 * 60 * 30).default(120),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
  DISPATCHER_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
  LOGIN_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  // The public verify page's pool of worker processes (app/pdf/verification/verify-pool.ts). Default: one per core.
  VERIFY_WORKERS: z.coerce.number({ message: "doit être un nombre entier" }).int().min(1).max(64).default(Math.max(1, availableParallelism())),
  VERIFY_QUEUE: z.coerce.number({ message: "doit être un nombre entier" }).int().min(0).max(1000).optional(),
  VERIFY_MEMORY_MB: z.coerce.number({ message: "doit être un nombre de Mo" }).int().min(128).max(65_536).default(512),
  VERIFY_RATE_LIMIT_PER_IP: z.coerce.number({ message: "doit être un nombre entier" }).int().min(0).default(60),
  PROCONNECT_ISSUER: z
    .url({ message: "doit être l'URL complète du fournisseur OpenID Connect, par exemple https://auth.agentconnect.gouv.fr/api/v2" })
    .optional(),
  PROCONNECT_CLIENT_ID: z.string().min(1, { message: "ne peut pas être vide" }).optional(),
  PROCONNECT_CLIENT_SECRET: z.string().min(1, { message: "ne peut pas être vide" }).optional(),
  PROCONNECT_SCOPES: z
    .string()
    .regex(/(^|\s)openid(\s|$)/, { message: "doit contenir au moins « openid » (et « email »)" })
    .default("openid email given_name usual_name"),
  PROCONNECT_ACR_VALUES: z
    .string()
    .regex(/^\s*\S+(\s+\S+)*\s*$/, { message: "doit être une liste de niveaux séparés par des espaces, par exemple « eidas1 eidas2 eidas3 »" })
    .default("eidas1 eidas2 eidas3"),
  REMINDER_FIRST_DAYS: z.coerce.number({ message: "doit être un nombre de jours" }).min(0.0001).max(60).default(3),
  REMINDER_EVERY_DAYS: z.coerce.number({ message: "doit être un nombre de jours" }).min(0.0001).max(60).default(3),
  TRANSMISSION_ATTACHMENT_LIMIT_BYTES: z.coerce.number({ message: "doit être un nombre d'octets" }).int().min(1).default(8 * 1024 * 1024),
  TRANSMISSION_LINK_DAYS: z.coerce.number({ message: "doit être un nombre de jours" }).int().min(1).max(365).default(30),
  ACK_REMINDER_DAYS: z.coerce.number({ message: "doit être un nombre de jours" }).min(0).max(365).default(7),
  REMINDER_MAX: z.coerce.number({ message: "doit être un nombre entier" }).int().min(0).max(50).default(5),
  // Reminders before a convention's end date: days before it, comma-separated (« 60,30 »); « 0 » alone: none.
  END_REMINDER_DAYS: z
    .string()
    .regex(/^\s*\d{1,3}\s*(,\s*\d{1,3}\s*)*$/, "doit être une liste de nombres de jours séparés par des virgules, par exemple « 60,30 »")
    .default("60,30"),
  // Reminders to the délégataire's rédacteurs while a compte rendu d'exécution is not signed: every N days (issue 15).
  REPORT_REMINDER_DAYS: z.coerce.number({ message: "doit être un nombre entier de jours" }).int().min(1).max(365).default(30),
  // Test only: lets /dev/horloge move the portal's clock forward (entry into force, expiry…). Never in production.
  PARAPHE_CLOCK_CONTROL: z.enum(["0", "1"], { message: "doit valoir 0 ou 1" }).default("0"),
  // Read by the signing engine (app/pdf/pki/pki.ts); validated here so that a mistake stops the start.
  TSA_URLS: z
    .string()
    .refine((v) => v.split(",").map((u) => u.trim()).filter(Boolean).every((u) => /^https?:\/\/\S+$/.test(u)), { message: "doit être une liste d'URL http(s) séparées par des virgules" })
    .optional(),
  TSA_TIMEOUT_MS: z.coerce.number({ message: "doit être un nombre de millisecondes" }).int().min(100).max(120_000).optional(),
  SIGNING_P12_PATH: z.string().min(1).optional(),
  SIGNING_P12_PASSWORD: z.string().optional(),
  SIGNING_TRUST_PEM_PATH: z.string().min(1).optional(),
  // data.gouv.fr: the open data file replaced after each signed, publishable act (all four, or none).
  DATAGOUV_API_URL: z.url({ message: "doit être une URL complète, par exemple https://www.data.gouv.fr/api/1" }).optional(),
  DATAGOUV_API_KEY: z.string().min(1).optional(),
  DATAGOUV_DATASET_ID: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, { message: "doit être l'identifiant du jeu de données" }).optional(),
  DATAGOUV_RESOURCE_ID: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, { message: "doit être l'identifiant de la ressource" }).optional(),
  DATAGOUV_TIMEOUT_MS: z.coerce.number({ message: "doit être un nombre de millisecondes" }).int().min(100).max(600_000).default(60_000),
  // A client that is slow to send its request (headers, then the whole body) is cut off.
  REQUEST_TIMEOUT_MS: z.coerce.number({ message: "doit être un nombre de millisecondes" }).int().min(1000).max(3_600_000).default(30_000),
  HEADERS_TIMEOUT_MS: z.coerce.number({ message: "doit être un nombre de millisecondes" }).int().min(500).max(3_600_000).default(20_000),
}).refine((e) => !e.SIGNING_P12_PATH || e.SIGNING_P12_PASSWORD !== undefined, { message: "obligatoire avec SIGNING_P12_PATH", path: ["SIGNING_P12_PASSWORD"] })
  .refine((e) => e.HEADERS_TIMEOUT_MS <= e.REQUEST_TIMEOUT_MS, { message: "ne peut pas dépasser REQUEST_TIMEOUT_MS", path: ["HEADERS_TIMEOUT_MS"] });

const ENV_KEYS = Object.keys(envSchema.shape);

export type Config = {
  port: number;
  publicUrl: string;
  publicOrigin: string;
  secureCookies: boolean;
  dataDir: string;
  databaseUrl?: string;
  /** Owner role for migrations (and the grants to DATABASE_URL's role); only with databaseUrl. */
  databaseMigrationUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  /** E-mail is captured to the outbox and readable in the dev mailbox (never when SMTP is configured). */
  devMailbox: boolean;
  sessionSecret: string;
  sessionTtlHours: number;
  /** A session unused for this long ends, whatever its absolute expiry. */
  sessionIdleMinutes: number;
  mailMaxAttempts: number;
  mailRetryBaseSeconds: number;
  dispatcherIntervalMs: number;
  loginRateLimitPerEmail: number;
  loginRateLimitPerIp: number;
  /** The verify page: worker processes, queue places, memory ceiling per worker, uploads per IP and minute (0: no limit). */
  verify: { workers: number; queue: number; memoryMb: number; rateLimitPerIp: number };
  reminders: { firstDays: number; everyDays: number; max: number };
  /** Days before a convention's end date when its rédacteurs are reminded, largest first (empty: none). */
  endReminderDays: number[];
  /** Days between two reminders that a compte rendu d'exécution is still to be signed (REPORT_REMINDER_DAYS). */
  reportReminderDays: number;
  /** PARAPHE_CLOCK_CONTROL=1 (tests only, local PUBLIC_URL): /dev/horloge may move the clock. */
  clockControl: boolean;
  transmission: { attachmentLimitBytes: number; linkDays: number; ackReminderDays: number };
  /** Node's server.requestTimeout and server.headersTimeout. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** data.gouv.fr upload of the open data (issue 15), when its four variables are set. */
  datagouv?: { apiUrl: string; apiKey: string; datasetId: string; resourceId: string; timeoutMs: number };
  /** Sign-in with ProConnect (OpenID Connect), when its three variables are set. */
  proconnect?: { issuer: string; clientId: string; clientSecret: string; scopes: string; acrValues: string[]; redirectUri: string; postLogoutRedirectUri: string };
  env: Record<string, string | undefined>;
};

export class ConfigError extends Error {}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(emptyToUndefined(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${String(issue.path[0])} : ${issue.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  const url = new URL(publicUrl);
  const isLoopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith("127.");
  if (!e.SMTP_URL && !isLoopback) {
    // Without SMTP every e-mail (magic links included) is readable in the dev mailbox:
    // acceptable on a developer's machine, never on a reachable server.
    throw new ConfigError(
      "Configuration invalide :\n  - SMTP_URL : obligatoire lorsque PUBLIC_URL n'est pas une adresse locale (sinon les liens de connexion seraient lisibles par tous dans la boîte de développement)",
    );
  }
  if (e.PARAPHE_CLOCK_CONTROL === "1" && !isLoopback) {
    throw new ConfigError("Configuration invalide :\n  - PARAPHE_CLOCK_CONTROL : réservé aux tests, sur une adresse locale (PUBLIC_URL) : il permet de déplacer l'horloge du portail");
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const proconnect = proconnectConfig(e, publicUrl);
  return {
    port: e.PORT,
    publicUrl,
    publicOrigin: url.origin,
    secureCookies: url.protocol === "https:",
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databaseMigrationUrl: e.DATABASE_URL ? e.DATABASE_MIGRATION_URL : undefined,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    devMailbox: !e.SMTP_URL,
    sessionSecret: e.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    sessionTtlHours: e.SESSION_TTL_HOURS,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    mailMaxAttempts: e.MAIL_MAX_ATTEMPTS,
    mailRetryBaseSeconds: e.MAIL_RETRY_BASE_SECONDS,
    dispatcherIntervalMs: e.DISPATCHER_INTERVAL_MS,
    loginRateLimitPerEmail: e.LOGIN_RATE_LIMIT_PER_EMAIL,
    loginRateLimitPerIp: e.LOGIN_RATE_LIMIT_PER_IP,
    verify: { workers: e.VERIFY_WORKERS, queue: e.VERIFY_QUEUE ?? 2 * e.VERIFY_WORKERS, memoryMb: e.VERIFY_MEMORY_MB, rateLimitPerIp: e.VERIFY_RATE_LIMIT_PER_IP },
    reminders: { firstDays: e.REMINDER_FIRST_DAYS, everyDays: e.REMINDER_EVERY_DAYS, max: e.REMINDER_MAX },
    endReminderDays: [...new Set(e.END_REMINDER_DAYS.split(",").map((d) => Number(d.trim())))].filter((d) => d > 0).sort((a, b) => b - a),
    reportReminderDays: e.REPORT_REMINDER_DAYS,
    clockControl: e.PARAPHE_CLOCK_CONTROL === "1",
    transmission: { attachmentLimitBytes: e.TRANSMISSION_ATTACHMENT_LIMIT_BYTES, linkDays: e.TRANSMISSION_LINK_DAYS, ackReminderDays: e.ACK_REMINDER_DAYS },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    proconnect,
    datagouv: datagouvConfig(e),
    env,
  };
}

/** data.gouv.fr is all or nothing, like ProConnect. */
function datagouvConfig(e: z.infer<typeof envSchema>): Config["datagouv"] {
  const values = { DATAGOUV_API_URL: e.DATAGOUV_API_URL, DATAGOUV_API_KEY: e.DATAGOUV_API_KEY, DATAGOUV_DATASET_ID: e.DATAGOUV_DATASET_ID, DATAGOUV_RESOURCE_ID: e.DATAGOUV_RESOURCE_ID };
  const missing = Object.entries(values).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 4) return undefined;
  if (missing.length)
    throw new ConfigError(`Configuration invalide :\n${missing.map((k) => `  - ${k} : obligatoire dès que l'une des variables ${Object.keys(values).join(", ")} est définie`).join("\n")}`);
  return { apiUrl: e.DATAGOUV_API_URL!.replace(/\/+$/, ""), apiKey: e.DATAGOUV_API_KEY!, datasetId: e.DATAGOUV_DATASET_ID!, resourceId: e.DATAGOUV_RESOURCE_ID!, timeoutMs: e.DATAGOUV_TIMEOUT_MS };
}

/** ProConnect is all or nothing: one variable set without the others is a mistake worth stopping for. */
function proconnectConfig(e: z.infer<typeof envSchema>, publicUrl: string): Config["proconnect"] {
  const values = { PROCONNECT_ISSUER: e.PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID: e.PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET: e.PROCONNECT_CLIENT_SECRET };
  const missing = Object.entries(values).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 3) return undefined;
  if (missing.length) {
    throw new ConfigError(
      `Configuration invalide :\n${missing.map((k) => `  - ${k} : obligatoire dès que l'une des variables PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET est définie`).join("\n")}`,
    );
  }
  const issuer = new URL(e.PROCONNECT_ISSUER!);
  const loopback = LOOPBACK_HOSTS.has(issuer.hostname) || issuer.hostname.startsWith("127.");
  if (issuer.protocol !== "https:" && !loopback) {
    throw new ConfigError("Configuration invalide :\n  - PROCONNECT_ISSUER : doit commencer par https:// (http:// n'est admis que pour un fournisseur local de test)");
  }
  return {
    issuer: e.PROCONNECT_ISSUER!,
    clientId: e.PROCONNECT_CLIENT_ID!,
    clientSecret: e.PROCONNECT_CLIENT_SECRET!,
    scopes: e.PROCONNECT_SCOPES.trim().split(/\s+/).join(" "),
    acrValues: e.PROCONNECT_ACR_VALUES.trim().split(/\s+/),
    redirectUri: `${publicUrl}/connexion/proconnect/retour`,
    postLogoutRedirectUri: `${publicUrl}/`,
  };
}

function emptyToUndefined(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of ENV_KEYS) out[key] = env[key] === "" ? undefined : env[key];
  return out;
}

/** The session secret is generated once and kept (owner-only) in the data directory. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return secret;
}
