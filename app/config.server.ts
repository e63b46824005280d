import { randomBytes } from "node:crypto";
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
  SMTP_URL: z.string().regex(/^smtps?:\/\//, { message: "doit commencer par smtp:// ou smtps://" }).optional(),
  MAIL_FROM: z.string().min(3).default("Paraphe <ne-pas-repondre@paraphe.localhost>"),
  SESSION_SECRET: z.string().min(32, { message: "doit faire au moins 32 caractères" }).optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
  DISPATCHER_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
  LOGIN_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
});

export type Config = {
  port: number;
  publicUrl: string;
  publicOrigin: string;
  secureCookies: boolean;
  dataDir: string;
  databaseUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  /** E-mail is captured to the outbox and readable in the dev mailbox (never when SMTP is configured). */
  devMailbox: boolean;
  sessionSecret: string;
  sessionTtlHours: number;
  mailMaxAttempts: number;
  mailRetryBaseSeconds: number;
  dispatcherIntervalMs: number;
  loginRateLimitPerEmail: number;
  loginRateLimitPerIp: number;
  env: NodeJS.ProcessEnv;
};

export class ConfigError extends Error {}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    publicUrl,
    publicOrigin: url.origin,
    secureCookies: url.protocol === "https:",
    dataDir,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    devMailbox: !e.SMTP_URL,
    sessionSecret: e.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    sessionTtlHours: e.SESSION_TTL_HOURS,
    mailMaxAttempts: e.MAIL_MAX_ATTEMPTS,
    mailRetryBaseSeconds: e.MAIL_RETRY_BASE_SECONDS,
    dispatcherIntervalMs: e.DISPATCHER_INTERVAL_MS,
    loginRateLimitPerEmail: e.LOGIN_RATE_LIMIT_PER_EMAIL,
    loginRateLimitPerIp: e.LOGIN_RATE_LIMIT_PER_IP,
    env,
  };
}

function emptyToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) out[key] = env[key] === "" ? undefined : env[key];
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
