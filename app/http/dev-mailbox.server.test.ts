import type { AppLoadContext } from "@remix-run/node";
import { isLoopbackAddress, requireDevMailbox, type MailboxClient } from "./dev-mailbox.server";

/** The dev mailbox holds every magic link and code: only a client on this machine, asking for PUBLIC_URL's host, sees it. */

const PORTAL = "http://localhost:3999";
const local: MailboxClient = { remoteAddress: "127.0.0.1", host: "localhost:3999", forwardedFor: null };

function context(client: MailboxClient, devMailbox = true) {
  return { config: { devMailbox, publicUrl: PORTAL }, mailboxClient: client } as unknown as AppLoadContext;
}

function status(ctx: AppLoadContext): number {
  try {
    requireDevMailbox(ctx);
    return 200;
  } catch (thrown) {
    return (thrown as Response).status;
  }
}

describe("requireDevMailbox", () => {
  it("answers a local client asking for PUBLIC_URL's host", () => {
    expect(status(context(local))).toBe(200);
    expect(status(context({ ...local, remoteAddress: "::1" }))).toBe(200);
    expect(status(context({ ...local, remoteAddress: "::ffff:127.0.0.1" }))).toBe(200);
  });

  it.each(["192.0.2.10", "10.0.0.5", "::ffff:192.0.2.10", "fe80::1", "2001:db8::1", "", null])("refuses the client address %j", (remoteAddress) => {
    expect(status(context({ ...local, remoteAddress }))).toBe(404);
  });

  it.each(["evil.example", "127.0.0.1:3999", "localhost:4000", "localhost", null])("refuses the Host %j (DNS rebinding)", (host) => {
    expect(status(context({ ...local, host }))).toBe(404);
  });

  it("refuses a request relayed by a local proxy from another machine", () => {
    expect(status(context({ ...local, forwardedFor: "203.0.113.7" }))).toBe(404);
    expect(status(context({ ...local, forwardedFor: "127.0.0.1, 203.0.113.7" }))).toBe(404);
  });

  it("does not exist when e-mail is sent by SMTP", () => {
    expect(status(context(local, false))).toBe(404);
  });
});

describe("isLoopbackAddress", () => {
  it("knows 127.0.0.0/8 and ::1, in their IPv4-mapped forms too", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"].every(isLoopbackAddress)).toBe(true);
    expect(["128.0.0.1", "127.0.0.1.evil", "::2", "0.0.0.0", undefined].some(isLoopbackAddress)).toBe(false);
  });
});
