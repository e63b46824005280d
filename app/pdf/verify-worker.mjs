// Worker entry: loads the TypeScript verifier through tsx, like the rest of the server.
import { register } from "tsx/esm/api";

register();
await import("./verify-worker.ts");
