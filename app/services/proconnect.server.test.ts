import type { Database } from "../../db/connect";
import { seedDemo } from "../../db/seed";
import { startOidcProvider } from "../../e2e/support/oidc-provider-server";
import { ConfigError, type Config } from "../config.server";
import { verifyAuditChain } from "../models/audit.server";
import { findLiveSession, revokeSession } from "../models/sessions.server";
import { createTestDatabase } from "../test-support/db";
import { testConfig } from "../test-support/config";
import {
  clearProConnectFlowCookie,
  finishProConnect,
  ProConnectError,
  PROCONNECT_MESSAGES,
  proConnectLogoutUrl,
  proConnectNoticeCookie,
  readProConnectNotice,
  resetProConnectDiscovery,
  startProConnect,
} from "./proconnect.server";
import { hashToken, requestLoginLink } from "./request-login-link.server";
import { signInWithLink } from "./sign-in-with-link.server";

/**
 * The whole authorization code flow against a real OpenID provider on loopback, driven with
 * plain fetch: the portal's side through the service, the browser's side by hand (cookies,
 * redirects, the provider's sign-in form).
 */

const PORTAL = "http://localhost:3999";
const REDIRECT_URI = `${PORTAL}/connexion/proconnect/retour`;
const meta = { ip: "127.0.0.1", userAgent: "vitest" };

let db: Database;
let closeDb: () => Promise<void>;
let provider: Awaited<ReturnType<typeof startOidcProvider>>;
let config: Config;

beforeAll(async () => {
  ({ db, close: closeDb } = await createTestDatabase());
  await seedDemo(db);
  provider = await startOidcProvider({ port: 0, clients: [{ clientId: "paraphe-test", clientSecret: "secret-de-test-0123456789", redirectUris: [REDIRECT_URI] }] });
  config = testConfig({ PROCONNECT_ISSUER: provider.issuer, PROCONNECT_CLIENT_ID: "paraphe-test", PROCONNECT_CLIENT_SECRET: "secret-de-test-0123456789" });
}, 120_000);
afterAll(async () => {
  await provider?.close();
  await closeDb?.();
});

/** A browser's cookie jar for the provider's origin, enough for its interaction cookies. */
class Browser {
  private cookies = new Map<string, string>();
  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: this.header() } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(index + 1));
    }
    return response;
  }
  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** Follows the provider's redirects until it sends the browser back to the portal. */
async function followToPortal(browser: Browser, start: string, base: string, form?: (page: string, url: string) => { url: string; body: string }) {
  let url = start;
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(PORTAL)) return new URL(url);
    const response = await browser.get(url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get("location")!, base).href;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200 || !form) throw new Error(`réponse inattendue du fournisseur (${response.status}) : ${html.slice(0, 300)}`);
    const submit = form(html, url);
    const posted = await browser.get(submit.url, { method: "POST", body: submit.body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    if (posted.status < 300 || posted.status >= 400) throw new Error(`le formulaire du fournisseur a répondu ${posted.status} : ${(await posted.text()).slice(0, 300)}`);
    url = new URL(posted.headers.get("location")!, base).href;
  }
  throw new Error("trop de redirections");
}

function signInAs(email: string, action: "login" | "abort" = "login", acr?: string) {
  return (html: string) => {
    const match = new RegExp(`action="(/interaction/[\\w-]+/${action})"`).exec(html);
    if (!match) throw new Error(`pas de formulaire « ${action} » : ${html.slice(0, 300)}`);
    return { url: provider.issuer + match[1], body: action === "login" ? new URLSearchParams({ email, ...(acr ? { acr } : {}) }).toString() : "" };
  };
}

/** Starts at the portal, signs in at the provider, and returns what the callback receives. */
async function runFlow(email: string, action: "login" | "abort" = "login", retour = "/tableau-de-bord", options: { acr?: string; config?: Config } = {}) {
  const { url, setCookie } = await startProConnect(options.config ?? config, { retour });
  const cookieHeader = setCookie.split(";")[0];
  const callback = await followToPortal(new Browser(), url, provider.issuer, signInAs(email, action, options.acr));
  return { authorizationUrl: new URL(url), setCookie, cookieHeader, callback };
}

describe("ProConnect sign-in against a real OpenID provider", () => {
  it("sends the browser to the provider with PKCE S256, state and nonce, and keeps the verifier out of the URL", async () => {
    const { url, setCookie } = await startProConnect(config, { retour: "/a-signer" });
    const auth = new URL(url);
    expect(auth.origin).toBe(provider.issuer);
    expect(auth.searchParams.get("response_type")).toBe("code");
    expect(auth.searchParams.get("client_id")).toBe("paraphe-test");
    expect(auth.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(auth.searchParams.get("scope")).toBe("openid email given_name usual_name");
    expect(auth.searchParams.get("code_challenge_method")).toBe("S256");
    expect(auth.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.searchParams.get("state")!.length).toBeGreaterThanOrEqual(32);
    expect(auth.searchParams.get("nonce")!.length).toBeGreaterThanOrEqual(32);
    expect(auth.searchParams.has("code_verifier")).toBe(false);
    expect(setCookie).toMatch(/^paraphe_proconnect=[A-Za-z0-9_-]+; Path=\/connexion\/proconnect; Max-Age=600; HttpOnly; SameSite=Lax$/);
    // The cookie is sealed: neither state nor nonce can be read in it.
    const value = setCookie.split(";")[0].split("=")[1];
    expect(Buffer.from(value, "base64url").toString("latin1")).not.toContain(auth.searchParams.get("state")!);
  });

  it("opens a session for an active person matched by e-mail (case-insensitive), with an audit event", async () => {
    const { callback, cookieHeader } = await runFlow("Stephanie.Schaer@DINUM.example", "login", "/a-signer");
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("iss")).toBe(provider.issuer);
    const result = await finishProConnect(db, config, { search: callback.searchParams, cookieHeader, ...meta });
    expect(result.retour).toBe("/a-signer");
    const session = await findLiveSession(db, hashToken(result.sessionToken));
    expect(session?.email).toBe("stephanie.schaer@dinum.example");
    expect(session?.auth_method).toBe("proconnect");
    const event = await db.selectFrom("audit_events").selectAll().where("actor_id", "=", result.personId).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(event.type).toBe("connexion");
    expect(event.auth_method).toBe("proconnect");
    expect(event.ip).toBe("127.0.0.1");
    expect(await verifyAuditChain(db, null)).toBe(true);

    // The same return presented again (replay) opens nothing.
    const sessions = await db.selectFrom("sessions").select("id").execute();
    await expect(finishProConnect(db, config, { search: callback.searchParams, cookieHeader, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.expired);
    expect((await db.selectFrom("sessions").select("id").execute()).length).toBe(sessions.length);
  });

  it("keeps the ID token until logout, then asks the provider to end its session with it", async () => {
    const { callback, cookieHeader } = await runFlow("anne-florence.canton@justice.example");
    const result = await finishProConnect(db, config, { search: callback.searchParams, cookieHeader, ...meta });
    const session = (await findLiveSession(db, hashToken(result.sessionToken)))!;
    const { idToken } = await revokeSession(db, session.session_id);
    expect(idToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // Forgotten with the session: a second logout has nothing to hand over.
    expect(await revokeSession(db, session.session_id)).toEqual({ idToken: null });
    expect((await db.selectFrom("sessions").select("id_token").where("id", "=", session.session_id).executeTakeFirstOrThrow()).id_token).toBeNull();

    const logout = new URL((await proConnectLogoutUrl(config, idToken!))!);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(logout.searchParams.get("id_token_hint")).toBe(idToken);
    expect(logout.searchParams.get("post_logout_redirect_uri")).toBe(`${config.publicUrl}/`);
  });

  it("refuses an unknown or deactivated person with a French message and no session", async () => {
    const before = (await db.selectFrom("sessions").select("id").execute()).length;
    const unknown = await runFlow("inconnu@dinum.example");
    const error = await finishProConnect(db, config, { search: unknown.callback.searchParams, cookieHeader: unknown.cookieHeader, ...meta }).catch((e) => e);
    expect(error).toBeInstanceOf(ProConnectError);
    expect(error.message).toBe("Aucun compte Paraphe actif ne correspond à l'adresse inconnu@dinum.example : demandez à un administrateur de vous inscrire.");

    await db.updateTable("people").set({ active: false }).where("email", "=", "louis.bernard@dinum.example").execute();
    const inactive = await runFlow("louis.bernard@dinum.example");
    await expect(finishProConnect(db, config, { search: inactive.callback.searchParams, cookieHeader: inactive.cookieHeader, ...meta })).rejects.toThrow(
      /Aucun compte Paraphe actif ne correspond à l'adresse louis\.bernard@dinum\.example/,
    );
    await db.updateTable("people").set({ active: true }).where("email", "=", "louis.bernard@dinum.example").execute();
    expect((await db.selectFrom("sessions").select("id").execute()).length).toBe(before);
  });

  it("refuses a tampered, missing or foreign state, a forged cookie and a wrong code", async () => {
    const flow = await runFlow("stephanie.schaer@dinum.example");
    const tampered = new URLSearchParams(flow.callback.searchParams);
    tampered.set("state", "etat-falsifie");
    await expect(finishProConnect(db, config, { search: tampered, cookieHeader: flow.cookieHeader, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.invalid);
    const missing = new URLSearchParams(flow.callback.searchParams);
    missing.delete("state");
    await expect(finishProConnect(db, config, { search: missing, cookieHeader: flow.cookieHeader, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.invalid);
    // No cookie (another browser), or a cookie altered by one character.
    await expect(finishProConnect(db, config, { search: flow.callback.searchParams, cookieHeader: null, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.expired);
    const value = flow.cookieHeader.split("=")[1];
    const altered = `paraphe_proconnect=${value.slice(0, 20)}${value[20] === "A" ? "B" : "A"}${value.slice(21)}`;
    await expect(finishProConnect(db, config, { search: flow.callback.searchParams, cookieHeader: altered, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.expired);
    // Another flow's cookie with this flow's return (a login-CSRF attempt).
    const other = await startProConnect(config, { retour: "/" });
    await expect(finishProConnect(db, config, { search: flow.callback.searchParams, cookieHeader: other.setCookie.split(";")[0], ...meta })).rejects.toThrow(
      PROCONNECT_MESSAGES.invalid,
    );
    // A forged code with the right state and cookie: the provider refuses the exchange.
    const fresh = await runFlow("stephanie.schaer@dinum.example");
    const forged = new URLSearchParams(fresh.callback.searchParams);
    forged.set("code", "code-invente");
    await expect(finishProConnect(db, config, { search: forged, cookieHeader: fresh.cookieHeader, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.invalid);
  });

  it("refuses a code redeemed with another flow's PKCE verifier", async () => {
    const a = await runFlow("stephanie.schaer@dinum.example");
    // Flow B's cookie, but presenting A's code with B's state: PKCE and nonce no longer match.
    const b = await startProConnect(config, { retour: "/" });
    const bState = new URL(b.url).searchParams.get("state")!;
    const mixed = new URLSearchParams(a.callback.searchParams);
    mixed.set("state", bState);
    await expect(finishProConnect(db, config, { search: mixed, cookieHeader: b.setCookie.split(";")[0], ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.invalid);
  });

  it("reports a sign-in cancelled at the provider (error=access_denied)", async () => {
    const flow = await runFlow("stephanie.schaer@dinum.example", "abort");
    expect(flow.callback.searchParams.get("error")).toBe("access_denied");
    await expect(finishProConnect(db, config, { search: flow.callback.searchParams, cookieHeader: flow.cookieHeader, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.cancelled);
  });

  it("reports an unreachable provider in French, and retries discovery next time", async () => {
    resetProConnectDiscovery();
    const down = testConfig({ PROCONNECT_ISSUER: "http://127.0.0.1:9", PROCONNECT_CLIENT_ID: "x", PROCONNECT_CLIENT_SECRET: "y" });
    await expect(startProConnect(down, { retour: "/" })).rejects.toThrow(PROCONNECT_MESSAGES.unavailable);
    await expect(startProConnect(down, { retour: "/" })).rejects.toThrow(PROCONNECT_MESSAGES.unavailable);
  });

  it("carries a refusal to the sign-in page in a sealed one-shot cookie", () => {
    const cookie = proConnectNoticeCookie(config, new ProConnectError("Message de test", "raison"));
    const read = readProConnectNotice(config, cookie.split(";")[0]);
    expect(read.notice).toEqual({ title: "Connexion avec ProConnect impossible", message: "Message de test" });
    expect(read.clearCookie).toMatch(/Max-Age=0/);
    expect(readProConnectNotice(config, "paraphe_proconnect_avis=texte-choisi-par-un-tiers").notice).toBeNull();
    expect(clearProConnectFlowCookie(config)).toMatch(/^paraphe_proconnect=; Path=\/connexion\/proconnect; Max-Age=0/);
  });
});

describe("ProConnect: state shared between instances, level of authentication, rate limits", () => {
  it("keeps used states in the database: a callback replayed on another instance is refused before any exchange", async () => {
    const { callback, cookieHeader } = await runFlow("stephanie.schaer@dinum.example");
    await finishProConnect(db, config, { search: callback.searchParams, cookieHeader, ...meta });
    // Another instance: a fresh copy of the module, with nothing of this one's memory.
    vi.resetModules();
    const other = await import("./proconnect.server");
    const sessions = (await db.selectFrom("sessions").select("id").execute()).length;
    const error = await other.finishProConnect(db, config, { search: callback.searchParams, cookieHeader, ...meta }).then(
      () => null,
      (e: Error & { reason?: string }) => e,
    );
    expect(error?.message).toBe(PROCONNECT_MESSAGES.expired);
    expect(error?.reason).toMatch(/rejeu/);
    expect((await db.selectFrom("sessions").select("id").execute()).length).toBe(sessions);
    // Only a hash of the state is kept.
    expect((await db.selectFrom("proconnect_used_states").select("state_hash").execute()).length).toBeGreaterThan(0);
    const state = callback.searchParams.get("state")!;
    expect((await db.selectFrom("proconnect_used_states").select("state_hash").execute()).some((r) => r.state_hash === state)).toBe(false);
  });

  it("asks for the configured levels (acr_values) and refuses, in French, an ID token below them", async () => {
    const strict = testConfig({ PROCONNECT_ISSUER: provider.issuer, PROCONNECT_CLIENT_ID: "paraphe-test", PROCONNECT_CLIENT_SECRET: "secret-de-test-0123456789", PROCONNECT_ACR_VALUES: "eidas2 eidas3" });
    expect(strict.proconnect?.acrValues).toEqual(["eidas2", "eidas3"]);
    const weak = await runFlow("stephanie.schaer@dinum.example", "login", "/", { config: strict, acr: "eidas1" });
    expect(weak.authorizationUrl.searchParams.get("acr_values")).toBe("eidas2 eidas3");
    const sessions = (await db.selectFrom("sessions").select("id").execute()).length;
    await expect(finishProConnect(db, strict, { search: weak.callback.searchParams, cookieHeader: weak.cookieHeader, ...meta })).rejects.toThrow(PROCONNECT_MESSAGES.insufficientAcr);
    expect(PROCONNECT_MESSAGES.insufficientAcr).toMatch(/niveau de sécurité demandé/);
    expect((await db.selectFrom("sessions").select("id").execute()).length).toBe(sessions);

    const strong = await runFlow("stephanie.schaer@dinum.example", "login", "/", { config: strict, acr: "eidas2" });
    await expect(finishProConnect(db, strict, { search: strong.callback.searchParams, cookieHeader: strong.cookieHeader, ...meta })).resolves.toMatchObject({ personId: expect.any(String) });
    // The default accepts eidas1 (ProConnect's basic level).
    const basic = await runFlow("stephanie.schaer@dinum.example", "login", "/", { acr: "eidas1" });
    await expect(finishProConnect(db, config, { search: basic.callback.searchParams, cookieHeader: basic.cookieHeader, ...meta })).resolves.toBeDefined();
  });

  it("an address and an IP address locked out of sign-in links still sign in with ProConnect", async () => {
    const email = "anne-florence.canton@justice.example";
    const limits = testConfig({ LOGIN_RATE_LIMIT_PER_EMAIL: "2", LOGIN_RATE_LIMIT_PER_IP: "2" });
    for (let i = 0; i < 3; i++) await requestLoginLink(db, limits, { email, ip: meta.ip }).catch(() => undefined);
    await expect(requestLoginLink(db, limits, { email, ip: meta.ip })).rejects.toThrow(/Trop de demandes/);
    for (let i = 0; i < 3; i++) await signInWithLink(db, limits, { token: "X".repeat(43), ...meta }).catch(() => undefined);
    await expect(signInWithLink(db, limits, { token: "X".repeat(43), ...meta })).rejects.toThrow(/Trop de liens/);

    const { callback, cookieHeader } = await runFlow(email);
    const result = await finishProConnect(db, config, { search: callback.searchParams, cookieHeader, ...meta });
    expect((await findLiveSession(db, hashToken(result.sessionToken)))?.email).toBe(email);
  });
});

describe("ProConnect configuration", () => {
  it("is off when no variable is set, and all-or-none otherwise", () => {
    expect(testConfig().proconnect).toBeUndefined();
    expect(() => testConfig({ PROCONNECT_ISSUER: "https://auth.example.gouv.fr/api/v2" })).toThrow(ConfigError);
    expect(() => testConfig({ PROCONNECT_ISSUER: "https://auth.example.gouv.fr/api/v2" })).toThrow(/PROCONNECT_CLIENT_ID : obligatoire/);
    expect(() => testConfig({ PROCONNECT_CLIENT_SECRET: "s" })).toThrow(/PROCONNECT_ISSUER : obligatoire/);
    expect(() => testConfig({ PROCONNECT_ISSUER: "pas une url", PROCONNECT_CLIENT_ID: "a", PROCONNECT_CLIENT_SECRET: "b" })).toThrow(/PROCONNECT_ISSUER : doit être l'URL/);
    expect(() => testConfig({ PROCONNECT_ISSUER: "http://auth.example.gouv.fr", PROCONNECT_CLIENT_ID: "a", PROCONNECT_CLIENT_SECRET: "b" })).toThrow(/https:\/\//);
    expect(() => testConfig({ PROCONNECT_ISSUER: "https://a.example", PROCONNECT_CLIENT_ID: "a", PROCONNECT_CLIENT_SECRET: "b", PROCONNECT_SCOPES: "email" })).toThrow(
      /PROCONNECT_SCOPES : doit contenir/,
    );
    const ok = testConfig({ PROCONNECT_ISSUER: "https://a.example/api/v2", PROCONNECT_CLIENT_ID: "a", PROCONNECT_CLIENT_SECRET: "b" });
    expect(ok.proconnect).toEqual({
      issuer: "https://a.example/api/v2",
      clientId: "a",
      clientSecret: "b",
      scopes: "openid email given_name usual_name",
      acrValues: ["eidas1", "eidas2", "eidas3"],
      redirectUri: "http://localhost:3999/connexion/proconnect/retour",
      postLogoutRedirectUri: "http://localhost:3999/",
    });
  });
});
