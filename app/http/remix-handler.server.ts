import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { mustNotBeStored } from "./cache.server";

/**
 * The Remix request handler for Express (in place of @remix-run/express, whose adapter streams the
 * raw request to Remix): the body comes from `req.body`, read (or counted on its way) within its
 * limit by `limitRequestBodies`; the URL is built on PUBLIC_URL (the Host was checked by
 * `requirePortalHost`), so no client header can make it invalid; private pages get no-store.
 */
export function remixHandler(options: { build: ServerBuild; publicOrigin: string; getLoadContext: (req: Request, res: Response) => AppLoadContext }) {
  const handle = createRequestHandler(options.build, "production");
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const controller = new AbortController();
      // The client left before the answer: loaders and actions may stop.
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal };
      if (req.method !== "GET" && req.method !== "HEAD") {
        if (Buffer.isBuffer(req.body)) init.body = req.body as unknown as BodyInit;
        else if (req.body instanceof Readable) {
          init.body = createReadableStreamFromReadable(req.body);
          init.duplex = "half";
        }
      }
      const request = new globalThis.Request(new URL(req.originalUrl, options.publicOrigin), init);
      const response = await handle(request, options.getLoadContext(req, res));
      // A streamed body went past its limit: the 413 page is already sent.
      if (res.headersSent) {
        await response.body?.cancel();
        return;
      }

      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (mustNotBeStored(req.path, req.headers.cookie, response.headers.has("set-cookie"))) res.set("Cache-Control", "no-store");
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}

function remixHeaders(source: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(source)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  return headers;
}
