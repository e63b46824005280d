/**
 * A verification worker process: verifies the uploads its pool sends, one at a time, and answers
 * with the report. The pool bounds its time and memory from outside (it kills this process).
 */
import { verifyPdf } from "./verify";

type Message = { type: "init"; trusted: Uint8Array[]; maxBytes: number } | { type: "verify"; bytes: Uint8Array };

let options: { trusted: Uint8Array[]; maxBytes: number } = { trusted: [], maxBytes: 0 };

process.on("message", (message: Message) => {
  if (message.type === "init") {
    options = { trusted: message.trusted, maxBytes: message.maxBytes };
  } else if (message.type === "verify") {
    void verifyPdf(message.bytes, options).then((report) => process.send!({ type: "report", report }));
  }
});
// The server went away (even killed): nothing left to verify for.
process.on("disconnect", () => process.exit(0));
process.send!({ type: "ready" });
