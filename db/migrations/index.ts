import type { Migration } from "kysely/migration";
import * as m0001 from "./0001_foundation";

/** Static registry: the bundled server and the CLI run exactly the same migrations. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
};
