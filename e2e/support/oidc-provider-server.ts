/**
 * A real OpenID provider for tests (`oidc-provider`, certified by the OpenID Foundation), set up
 * like ProConnect: authorization code flow only, PKCE S256 required, client_secret_post, scopes
 * `openid email given_name usual_name`, identity claims given at userinfo as a signed JWT (not
 * in the ID token). Its sign-in page asks only for an e-mail address: whoever types it is that
 * person. « Annuler » answers the client with error=access_denied.
 *
 * Logout as at ProConnect (RP-initiated, with id_token_hint): a page asks to confirm, then the
 * browser goes back to the client's registered post-logout address.
 *
 * The ID token carries acr "eidas1", or the level posted with the sign-in form (field `acr`).
 *
 * Used in-process by the integration test and, run as a script, by Playwright (port 2590):
 *   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS and
 *   OIDC_POST_LOGOUT_REDIRECT_URIS (space-separated).
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

export type TestProviderOptions = {
  port: number;
  host?: string;
  clients: { clientId: string; clientSecret: string; redirectUris: string[]; postLogoutRedirectUris?: string[] }[];
};

export async function startOidcProvider(options: TestProviderOptions) {
  const host = options.host ?? "127.0.0.1";
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const issuer = `http://${host}:${port}`;

  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
      userinfo_signed_response_alg: "RS256",
    })),
    jwks: { keys: [{ ...signingKey, kid: "test-op-1", use: "sig", alg: "RS256" }] },
    cookies: { keys: ["paraphe-test-provider-cookie-key"] },
    pkce: { methods: ["S256"], required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    scopes: ["openid", "email", "given_name", "usual_name"],
    acrValues: ["eidas1", "eidas2", "eidas3"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], given_name: ["given_name"], usual_name: ["usual_name"] },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContextWithOIDC, form: string) {
          ctx.type = "html";
          ctx.body = page(
            "Déconnexion du fournisseur d'identité de test",
            `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Me déconnecter du fournisseur</button>`,
          );
        },
        async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.type = "html";
          ctx.body = page("Déconnecté du fournisseur d'identité de test", "<p>Vous êtes déconnecté.</p>");
        },
      },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Test clients are first-party: consent is given with the sign-in.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: KoaContextWithOIDC, id: string) {
      const email = id.toLowerCase();
      const local = email.split("@")[0] ?? email;
      const [first, last] = local.split(".");
      return {
        accountId: id,
        async claims() {
          return {
            sub: createHash("sha256").update(email).digest("hex").slice(0, 32),
            email,
            email_verified: true,
            given_name: capitalize(first ?? local),
            usual_name: capitalize(last ?? local),
          };
        },
      };
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = page("Erreur du fournisseur d'identité", `<p>${escape(String(out.error))} : ${escape(String(out.error_description ?? ""))}</p>`);
    },
  });
  const handle = provider.callback();

  server.on("request", async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", issuer);
      const match = /^\/interaction\/([\w-]+)(\/(login|abort))?$/.exec(url.pathname);
      if (!match) return void handle(req, res);
      const details = await provider.interactionDetails(req, res);
      if (req.method === "GET" && !match[2]) {
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        res.end(
          page(
            "Fournisseur d'identité de test",
            `<p>Client : ${escape(String(details.params.client_id))}</p>
<form method="post" action="/interaction/${details.uid}/login">
  <label for="email">Adresse électronique professionnelle</label>
  <input id="email" name="email" type="email" autocomplete="email" required>
  <button type="submit">Se connecter</button>
</form>
<form method="post" action="/interaction/${details.uid}/abort"><button type="submit">Annuler</button></form>`,
          ),
        );
        return;
      }
      if (req.method === "POST" && match[3] === "login") {
        const form = new URLSearchParams(await readBody(req));
        const email = form.get("email")?.trim().toLowerCase() ?? "";
        // The level of authentication ProConnect reports in the ID token's acr: eidas1 unless the test asks for another.
        const acr = form.get("acr") || "eidas1";
        await provider.interactionFinished(req, res, { login: { accountId: email, acr } }, { mergeWithLastSubmission: false });
        return;
      }
      if (req.method === "POST" && match[3] === "abort") {
        await provider.interactionFinished(req, res, { error: "access_denied", error_description: "Connexion annulée par l'utilisateur" }, { mergeWithLastSubmission: false });
        return;
      }
      res.statusCode = 405;
      res.end();
    } catch (error) {
      res.statusCode = 400;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end(`Erreur du fournisseur de test : ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 10_000) req.destroy(new Error("corps trop long"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function page(title: string, body: string) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function escape(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function capitalize(word: string) {
  return word ? word[0].toUpperCase() + word.slice(1) : word;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const provider = await startOidcProvider({
    port: Number(process.env.OIDC_PORT ?? 2590),
    clients: [
      {
        clientId: process.env.OIDC_CLIENT_ID ?? "paraphe-e2e",
        clientSecret: process.env.OIDC_CLIENT_SECRET ?? "paraphe-e2e-secret",
        redirectUris: (process.env.OIDC_REDIRECT_URIS ?? "http://localhost:3457/connexion/proconnect/retour").split(/\s+/).filter(Boolean),
        postLogoutRedirectUris: (process.env.OIDC_POST_LOGOUT_REDIRECT_URIS ?? "http://localhost:3457/").split(/\s+/).filter(Boolean),
      },
    ],
  });
  console.log(`Fournisseur OpenID de test sur ${provider.issuer}`);
  const stop = async () => {
    await provider.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
