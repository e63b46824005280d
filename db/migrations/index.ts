import type { Migration } from "kysely/migration";
import * as m0001 from "./0001_foundation";
import * as m0002documents from "./0002_documents";
import * as m0003circuit from "./0003_circuit";
import * as m0004transmission from "./0004_transmission";
import * as m0005proconnectLogout from "./0005_proconnect_logout";
import * as m0006auditHardening from "./0006_audit_hardening";
import * as m0007securityState from "./0007_security_state";

/** Static registry: the bundled server and the CLI run exactly the same migrations. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_documents": m0002documents,
  "0003_circuit": m0003circuit,
  "0004_transmission": m0004transmission,
  "0005_proconnect_logout": m0005proconnectLogout,
  "0006_audit_hardening": m0006auditHardening,
  "0007_security_state": m0007securityState,
};
