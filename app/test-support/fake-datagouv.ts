/**
 * A local HTTP server that plays data.gouv.fr's resource upload API for the tests (that network is
 * not reachable here): `POST /api/1/datasets/{dataset}/resources/{resource}/upload/`, the key in
 * `X-API-KEY`, the file in the multipart field `file`. Each request takes the next scripted answer
 * (a status, optionally after a delay); it keeps every file it accepted and counts requests in
 * flight at once, so that a test sees both what was replaced and whether two uploads raced.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeAnswer = { status: number; delayMs?: number };

export type FakeDatagouv = {
  /** Base of the API, e.g. http://127.0.0.1:PORT/api/1 */
  apiUrl: string;
  apiKey: string;
  datasetId: string;
  resourceId: string;
  /** Answers for the next requests, in order; then 200. */
  script: (answers: FakeAnswer[]) => void;
  requests: { at: number; status: number; key: string | null; path: string }[];
  /** Files accepted (200), in order: the resource's file is the last one. */
  files: { name: string; content: string }[];
  maxInFlight: () => number;
  close: () => Promise<void>;
};

export async function startFakeDatagouv(options: { apiKey?: string; datasetId?: string; resourceId?: string } = {}): Promise<FakeDatagouv> {
  const apiKey = options.apiKey ?? "cle-api-de-test";
  const datasetId = options.datasetId ?? "conventions-delegation-gestion";
  const resourceId = options.resourceId ?? "5d1c3a2b-0000-4000-8000-000000000001";
  let answers: FakeAnswer[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const requests: FakeDatagouv["requests"] = [];
  const files: FakeDatagouv["files"] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server = http.createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const answer = answers.shift() ?? { status: 200 };
      const key = typeof req.headers["x-api-key"] === "string" ? req.headers["x-api-key"] : null;
      const expectedPath = `/api/1/datasets/${datasetId}/resources/${resourceId}/upload/`;
      let status = answer.status;
      let reply: unknown = {};
      if (req.method !== "POST" || req.url !== expectedPath) {
        status = 404;
        reply = { message: "Not found" };
      } else if (key !== apiKey) {
        status = 401;
        reply = { message: "Invalid API Key" };
      } else if (status === 200) {
        // The multipart body read by the platform's own parser (undici's FormData).
        const form = await new Request("http://fake/", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body }).formData();
        const file = form.get("file");
        if (!(file instanceof Blob)) {
          status = 400;
          reply = { message: "Missing file" };
        } else {
          files.push({ name: (file as File).name, content: await file.text() });
          reply = { id: resourceId, title: (file as File).name, filesize: file.size };
        }
      } else if (status === 401) reply = { message: "Invalid API Key" };
      else reply = { message: "Internal Server Error" };
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      requests.push({ at: Date.now(), status, key, path: req.url ?? "" });
      if (!res.destroyed) {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(reply));
      }
    } finally {
      inFlight--;
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/1`,
    apiKey,
    datasetId,
    resourceId,
    script: (a) => {
      answers = [...a];
    },
    requests,
    files,
    maxInFlight: () => maxInFlight,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
