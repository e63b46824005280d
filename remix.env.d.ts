/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import type { AppLoadContext as RemixLoadContext } from "@remix-run/node";
import type { Config } from "./app/config.server";
import type { Database } from "./db/connect";
import type { Pki } from "./app/pdf/pki/pki";
import type { BoundedVerifier } from "./app/pdf/verification/bounded-verifier";

declare module "@remix-run/node" {
  interface AppLoadContext {
    config: Config;
    db: Database;
    pki: Pki;
    /** Verifies an untrusted PDF in a worker bounded in time and memory. */
    verifyDocument: BoundedVerifier;
    cspNonce: string;
    clientIp: string | null;
    /** Read by the dev mailbox only: it answers local clients. */
    mailboxClient: import("./app/http/dev-mailbox.server").MailboxClient;
  }
}
export type { RemixLoadContext };
