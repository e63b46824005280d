import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../config.server";

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "paraphe-test-")), PUBLIC_URL: "http://localhost:3999", ...env });
}
