// The benchmark runner (issue 5): generates the data set, starts the real server as a child process (NODE_ENV=production)
// and runs each workload against it over loopback HTTP with autocannon — and, in the same run, against its floor (the
// work that cannot be avoided, done directly) or ceiling (a bare server) — then writes
// bench/results/<date>-<db>-<scale>.json and .md and prints the table. Absolute times depend on the machine; read the ratios.
//
// Usage: npm run bench -- [--db sqlite|postgres] [--scale small|national] [--only <workload>[,<workload>]] [--seed <n>]
//        [--duration <seconds per run, default 10>] [--warmup <seconds, default 2>] [--out <directory>]
// Workloads: intake, inbox, case-page, advisor-report, receipt (start-up and memory are measured in every run).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_BENCH_SEED, generateBenchData, type Scale } from "../src/bench-data/generate.ts";
import { prng } from "../test/crash/harness.ts";
import { analyze, createBenchDatabase, type DbKind } from "./lib/database.ts";
import type { BenchEnv } from "./lib/env.ts";
import { machine } from "./lib/machine.ts";
import { markdown, type BenchResult, type WorkloadResult } from "./lib/result.ts";
import { rssMb, sampleRss, startIntact } from "./lib/server.ts";
import { signIn } from "./lib/session.ts";
import { sqlFloor } from "./lib/sql-floor.ts";
import { advisorReport } from "./workloads/advisor-report.ts";
import { casePage } from "./workloads/case-page.ts";
import { inbox } from "./workloads/inbox.ts";
import { intake } from "./workloads/intake.ts";
import { receipt } from "./workloads/receipt.ts";

const WORKLOADS = ["intake", "inbox", "case-page", "advisor-report", "receipt"] as const;
type Workload = (typeof WORKLOADS)[number];
const RSS_TARGET_MB = 200;

const { values: args } = parseArgs({ options: {
  db: { type: "string", default: "sqlite" }, scale: { type: "string", default: "small" }, only: { type: "string" },
  seed: { type: "string", default: String(DEFAULT_BENCH_SEED) }, duration: { type: "string", default: "10" }, warmup: { type: "string", default: "2" },
  out: { type: "string", default: path.join(path.dirname(fileURLToPath(import.meta.url)), "results") },
} });
const kind = args.db as DbKind;
if (kind !== "sqlite" && kind !== "postgres") throw new Error(`--db must be sqlite or postgres, not ${args.db}`);
const scale = args.scale as Scale;
if (scale !== "small" && scale !== "national") throw new Error(`--scale must be small or national, not ${args.scale}`);
const only = args.only ? args.only.split(",").map((s) => s.trim()) : [...WORKLOADS];
for (const w of only) if (!(WORKLOADS as readonly string[]).includes(w)) throw new Error(`Unknown workload ${w} (${WORKLOADS.join(", ")})`);
const seed = Number(args.seed), seconds = Number(args.duration), warmupSeconds = Number(args.warmup);
if (!Number.isSafeInteger(seed) || !(seconds > 0) || !(warmupSeconds >= 0)) throw new Error("--seed must be an integer, --duration > 0 and --warmup ≥ 0");

const say = (m: string) => console.error(`[bench] ${m}`);
const loadAtStart = Math.round(os.loadavg()[0]! * 10) / 10;
const db = await createBenchDatabase(kind);
let server: Awaited<ReturnType<typeof startIntact>> | null = null;
const floor = sqlFloor(db);
try {
  say(`generating the ${scale} data set on ${db.version} (seed ${seed})`);
  const fixture = await generateBenchData(db.ctx, { scale, seed, log: (m) => say(`  ${m}`) });
  await analyze(db);

  // ---- 6. start-up and memory at rest
  server = await startIntact(db.env);
  await new Promise((r) => setTimeout(r, 1000));
  const idleMb = rssMb(server.pid);
  say(`server ready in ${server.startMs} ms, ${idleMb} MB resident`);

  const env: BenchEnv = {
    db, fixture, server, seconds, warmupSeconds, random: prng(seed).next, floor,
    coordinator: await signIn(server.base, fixture.coordinator.email, fixture.coordinator.password),
    advisor: await signIn(server.base, fixture.advisor.email, fixture.advisor.password),
  };
  const results: WorkloadResult[] = [];
  let underLoadMb: number | null = null;
  const runs: Record<Workload, () => Promise<void>> = {
    intake: async () => {
      const rss = sampleRss(server!.pid);
      try { results.push(await intake(env)); } finally { underLoadMb = rss.stop(); }
    },
    inbox: async () => { results.push(...await inbox(env)); },
    "case-page": async () => { results.push(await casePage(env)); },
    "advisor-report": async () => { results.push(await advisorReport(env)); },
    receipt: async () => { results.push(await receipt(env)); },
  };
  for (const w of WORKLOADS) {
    if (!only.includes(w)) continue;
    say(`workload ${w}`);
    await runs[w]();
  }
  await new Promise((r) => setTimeout(r, 1000));
  const afterMb = rssMb(server.pid), peakMb = rssMb(server.pid, "VmHWM");
  results.push({
    id: "footprint", title: "6. Start-up and memory", metric: { name: "RSS idle", unit: "MB" },
    intact: { value: idleMb, detail: { startMs: server.startMs, idleMb, underIntakeMb: underLoadMb, afterWorkloadsMb: afterMb, peakMb } },
    baseline: { kind: "ceiling", what: "the target", value: RSS_TARGET_MB },
    ratio: idleMb / RSS_TARGET_MB,
    targets: [{ text: `RSS < ${RSS_TARGET_MB} MB idle`, met: idleMb < RSS_TARGET_MB }],
    notes: [`start-up ${server.startMs} ms (spawn to a healthy /healthz); RSS ${idleMb} MB idle at start, ${underLoadMb ?? "–"} MB at most under workload 1, ${afterMb} MB idle after the workloads, peak ${peakMb} MB`],
  });

  const date = new Date().toISOString().slice(0, 10);
  const result: BenchResult = {
    date, db: kind, scale, seed, secondsPerRun: seconds, machine: machine(db.version, loadAtStart),
    data: { counts: fixture.counts, generateMs: fixture.ms }, workloads: results,
  };
  fs.mkdirSync(args.out!, { recursive: true });
  const base = path.join(args.out!, `${date}-${kind}-${scale}`);
  const table = markdown(result);
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + "\n");
  fs.writeFileSync(`${base}.md`, table);
  console.log(table);
  say(`written ${base}.json and .md`);
} finally {
  await floor.close().catch(() => {});
  await server?.stop();
  await db.drop();
}
