/**
 * The portal's process: configuration, database, migrations, e-mail dispatcher, security
 * middleware and the Remix request handler. Run by `npm start` (through tsx) or `npm run serve`.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express, { type NextFunction, type Request, type Response } from "express";
import type { ServerBuild } from "@remix-run/node";
import { loadConfig, ConfigError, type Config } from "./app/config.server";
import { openDatabase, DatabaseUnavailableError, type Database } from "./db/connect";
import { migrateForApp } from "./db/migrate";
import { seedDemo, DEMO_PEOPLE } from "./db/seed";
import { createMailTransport } from "./app/email/transport.server";
import { startDispatcher } from "./app/email/dispatcher.server";
import { mailDomainOf } from "./app/email/outbox.server";
import { securityHeaders, rejectCrossSiteWrites, requirePortalHost } from "./app/http/security.server";
import { limitRequestBodies } from "./app/http/body-limit.server";
import { remixHandler } from "./app/http/remix-handler.server";
import { sendErrorPage } from "./app/http/error-page.server";
import { forLog } from "./app/http/log.server";
import { openPki } from "./app/pdf/pki/pki";
import { createBoundedVerifier } from "./app/pdf/verification/bounded-verifier";
import { DEFAULT_MAX_BYTES } from "./app/pdf/verification/verify";
import { startScheduler } from "./app/startup-scheduler.server";

const root = path.dirname(fileURLToPath(import.meta.url));

export async function startServer(config: Config, db: Database) {
  const pki = await openPki({ dataDir: config.dataDir, env: config.env as NodeJS.ProcessEnv });
  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  // The verify page's fixed pool of worker processes, started once (see app/pdf/verification/verify-pool.ts).
  const verifyDocument = createBoundedVerifier({ trusted: pki.trustedCertificates(), maxBytes: DEFAULT_MAX_BYTES, timeoutMs: 15_000, ...config.verify });
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "1" ? 1 : false);

  app.use((req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(requirePortalHost(config.publicUrl));
  app.use(securityHeaders({ formActionOrigins: config.proconnect ? [new URL(config.proconnect.issuer).origin] : [] }));
  app.use(rejectCrossSiteWrites(config.publicOrigin));
  // The built-in RFC 3161 TSA, reachable by any client (including our own HTTP TSA client).
  app.post("/tsa", express.raw({ type: "application/timestamp-query", limit: "64kb" }), async (req, res) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      res.status(415).type("text/plain; charset=utf-8").send("Requête attendue : application/timestamp-query (RFC 3161).");
      return;
    }
    const reply = await pki.handleTimestampRequest(new Uint8Array(req.body));
    res.status(reply.status).type(reply.contentType).send(Buffer.from(reply.body));
  });
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.use(limitRequestBodies());
  app.all(
    "*",
    remixHandler({
      build,
      publicOrigin: config.publicOrigin,
      getLoadContext: (req, res) => ({
        config,
        db,
        pki,
        verifyDocument,
        cspNonce: res.locals.cspNonce as string,
        // Kept in the audit trail and in log lines: an address, or nothing (X-Forwarded-For is text).
        clientIp: req.ip && isIP(req.ip) ? req.ip : null,
        mailboxClient: { remoteAddress: req.socket.remoteAddress ?? null, host: req.get("host") ?? null, forwardedFor: req.get("x-forwarded-for") ?? null },
      }),
    }),
  );
  app.use(handleErrors);

  const transport = createMailTransport({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom });
  const dispatcher = startDispatcher(db, transport, {
    maxAttempts: config.mailMaxAttempts,
    retryBaseSeconds: config.mailRetryBaseSeconds,
    intervalMs: config.dispatcherIntervalMs,
    mailDomain: mailDomainOf(config.mailFrom),
    publicUrl: config.publicUrl,
    sessionSecret: config.sessionSecret,
    datagouv: config.datagouv,
  });

  // Time-driven changes (entry into force, termination, expiry, end-date and signing reminders): at
  // start (catching up after downtime), then every minute; SKIP LOCKED makes it safe on several instances.
  const scheduler = startScheduler(db, { config });

  const servers = await listen(app, config);
  return {
    servers,
    async close() {
      await scheduler.stop();
      await dispatcher.stop();
      transport.close();
      await verifyDocument.close();
      await Promise.all(servers.map((server) => new Promise((r) => server.close(r))));
    },
  };
}

/**
 * Every interface, or loopback only while e-mail is captured: the dev mailbox holds every magic
 * link and code. A `localhost` PUBLIC_URL may be resolved to 127.0.0.1 or ::1: both are served.
 */
async function listen(app: express.Express, config: Config): Promise<http.Server[]> {
  const hostname = new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, "");
  const addresses = !config.devMailbox ? [undefined] : hostname === "localhost" ? ["127.0.0.1", "::1"] : [hostname];
  const servers: http.Server[] = [];
  for (const address of addresses) {
    const server = http.createServer(
      // Slow clients are cut off; the deadlines are checked every second (Node's default: 30 s).
      { requestTimeout: config.requestTimeoutMs, headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1000 },
      app,
    );
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, address, () => resolve());
      });
      servers.push(server);
    } catch (error) {
      // A machine without IPv6 has no ::1: 127.0.0.1 is enough.
      const code = (error as NodeJS.ErrnoException).code;
      if (address === "::1" && servers.length && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
      throw error;
    }
  }
  return servers;
}

/** The last Express handler: a French page, never a stack trace; the details go to the log. */
function handleErrors(error: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(error);
  const e = error as { status?: number; statusCode?: number; type?: string; message?: string; stack?: string };
  const status = e.status ?? e.statusCode ?? 500;
  if (status === 413) {
    return sendErrorPage(res, 413, "Envoi trop volumineux", "Les données envoyées dépassent la taille admise pour cette adresse. Rien n'a été enregistré.");
  }
  if (status >= 400 && status < 500) {
    console.warn(`[http] requête refusée (${status}) ${forLog(req.method)} ${forLog(req.originalUrl)} : ${forLog(e.message ?? error)}`);
    return sendErrorPage(res, status === 415 ? 415 : 400, "Requête invalide", "La requête envoyée n'est pas valide : elle n'a pas été prise en compte.");
  }
  console.error(`[http] erreur ${forLog(req.method)} ${forLog(req.originalUrl)} :`, error);
  sendErrorPage(res, 500, "Erreur du serveur", "Une erreur inattendue s'est produite. Réessayez dans un instant ; si elle persiste, signalez-la à l'équipe Paraphe.");
}

async function main() {
  if (Object.getOwnPropertyDescriptor(Object.prototype, "__proto__"))
    console.warn("[sécurité] Node démarré sans --disable-proto=delete : lancez le portail par npm start ou npm run serve.");
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  let db: Database;
  try {
    db = await openDatabase(config);
    await migrateForApp(config, db);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) {
      console.error(`Démarrage impossible. ${error.message}`);
      process.exit(69);
    }
    throw error;
  }
  if (process.argv.includes("--demo")) await seedDemo(db);
  let close: () => Promise<void>;
  try {
    ({ close } = await startServer(config, db));
  } catch (error) {
    // The signing keys are opened with the server (after the database): their settings can fail here.
    if (error instanceof ConfigError) {
      console.error(`Démarrage impossible. ${error.message}`);
      await db.destroy();
      process.exit(78);
    }
    throw error;
  }
  const mode = process.env.NODE_ENV === "production" ? "mode production" : `mode ${process.env.NODE_ENV ?? "développement"} : lancez-le avec NODE_ENV=production en service`;
  console.log(`\nParaphe écoute sur ${config.publicUrl} (${mode}, base ${config.databaseUrl ? "PostgreSQL" : `PGlite dans ${config.dataDir}`}, e-mail ${config.smtpUrl ? "envoyé par SMTP" : "capturé dans la boîte de développement"})`);
  if (process.argv.includes("--demo")) printDemoGuide(config);
  const shutdown = async () => {
    await close();
    await db.destroy();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

function printDemoGuide(config: Config) {
  const lines = [
    "",
    "Pour vous connecter :",
    `  1. ouvrez ${config.publicUrl}/connexion et saisissez l'adresse d'une personne de démonstration :`,
    ...DEMO_PEOPLE.map((p) => `       ${p.email.padEnd(38)} ${p.what}`),
    config.devMailbox
      ? `  2. ouvrez la boîte mail de développement ${config.publicUrl}/dev/boite-mail et suivez le lien reçu.`
      : "  2. suivez le lien reçu par e-mail.",
    "",
    "Arrêt : Ctrl+C.",
  ];
  console.log(lines.join("\n"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
