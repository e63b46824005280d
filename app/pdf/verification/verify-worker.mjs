// Entry of a verification worker process (see verify-pool.ts): registers tsx once, at start,
// then loads the TypeScript verifier; every job afterwards reuses the loaded code.
import { register } from "tsx/esm/api";

register();
await import("./verify-worker.ts");
