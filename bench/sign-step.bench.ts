// The signature use case end to end, without HTTP (issue 14): `npx tsx bench/sign-step.bench.ts`.
// On PostgreSQL (DATABASE_URL, a private schema created and dropped) or PGlite otherwise: intermediate
// signatures one at a time, then 10 at once on distinct acts (PostgreSQL only: PGlite runs one query at
// a time), with the built-in TSA and behind a TSA delayed by TSA_DELAY_MS (default 200 ms, an external
// TSA's latency). Prints per-signature wall time, and the row lock held when signStep reports it.
import { createTestDatabase } from "../app/test-support/db";
import { testConfig } from "../app/test-support/config";
import { CAMILLE, CANTON, circuitWorld } from "../app/test-support/circuit";
import { launchCircuit } from "../app/services/launch-circuit.server";
import { sendSigningCode } from "../app/services/send-signing-code.server";
import { signStep } from "../app/services/sign-step.server";
import type { TimestampAuthority } from "../app/pdf/pki/timestamp";

const N = Number(process.env.SIGN_STEP_N ?? 12);
const DELAY = Number(process.env.TSA_DELAY_MS ?? 200);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main() {
  const { db, engine, close } = await createTestDatabase();
  const info = console.info;
  console.info = () => {}; // signStep's per-signature log line
  try {
    const world = await circuitWorld(db, testConfig());
    const ready = async (count: number) => {
      const out: { id: string; code: string }[] = [];
      for (let i = 0; i < count; i++) {
        const id = await world.freshDraft();
        await launchCircuit(db, world.deps, world.actor(CAMILLE), id);
        await sendSigningCode(db, world.deps, world.actor(CANTON), id);
        out.push({ id, code: await world.lastCode(CANTON) });
      }
      return out;
    };
    const slow: TimestampAuthority = { timestamp: async (imprint) => (await new Promise((r) => setTimeout(r, DELAY)), world.deps.pki.tsa.timestamp(imprint)) };
    const rows: string[] = [];
    for (const [label, deps] of [["TSA intégré", world.deps], [`TSA à ${DELAY} ms`, { ...world.deps, pki: { ...world.deps.pki, tsa: slow } }]] as const) {
      // One at a time (first two as warm-up).
      const acts = await ready(N + 2);
      const times: number[] = [];
      const locks: number[] = [];
      for (const [i, a] of acts.entries()) {
        const t = performance.now();
        const r = (await signStep(db, deps, world.actor(CANTON), a.id, a.code)) as { timings?: { lockMs: number } };
        if (i < 2) continue;
        times.push(performance.now() - t);
        if (r.timings) locks.push(r.timings.lockMs);
      }
      rows.push(`${label}, une à la fois (${engine}) : p50 ${pct(times, 0.5).toFixed(0)} ms, p95 ${pct(times, 0.95).toFixed(0)} ms` + (locks.length ? ` ; verrou tenu p50 ${pct(locks, 0.5)} ms` : ""));
      if (engine !== "postgresql") continue;
      const batch = await ready(10);
      const t = performance.now();
      const results = await Promise.allSettled(batch.map((a) => signStep(db, deps, world.actor(CANTON), a.id, a.code)));
      const wall = performance.now() - t;
      const ok = results.filter((r) => r.status === "fulfilled").length;
      rows.push(`${label}, 10 à la fois sur 10 actes : ${wall.toFixed(0)} ms en tout, ${((ok / wall) * 1000).toFixed(1)} signatures/s, ${ok}/10 écrites`);
    }
    console.info = info;
    for (const r of rows) console.log(r);
  } finally {
    console.info = info;
    await close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
