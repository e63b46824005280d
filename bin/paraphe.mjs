#!/usr/bin/env -S node --disable-proto=delete
// The CLI runs the TypeScript sources through tsx: one code base for the server, the tests and the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../app/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
