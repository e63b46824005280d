import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002documents from "./0002_documents";
import * as m0003circuit from "./0003_circuit";
import * as m0004transmission from "./0004_transmission";
import * as m0005proconnectLogout from "./0005_proconnect_logout";
import * as m0006auditHardening from "./0006_audit_hardening";
import * as m0007securityState from "./0007_security_state";
import * as m0008actsLifecycle from "./0008_acts_lifecycle";
import * as m0009listIndexes from "./0009_list_indexes";
import * as m0010publication from "./0010_publication";
import * as m0011cbcmStandIn from "./0011_cbcm_stand_in";
import * as m0012spendingReport from "./0012_spending_report";
import * as m0013signedDocumentsByTime from "./0013_signed_documents_by_time";

/** Static registry: the bundled server and the CLI run exactly the same migrations. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_documents": m0002documents,
  "0003_circuit": m0003circuit,
  "0004_transmission": m0004transmission,
  "0005_proconnect_logout": m0005proconnectLogout,
  "0006_audit_hardening": m0006auditHardening,
  "0007_security_state": m0007securityState,
  "0008_acts_lifecycle": m0008actsLifecycle,
  "0009_list_indexes": m0009listIndexes,
  "0010_publication": m0010publication,
  "0011_cbcm_stand_in": m0011cbcmStandIn,
  "0012_spending_report": m0012spendingReport,
  "0013_signed_documents_by_time": m0013signedDocumentsByTime,
};
