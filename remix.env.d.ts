/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import type { AppLoadContext as RemixLoadContext } from "@remix-run/node";
import type { Config } from "./app/config.server";
import type { Database } from "./db/connect";

declare module "@remix-run/node" {
  interface AppLoadContext {
    config: Config;
    db: Database;
    cspNonce: string;
    clientIp: string | null;
  }
}
export type { RemixLoadContext };
