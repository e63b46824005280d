// `npm run mutate`: a mutation check of the domain, the services and the verifier with named mutants.
// Each mutant breaks one rule minimally (file, search → replace); the tests named after that rule
// must then fail. The mutants are applied to a private copy of the working tree (tracked and
// untracked files, node_modules linked), one at a time, each restored in a finally block and
// checked byte for byte against the original before the next: the working tree is never touched,
// so other work in progress in it is safe.
//
//   npm run mutate                     every mutant (a baseline run of the tests first)
//   npm run mutate -- ID ID…           only those
//   npm run mutate -- --list           the list, with what each breaks
//   npm run mutate -- --no-baseline    skip the unmutated run
//   npm run mutate -- --check          only check that every search text is found once
//
// Mutants marked `pg` break a property only PostgreSQL shows (PGlite serialises every query): they
// run with DATABASE_URL (or MUTATE_DATABASE_URL) and are reported « SAUTÉ » loudly without one.
// A mutant whose search text is no longer found exactly once is « PÉRIMÉ » (the code moved): fix its
// entry. Mutants with `equivalent` are listed with the reason and not run.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @typedef {{ id: string, what: string, file: string, search: string, replace: string,
 *   tests: string[], grep?: string, pg?: boolean, equivalent?: string }} Mutant
 * `tests`: the Vitest files to run; `grep`: a test-name pattern (vitest -t) to run only the tests
 * that own the property (the others in those files are skipped, not run).
 */
/** @type {Mutant[]} */
export const MUTANTS = [
  // ------------------------------------------------------------------ domain
  {
    id: "workflow-sign-from-draft",
    what: "signing a step is allowed from any status",
    file: "app/domain/workflow.ts",
    search: `if (from !== "en_signature") return refuse("Ce document n'est pas en cours de signature.");\n      return { ok: true, to: event.derniereEtape`,
    replace: `return { ok: true, to: event.derniereEtape`,
    tests: ["app/domain/workflow.test.ts"],
  },
  {
    id: "workflow-decline-without-reason",
    what: "a decline without a reason is allowed by the state machine",
    file: "app/domain/workflow.ts",
    search: `if (!event.motif.trim()) return refuse`,
    replace: `if (false) return refuse`,
    tests: ["app/domain/workflow.test.ts"],
  },
  {
    id: "circuit-rule-tous-as-un",
    what: "a « tous » step completes when one member has signed",
    file: "app/domain/circuit.ts",
    search: `return rule === "un" ? statuses.some(done)`,
    replace: `return rule !== "nobody" ? statuses.some(done)`,
    tests: ["app/domain/circuit.test.ts"],
  },
  {
    id: "form-entries-proto-segment",
    what: "__proto__ / prototype / constructor are accepted as form-name segments",
    file: "app/domain/form-entries.ts",
    search: `if (FORBIDDEN.has(key)) throw new FormShapeError(name, "segment interdit");`,
    replace: `if (FORBIDDEN.has(key) && key === "none") throw new FormShapeError(name, "segment interdit");`,
    tests: ["app/domain/form-entries.test.ts"],
  },
  // ------------------------------------------------------------------ rendering
  {
    id: "footnote-on-previous-page",
    what: "a footnote is set at the foot of the page before its marker's",
    file: "app/pdf/rendering/render.ts",
    search: `page.notes.push(n);`,
    replace: `(pages[page.index - 1] ?? page).notes.push(n);`,
    tests: ["app/pdf/rendering/render.test.ts"],
    grep: "100 pages",
  },
  // ------------------------------------------------------------------ access
  {
    id: "access-organisation-scope",
    what: "a convention is visible to any organisation (the party join ignores the person's organisation)",
    file: "app/models/conventions.server.ts",
    search: `.where("conventions.id", "=", conventionId)\n    .where("mine.organisation_id", "=", organisationId)\n    .executeTakeFirst();`,
    replace: `.where("conventions.id", "=", conventionId)\n    .executeTakeFirst();`,
    tests: ["app/services/convention-access.server.test.ts"],
  },
  {
    id: "access-role-check",
    what: "the role check of requireConventionAccess (edit: rédacteur, transmit: rédacteur or admin) is gone",
    file: "app/services/convention-access.server.ts",
    search: `if (roles && !roles.some((r) => user.roles.includes(r))) {`,
    replace: `if (roles && false) {`,
    tests: ["app/services/convention-access.server.test.ts"],
  },
  // ------------------------------------------------------------------ circuit services
  {
    id: "lock-convention-row",
    what: "the convention row is read without FOR UPDATE: a stop and a signature at once both pass",
    file: "app/services/circuit-shared.server.ts",
    search: `.where("id", "=", conventionId).forUpdate().executeTakeFirst();`,
    replace: `.where("id", "=", conventionId).executeTakeFirst();`,
    tests: ["app/services/circuit.server.test.ts", "app/services/sign-step.server.test.ts"],
    grep: "concurrent|stop asked during a signature|row lock",
    pg: true,
  },
  {
    id: "sign-frozen-hash",
    what: "signing no longer compares the frozen document's hash with the one recorded at launch",
    file: "app/services/sign-step.server.ts",
    search: `frozen.sha256 !== convention.frozen_sha256 || `,
    replace: ``,
    tests: ["app/services/circuit.server.test.ts"],
    grep: "frozen hash",
  },
  {
    id: "sign-code-attempts",
    what: "a signing code is no longer blocked after five wrong tries",
    file: "app/services/sign-step.server.ts",
    search: `if (row.attempts >= CODE_MAX_ATTEMPTS) return`,
    replace: `if (row.attempts >= CODE_MAX_ATTEMPTS * 100) return`,
    tests: ["app/services/circuit.server.test.ts"],
    grep: "wrong codes",
  },
  {
    id: "decline-needs-reason",
    what: "the decline use case accepts an empty reason",
    file: "app/services/decline-step.server.ts",
    search: `if (!motif) throw new CircuitError("Indiquez le motif du refus`,
    replace: `if (motif === "\\u0000") throw new CircuitError("Indiquez le motif du refus`,
    // The state machine's guard still refuses (nothing written), but with its own words: the test
    // asks for the use case's message, the one the signing page shows beside the field.
    tests: ["app/services/decline-step.server.test.ts"],
  },
  {
    id: "completion-failure-swallowed",
    what: "a completion that fails no longer fails the last signature (its error is swallowed)",
    file: "app/services/sign-step.server.ts",
    search: `await finishCircuit(trx, deps, { ...convention }, signed.pdf, made.completion);`,
    replace: `await finishCircuit(trx, deps, { ...convention }, signed.pdf, made.completion).catch(() => undefined);`,
    tests: ["app/services/transmission.server.test.ts"],
    grep: "rolls back",
  },
  {
    id: "delegation-separation-of-duties",
    what: "the author of a convention may sign it by delegation",
    file: "app/services/circuit-shared.server.ts",
    search: `if (await hasDrafted(trx, conventionId, actorId)) {`,
    replace: `if ((await hasDrafted(trx, conventionId, actorId)) && false) {`,
    tests: ["app/services/delegation-rules.server.test.ts"],
  },
  {
    id: "transmission-third-party-certificate",
    what: "recipients outside the parties get the certificate with the IP addresses",
    file: "app/services/transmit-act.server.ts",
    search: `bytes: recipient.kind === "partie" ? files.certificate : files.certificateForThirdParties`,
    replace: `bytes: files.certificate`,
    tests: ["app/services/transmission.server.test.ts"],
    grep: "sends once",
  },
  {
    id: "dispatcher-claim-unlocked",
    what: "the dispatcher claims messages without a row lock: two dispatchers send one message twice",
    file: "app/email/dispatcher.server.ts",
    search: `.forUpdate()\n      .skipLocked()`,
    replace: ``,
    tests: ["app/email/dispatcher.server.test.ts"],
    grep: "several dispatchers|another dispatcher is claiming",
    pg: true,
  },
  {
    id: "dispatcher-skip-locked",
    what: "the dispatcher's claim waits for locked rows instead of skipping them",
    file: "app/email/dispatcher.server.ts",
    search: `.forUpdate()\n      .skipLocked()`,
    replace: `.forUpdate()`,
    equivalent:
      "no message is sent twice either way: a dispatcher that waited gets the row after the other's claim committed, PostgreSQL re-checks the WHERE on the new row version (locked_until is now in the future) and drops it. Only throughput differs (dispatchers queue behind each other), which no correctness test can see.",
  },
  // ------------------------------------------------------------------ audit chain
  {
    id: "audit-edited-payload",
    what: "an event whose content no longer matches its hash is not reported",
    file: "app/models/audit.server.ts",
    search: `if (eventHash(e) !== e.hash) problems.push(`,
    replace: `if (false) problems.push(`,
    tests: ["app/models/audit.server.test.ts"],
  },
  {
    id: "audit-removed-event",
    what: "a gap in the chain (removed event) is not reported",
    file: "app/models/audit.server.ts",
    search: `else if (at === undefined) problems.push(`,
    replace: `else if (at === undefined) void (`,
    tests: ["app/models/audit.server.test.ts"],
  },
  {
    id: "audit-reordered-event",
    what: "an event placed out of order is not reported",
    file: "app/models/audit.server.ts",
    search: `else problems.push(\`ordre modifié`,
    replace: `else void (\`ordre modifié`,
    tests: ["app/models/audit.server.test.ts"],
  },
  {
    id: "audit-anchor-head",
    what: "an anchored event whose hash changed (head rewritten) is not reported against its anchor",
    file: "app/models/audit.server.ts",
    search: `if (events[at].hash !== a.head_hash) problems.push(`,
    replace: `if (false) problems.push(`,
    tests: ["app/models/audit.server.test.ts"],
  },
  // ------------------------------------------------------------------ verifier
  // The ByteRange and revision rules are killed by fixtures signed by a signer who chose the bad
  // layout itself (app/pdf/verification/verify-attacks.test.ts, « each alone »): every other check passes.
  // The two gap rules that compare the signed revision with the final one are equivalent (below).
  {
    id: "verify-byterange-start",
    what: "a ByteRange need not start at 0",
    file: "app/pdf/verification/verify.ts",
    search: `!!br && br[0] === 0 && br[1] > 0`,
    replace: `!!br && br[1] > 0`,
    tests: ["app/pdf/signing/sign.test.ts", "app/pdf/verification/verify-attacks.test.ts"],
  },
  {
    id: "verify-gap-is-own-contents",
    what: "the gap need not be this signature's /Contents (another /Contents in the signed revision passes)",
    file: "app/pdf/verification/verify.ts",
    search: `if (!raw.contents || !raw.contents.equals(Buffer.from(gap.slice(1, -1), "hex"))) return "/Contents différent dans la révision finale";`,
    replace: ``,
    tests: ["app/pdf/signing/sign.test.ts", "app/pdf/verification/verify-attacks.test.ts"],
    equivalent:
      "with the signature in the last revision, the final /Contents is the very text whose span gapError has just matched to the gap (same revision, same object; repeated keys are refused), so the comparison always holds; with a later revision, that revision must redefine the signature dictionary reached by the field's /V, which the revision diff compares once the field is filled (SigFieldModificationRule ignores /V only on a field empty at signing), so « changes » refuses it first. No file makes this check the only one to fail; it stays as defence in depth.",
  },
  {
    id: "verify-gap-own-byterange",
    what: "the signed revision's own /ByteRange need not be the one that was checked",
    file: "app/pdf/verification/verify.ts",
    search: `if (!own || own.length !== 4 || own.some((n, i) => n !== br[i])) return "/ByteRange différent dans la révision signée";`,
    replace: ``,
    tests: ["app/pdf/signing/sign.test.ts", "app/pdf/verification/verify-attacks.test.ts"],
    equivalent:
      "same reasoning as verify-gap-is-own-contents: the final /ByteRange and the signed revision's differ only if a later revision redefines the signature dictionary or its (indirect) /ByteRange array, and the revision diff compares both through the filled field's /V (arrays element by element, indirect elements resolved), so « changes » refuses it first. It stays as defence in depth.",
  },
  {
    id: "verify-byterange-ends-at-revision",
    what: "a ByteRange need not end at the end of a revision",
    file: "app/pdf/verification/verify.ts",
    search: `ends.has(r.revisionEnd) && !revisionProblem`,
    replace: `!revisionProblem`,
    tests: ["app/pdf/signing/sign.test.ts", "app/pdf/verification/verify-attacks.test.ts"],
  },
  {
    id: "verify-increment-errors",
    what: "an increment that cannot be read is not an error for the signatures before it",
    file: "app/pdf/verification/verify.ts",
    search: "errors = [`révision illisible: ${e.message}`];",
    replace: "errors = [];",
    tests: ["app/pdf/verification/verify-attacks.test.ts", "app/pdf/verification/pdf-resolve.test.ts"],
  },
  {
    id: "verify-changes-after-signature",
    what: "changes after a signature never fail it",
    file: "app/pdf/verification/verify.ts",
    search: `check(r.checks, "changes", errs.length === 0,`,
    replace: `check(r.checks, "changes", true,`,
    tests: ["app/pdf/signing/sign.test.ts", "app/pdf/verification/verify-attacks.test.ts"],
  },
  {
    id: "verify-rewritten-stream",
    what: "a content stream rewritten in a later revision is not a change",
    file: "app/pdf/verification/revision-diff.ts",
    search: `if (!da.equals(db)) this.fail(path, "contenu du flux modifié");`,
    replace: ``,
    tests: ["app/pdf/signing/sign.test.ts", "app/pdf/verification/verify-attacks.test.ts"],
  },
  {
    id: "verify-digest",
    what: "the messageDigest comparison no longer fails a signature",
    file: "app/pdf/verification/verify.ts",
    search: `check(checks, "digest", sc.digestOk,`,
    replace: `check(checks, "digest", true,`,
    tests: ["app/pdf/signing/sign.test.ts"],
  },
  {
    id: "verify-coverage",
    what: "bytes after the last signature are accepted whatever they change",
    file: "app/pdf/verification/verify.ts",
    search: `(lastSigEnd > 0 && trailingErrors.length === 0 && /%%EOF\\s*$/.test(s.slice(lastSigEnd)))`,
    replace: `(lastSigEnd > 0)`,
    tests: ["app/pdf/signing/sign.test.ts", "app/pdf/verification/verify-attacks.test.ts"],
  },
  {
    id: "verify-timestamp-future",
    what: "a timestamp token whose genTime is in the future is accepted",
    file: "app/pdf/pki/trust.ts",
    search: `const future = genTime.getTime() > now.getTime() + CLOCK_TOLERANCE_MS;`,
    replace: `const future = false;`,
    tests: ["app/pdf/verification/verify-timestamps.test.ts"],
  },
  {
    id: "verify-malformed-crl",
    what: "an unreadable CRL of the DSS is skipped silently",
    file: "app/pdf/pki/trust.ts",
    search: "out.errors.push(`CRL n° ${i + 1} du DSS : ${message(e)}`);",
    replace: "void e;",
    tests: ["app/pdf/verification/verify-timestamps.test.ts"],
  },
  {
    id: "verify-crl-dss-issuer",
    what: "B-LT accepts a CRL in the DSS that its issuer did not sign",
    file: "app/pdf/pki/trust.ts",
    search: `equalBytes(crl.issuer, certIssuerDer(leaf)) && crlSignedBy(crl, issuer)`,
    replace: `equalBytes(crl.issuer, certIssuerDer(leaf))`,
    tests: ["app/pdf/verification/verify-timestamps.test.ts"],
  },
  {
    id: "tsa-next-url",
    what: "the TSA client tries only the last configured URL",
    file: "app/pdf/pki/timestamp.ts",
    search: `for (const url of this.urls) {`,
    replace: `for (const url of this.urls.slice(-1)) {`,
    tests: ["app/pdf/signing/sign.test.ts"],
    grep: "timestamp authority",
  },
];

// ------------------------------------------------------------------ runner

const args = process.argv.slice(2);
if (args.includes("--list")) {
  for (const m of MUTANTS) console.log(`${m.id.padEnd(40)} ${m.file}\n${" ".repeat(41)}${m.what}${m.equivalent ? `\n${" ".repeat(41)}ÉQUIVALENT : ${m.equivalent}` : ""}`);
  process.exit(0);
}
const wanted = args.filter((a) => !a.startsWith("--"));
const unknown = wanted.filter((id) => !MUTANTS.some((m) => m.id === id));
if (unknown.length) {
  console.error(`Mutants inconnus : ${unknown.join(", ")} (npm run mutate -- --list)`);
  process.exit(2);
}
const selected = wanted.length ? MUTANTS.filter((m) => wanted.includes(m.id)) : MUTANTS;
if (args.includes("--check")) {
  // Each search text found exactly once in the working tree: no test run.
  let stale = 0;
  for (const m of selected) {
    const found = readFileSync(path.join(ROOT, m.file), "utf8").split(m.search).length - 1;
    if (found !== 1) stale++;
    console.log(`${found === 1 ? "ok     " : "PÉRIMÉ "} ${m.id} (${m.file}${found === 1 ? "" : `, trouvé ${found} fois`})`);
  }
  process.exit(stale ? 1 : 0);
}
const pgUrl = process.env.MUTATE_DATABASE_URL || process.env.DATABASE_URL || "";

const sha = (b) => createHash("sha256").update(b).digest("hex");

/** A copy of the working tree as it is now (tracked + untracked, not ignored), node_modules linked. */
function snapshot() {
  const dir = mkdtempSync(path.join(tmpdir(), "paraphe-mutate-"));
  const ls = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (ls.status !== 0) throw new Error(`git ls-files a échoué : ${ls.stderr}`);
  for (const rel of new Set(ls.stdout.split("\0").filter(Boolean))) {
    const from = path.join(ROOT, rel);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(from, path.join(dir, rel));
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function vitest(dir, tests, grep, pg) {
  const argv = ["vitest", "run", ...tests, "--bail", "1", "--reporter", "dot", ...(grep ? ["-t", grep] : [])];
  const started = Date.now();
  const r = spawnSync("npx", argv, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: pg ? pgUrl : "", DATABASE_MIGRATION_URL: pg ? process.env.DATABASE_MIGRATION_URL ?? "" : "" },
    timeout: 15 * 60_000,
    maxBuffer: 1 << 26,
  });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  const counts = /Tests\s+(.*)$/m.exec(out.replace(/\x1b\[[0-9;]*m/g, ""))?.[1]?.trim() ?? "";
  const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
  // What failed, for the table: the first failing test (« FAIL file > describe > name ») and its error line.
  const failed = /^\s*FAIL\s+(.+)$/m.exec(plain)?.[1]?.trim() ?? "";
  const error = /^(?:\w*Error|AssertionError)[^\n]*$/m.exec(plain)?.[0]?.slice(0, 160) ?? "";
  return { status: r.status, seconds: Math.round((Date.now() - started) / 1000), out, counts, failed: [failed, error].filter(Boolean).join(" — ") };
}

const dir = snapshot();
// Interrupted: the copy goes too (the working tree was never written).
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}
console.log(`Copie de travail : ${dir}${pgUrl ? "" : "\n!!! Ni DATABASE_URL ni MUTATE_DATABASE_URL : les mutants PostgreSQL seront SAUTÉS !!!"}`);
const results = [];
try {
  const runnable = selected.filter((m) => !m.equivalent && (!m.pg || pgUrl));
  if (!args.includes("--no-baseline") && runnable.length) {
    // The unmutated tree must pass the very runs the mutants use, else a « killed » means nothing.
    const runs = new Map();
    for (const m of runnable) runs.set(JSON.stringify([m.tests, m.grep ?? "", !!m.pg]), m);
    for (const m of runs.values()) {
      const base = vitest(dir, m.tests, m.grep, m.pg);
      console.log(`Référence ${m.tests.join(" ")}${m.grep ? ` -t "${m.grep}"` : ""}${m.pg ? " (PostgreSQL)" : ""} : ${base.status === 0 ? "OK" : "ÉCHEC"} ${base.counts} (${base.seconds} s)`);
      if (base.status !== 0 || !base.counts) {
        console.error(base.out.slice(-4000));
        throw new Error("les tests échouent sans mutant : corrigez-les d'abord");
      }
    }
  }
  for (const m of selected) {
    if (m.equivalent) {
      results.push({ m, result: "ÉQUIVALENT", seconds: 0, note: "" });
      continue;
    }
    if (m.pg && !pgUrl) {
      results.push({ m, result: "SAUTÉ", seconds: 0, note: "PostgreSQL requis (DATABASE_URL)" });
      console.log(`!!! ${m.id} : SAUTÉ, PostgreSQL requis (DATABASE_URL ou MUTATE_DATABASE_URL) !!!`);
      continue;
    }
    const file = path.join(dir, m.file);
    const original = readFileSync(file);
    const text = original.toString("utf8");
    const found = text.split(m.search).length - 1;
    if (found !== 1) {
      results.push({ m, result: "PÉRIMÉ", seconds: 0, note: `texte trouvé ${found} fois` });
      console.log(`${m.id} : PÉRIMÉ (texte cherché trouvé ${found} fois dans ${m.file})`);
      continue;
    }
    let run;
    try {
      writeFileSync(file, text.replace(m.search, () => m.replace));
      run = vitest(dir, m.tests, m.grep, m.pg);
    } finally {
      writeFileSync(file, original);
      if (sha(readFileSync(file)) !== sha(original)) throw new Error(`${m.file} n'a pas été restauré`);
    }
    // A timeout (hook or test) under load, or a run where no test failed, is no kill either.
    const timedOut = /(Hook|Test) timed out in \d+ms/.test(run.out);
    if (!run.counts || timedOut || (run.status !== 0 && !/\bfailed\b/.test(run.counts))) {
      if (run.counts) {
        results.push({ m, result: "ERREUR", seconds: run.seconds, note: timedOut ? `délai dépassé — ${run.failed}` : run.counts });
        console.log(`${m.id} : ERREUR (${timedOut ? "délai dépassé" : "aucun test en échec"}, ${run.seconds} s) ${run.counts}`);
        continue;
      }
      // No Vitest summary: the run itself broke (npx, a missing package, a syntax error in the
      // mutant). Not a kill: say so and show the end of the output.
      results.push({ m, result: "ERREUR", seconds: run.seconds, note: run.out.replace(/\x1b\[[0-9;]*m/g, "").trim().split("\n").slice(-1)[0]?.slice(0, 160) ?? "" });
      console.log(`${m.id} : ERREUR (pas de bilan Vitest)\n${run.out.slice(-1500)}`);
      continue;
    }
    const killed = run.status !== 0;
    results.push({ m, result: killed ? "TUÉ" : "SURVIVANT", seconds: run.seconds, note: killed ? run.failed || run.counts : run.counts });
    console.log(`${m.id} : ${killed ? "TUÉ" : "SURVIVANT"} (${run.seconds} s) ${run.counts}${killed ? `\n    ${run.failed}` : ""}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log("\n=== Mutants ===");
for (const r of results) console.log(`${r.result.padEnd(10)} ${r.m.id.padEnd(40)} ${r.m.file}${r.note ? `  [${r.note}]` : ""}${r.result === "ÉQUIVALENT" ? `\n${" ".repeat(11)}${r.m.equivalent}` : ""}`);
const n = (k) => results.filter((r) => r.result === k).length;
const judged = n("TUÉ") + n("SURVIVANT");
console.log(
  `\nScore : ${n("TUÉ")}/${judged} tués (${judged ? Math.round((100 * n("TUÉ")) / judged) : 0} %), ${n("SURVIVANT")} survivant(s), ${n("ÉQUIVALENT")} équivalent(s), ${n("SAUTÉ")} sauté(s), ${n("PÉRIMÉ")} périmé(s)`,
);
if (n("ERREUR")) console.log(`${n("ERREUR")} mutant(s) en ERREUR : leur exécution n'a pas abouti, ils ne comptent pas.`);
process.exit(n("SURVIVANT") || n("PÉRIMÉ") || n("SAUTÉ") || n("ERREUR") ? 1 : 0);
