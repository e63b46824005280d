/**
 * The list pages stay small whatever the data size (issue 14): over 300 seeded conventions, the
 * dashboard, the conventions list and « À signer » answer under 200 KB, show one page of rows and a
 * « Page suivante » link that leads to the next rows. Through the real Remix handler of build/index.js,
 * like the authorization matrix (which builds when the build is stale; `npm test` builds first).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { seedScale } from "../../bench/seed-scale";
import type { Database } from "../../db/connect";
import { openSession } from "../models/sessions.server";
import { commitSessionCookie } from "../session.server";
import { CAMILLE, CANTON } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUILD = path.join(root, "build/index.js");
const MAX_BYTES = 200 * 1024;

function stale(): boolean {
  if (!existsSync(BUILD)) return true;
  const built = statSync(BUILD).mtimeMs;
  return ["app", "db"].some((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }).some(
      (f) => /\.(ts|tsx|mjs)$/.test(f) && !/\.test\.tsx?$/.test(f) && statSync(path.join(root, dir, f)).mtimeMs > built,
    ),
  );
}

let db: Database;
let close: () => Promise<void>;
let handle: (request: Request) => Promise<Response>;
let context: AppLoadContext;
const config = testConfig();

async function cookieOf(email: string) {
  const person = await db.selectFrom("people").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  const { sessionToken } = await openSession(db, { personId: person.id, authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "taille-des-pages" });
  return (await commitSessionCookie(context, sessionToken)).split(";")[0];
}

async function get(pathAndQuery: string, email: string) {
  const response = await handle(new Request(`${config.publicUrl}${pathAndQuery}`, { headers: { cookie: await cookieOf(email) } }));
  const html = await response.text();
  return { status: response.status, html, bytes: Buffer.byteLength(html) };
}

/** Links of the rows of the page's tables (one per row), and the « Page suivante » href if any. */
const rowLinks = (html: string) => [...html.matchAll(/<td><a [^>]*href="(\/conventions\/[0-9a-f-]{36}(?:\/signer)?)"/g)].map((m) => m[1]);
const nextHref = (html: string) => {
  const tag = /<a [^>]*rel="next"[^>]*>Page suivante<\/a>/.exec(html)?.[0];
  return tag ? /href="([^"]*)"/.exec(tag)?.[1]?.replace(/&amp;/g, "&") : undefined;
};

beforeAll(async () => {
  if (stale()) execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  const build = (await import(/* @vite-ignore */ pathToFileURL(BUILD).href)) as ServerBuild;
  ({ db, close } = await createTestDatabase());
  await seedScale(db, { conventions: 300 });
  context = { config, db } as unknown as AppLoadContext;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, context);
}, 600_000);
afterAll(() => close?.());

describe("list pages over 300 conventions", () => {
  it("the dashboard: under 200 KB, one page of its tab, a « Page suivante » to the next rows", async () => {
    const first = await get("/tableau-de-bord?onglet=brouillons", CAMILLE);
    expect(first.status).toBe(200);
    expect(first.bytes).toBeLessThan(MAX_BYTES);
    const rows = rowLinks(first.html);
    expect(rows).toHaveLength(25);
    // React separates text parts with <!-- -->: the heading reads « Brouillons (154) ».
    expect(first.html.replace(/<!-- -->/g, "")).toMatch(/<h2[^>]*>Brouillons \(\d{3}\)<\/h2>/);
    const next = nextHref(first.html);
    expect(next).toMatch(/^\/tableau-de-bord\?onglet=brouillons&apres=[A-Za-z0-9_-]+$/);
    const second = await get(next!, CAMILLE);
    expect(second.status).toBe(200);
    const rows2 = rowLinks(second.html);
    expect(rows2).toHaveLength(25);
    expect(rows2.filter((r) => rows.includes(r))).toEqual([]);
    expect(second.html).toContain("Page précédente");
  });

  it("the conventions list and « À signer » stay under 200 KB with their next page", async () => {
    const list = await get("/conventions", CAMILLE);
    expect(list.status).toBe(200);
    expect(list.bytes).toBeLessThan(MAX_BYTES);
    expect(rowLinks(list.html).length).toBeLessThanOrEqual(35);
    expect(list.html).toContain("Page suivante");
    const toSign = await get("/a-signer", CANTON);
    expect(toSign.status).toBe(200);
    expect(toSign.bytes).toBeLessThan(MAX_BYTES);
    expect(rowLinks(toSign.html).length).toBeLessThanOrEqual(25);
  });

  it("a search narrows the dashboard in SQL (reference, title words, party)", async () => {
    const ref = await get("/tableau-de-bord?q=DG-2024", CAMILLE);
    expect(ref.status).toBe(200);
    const hits = rowLinks(ref.html);
    expect(hits.length).toBeGreaterThan(0);
    const none = await get("/tableau-de-bord?q=aucun-intitule-ainsi", CAMILLE);
    expect(rowLinks(none.html)).toEqual([]);
    expect(none.html).toContain("Aucune convention ne correspond aux filtres.");
  });
});
