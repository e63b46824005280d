import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../test-support/ports";

/**
 * The real server process (`npm run serve`, as an operator starts it) answering hostile HTTP:
 * bodies over their limit (declared or chunked), forged Host headers, malformed requests, slow
 * clients, and the dev mailbox asked from elsewhere. Needs the build (npm run build).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STACK = /\n\s+at |Error:|node_modules/;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request; `body`: a string, or a size in bytes sent chunked (no Content-Length) in 64 KB pieces. */
function send(port: number, options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string | { chunked: number }; address?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      { host: options.address ?? "127.0.0.1", port, method: options.method ?? "GET", path: options.path, setHost: false, headers: { Host: options.host ?? `localhost:${port}`, ...options.headers }, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    // Once the server has answered, it may close the connection under a body it will not read.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const body = options.body;
    if (body === undefined) return void req.end();
    if (typeof body === "string") return void req.end(body);
    const piece = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (sent < body.chunked && !answered && !req.destroyed) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump();
  });
}

let portal: ChildProcess;
let port: number;
let stdout = "";

beforeAll(async () => {
  port = await freePort();
  // `npm run serve` exactly as the README says, without NODE_ENV in the environment.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? tmpdir(),
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "paraphe-http-")),
    // Long enough for a 21 MB upload parsed on a busy machine, short enough to test.
    REQUEST_TIMEOUT_MS: "15000",
    HEADERS_TIMEOUT_MS: "1500",
  };
  portal = spawn("npm", ["run", "--silent", "serve"], { cwd: root, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  portal.stdout!.on("data", (d) => (stdout += d));
  portal.stderr!.on("data", (d) => (stdout += d));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (/écoute sur/.test(stdout)) break;
    if (portal.exitCode !== null || Date.now() > deadline) throw new Error(`Le portail n'a pas démarré :\n${stdout}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 100_000);

afterAll(() => {
  if (portal?.pid) process.kill(-portal.pid, "SIGTERM");
});

describe("the real server, against hostile HTTP", () => {
  it("runs in production mode when started by npm run serve", () => {
    expect(stdout).toContain("mode production");
  });

  it("serves the portal's pages to its own host", async () => {
    const r = await send(port, { path: "/connexion" });
    expect(r.status).toBe(200);
    expect(r.body).toContain("Se connecter");
  });

  describe("request bodies are counted as they arrive", () => {
    it("refuses a declared body over the form limit on /connexion with a French 413 page", async () => {
      const r = await send(port, {
        method: "POST",
        path: "/connexion",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(100 * 1024 * 1024), Origin: `http://localhost:${port}` },
        body: "email=a%40b.fr&",
      });
      expect(r.status).toBe(413);
      expect(r.body).toContain("Envoi trop volumineux");
      expect(r.body).toContain('lang="fr"');
      const upload = await send(port, {
        method: "POST",
        path: "/verifier",
        headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(30 * 1024 * 1024), Origin: `http://localhost:${port}` },
        body: "--x\r\n",
      });
      expect(upload.status).toBe(413);
      expect(upload.body).toContain("21 Mo");
    });

    it("refuses a chunked body over the form limit on /connexion with a French 413 page", async () => {
      const r = await send(port, {
        method: "POST",
        path: "/connexion",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://localhost:${port}` },
        body: { chunked: 2 * 1024 * 1024 },
      });
      expect(r.status).toBe(413);
      expect(r.body).toContain("Envoi trop volumineux");
    });

    it("refuses a chunked 30 MB body on the drafting form (its limit was checked on Content-Length only)", async () => {
      const r = await send(port, {
        method: "POST",
        path: "/conventions/00000000-0000-4000-8000-000000000000/modifier",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://localhost:${port}` },
        body: { chunked: 30 * 1024 * 1024 },
      });
      expect(r.status).toBe(413);
      expect(r.body).toContain("10 Mo");
    });

    it("lets the drafting form and the verify page receive bodies above the small default", async () => {
      const draft = await send(port, {
        method: "POST",
        path: "/conventions/00000000-0000-4000-8000-000000000000/modifier",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://localhost:${port}` },
        body: { chunked: 1024 * 1024 },
      });
      expect(draft.status).not.toBe(413);
      const verify = await send(port, {
        method: "POST",
        path: "/verifier",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://localhost:${port}` },
        body: { chunked: 5 * 1024 * 1024 },
      });
      expect(verify.status).not.toBe(413);
    });

    it("refuses a chunked body over the verify page's limit", async () => {
      const r = await send(port, {
        method: "POST",
        path: "/verifier",
        headers: { "Content-Type": "multipart/form-data; boundary=x", Origin: `http://localhost:${port}` },
        body: { chunked: 22 * 1024 * 1024 },
      });
      // The verify page counts too (20 MB and its envelope) and may answer first, with its own page.
      expect(r.status).toBe(413);
      expect(r.body).toMatch(/2[01] Mo/);
      // A reader that gives up on the counted stream does not stop the process.
      expect((await send(port, { path: "/connexion" })).status).toBe(200);
    });
  });

  describe("no stack trace reaches a client", () => {
    it("answers a badly encoded path with a French 400 page", async () => {
      const r = await send(port, { path: "/%" });
      expect(r.status).toBe(400);
      expect(r.body).toContain('lang="fr"');
      expect(r.body).not.toMatch(STACK);
    });

    it("answers an oversized or compressed body on /tsa with a French page", async () => {
      const big = await send(port, { method: "POST", path: "/tsa", headers: { "Content-Type": "application/timestamp-query" }, body: { chunked: 200 * 1024 } });
      expect(big.status).toBe(413);
      expect(big.body).toContain('lang="fr"');
      expect(big.body).not.toMatch(STACK);
      const gzip = await send(port, { method: "POST", path: "/tsa", headers: { "Content-Type": "application/timestamp-query", "Content-Encoding": "gzip" }, body: "%%%%" });
      expect(gzip.status).toBeGreaterThanOrEqual(400);
      expect(gzip.status).toBeLessThan(500);
      expect(gzip.body).not.toMatch(STACK);
    });
  });

  describe("the Host header", () => {
    it("answers 421 for another host, 400 for a malformed one, never 500", async () => {
      const other = await send(port, { path: "/", host: "evil.example" });
      expect(other.status).toBe(421);
      expect(other.body).toContain('lang="fr"');
      const malformed = await send(port, { path: "/", host: "a b" });
      expect([400, 421]).toContain(malformed.status);
      expect(malformed.body).not.toMatch(STACK);
    });

    it("refuses a cross-site write even when the forged Host matches the forged Origin", async () => {
      const r = await send(port, {
        method: "POST",
        path: "/connexion",
        host: "evil.example",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://evil.example" },
        body: "email=a%40b.fr",
      });
      expect([403, 421]).toContain(r.status);
    });
  });

  describe("Cache-Control: no-store", () => {
    it.each(["/connexion/lien?jeton=abcdefghijklmnopqrstuvwxyz", "/telechargement/abcdefghijklmnopqrstuvwxyz", "/accuse-reception/abcdefghijklmnopqrstuvwxyz"])(
      "on the token page %s",
      async (page) => {
        const r = await send(port, { path: page });
        expect(r.headers["cache-control"]).toBe("no-store");
      },
    );

    it("on a page asked with a session cookie", async () => {
      const r = await send(port, { path: "/", headers: { Cookie: "paraphe_session=quelque-chose" } });
      expect(r.headers["cache-control"]).toBe("no-store");
    });
  });

  describe("slow clients are cut off", () => {
    it("closes a connection whose headers do not arrive (headersTimeout)", async () => {
      const started = Date.now();
      const reply = await new Promise<string>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.write(`GET / HTTP/1.1\r\nHost: localhost:${port}\r\n`));
        let data = "";
        socket.on("data", (d) => (data += d));
        socket.on("close", () => resolve(data));
        socket.on("error", () => resolve(data));
        setTimeout(() => socket.destroy(), 15_000);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(8_000);
    }, 20_000);

    it("closes a connection whose body does not arrive (requestTimeout)", async () => {
      const started = Date.now();
      const reply = await new Promise<string>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () =>
          socket.write(`POST /connexion HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=`),
        );
        let data = "";
        socket.on("data", (d) => (data += d));
        socket.on("close", () => resolve(data));
        socket.on("error", () => resolve(data));
        setTimeout(() => socket.destroy(), 35_000);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(25_000);
    }, 40_000);
  });

  describe("the dev mailbox (e-mail captured: no SMTP_URL)", () => {
    it("does not answer a Host that is not PUBLIC_URL's, even a loopback one", async () => {
      const ok = await send(port, { path: "/dev/boite-mail" });
      expect(ok.status).toBe(200);
      for (const host of ["evil.example", `127.0.0.1:${port}`, `attacker.example:${port}`]) {
        const r = await send(port, { path: "/dev/boite-mail", host });
        expect(r.status, host).not.toBe(200);
        expect(r.body).not.toContain("Boîte mail de développement");
      }
    });

    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === "IPv4")?.address;
    it.skipIf(!external)("listens on loopback only: this machine's network address is refused", async () => {
      const error = await send(port, { path: "/dev/boite-mail", address: external }).then(
        (r) => `answered ${r.status}`,
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect(error).toBe("ECONNREFUSED");
    });
  });
});
