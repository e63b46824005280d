import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "templates/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    globals: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests share one database per worker file; two cores, keep it calm.
    maxWorkers: 2,
    // As in production: no __proto__ accessor (see scripts/lib.mjs NODE_HARDENING).
    execArgv: ["--disable-proto=delete"],
  },
});
