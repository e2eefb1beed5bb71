// The processes under measurement: the real server (`node bin/intact.js serve`, as `npm start` runs it, with
// NODE_ENV=production: React's development build renders several times slower) and the bare Fastify server that is
// the case page's ceiling. Both are children of the runner, so their memory can be read from /proc/<pid>/status.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../test/helpers/server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Child = {
  base: string;
  pid: number;
  /** Milliseconds from spawn to the first healthy answer. */
  startMs: number;
  output(): string;
  stop(): Promise<void>;
};

/** Resident memory of a process in MB: VmRSS now, or VmHWM (the peak so far). */
export function rssMb(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** Samples VmRSS every `everyMs` until stopped; the highest sample. */
export function sampleRss(pid: number, everyMs = 100) {
  let max = 0;
  const timer = setInterval(() => { try { max = Math.max(max, rssMb(pid)); } catch { /* exited */ } }, everyMs);
  return { stop: () => { clearInterval(timer); return max; } };
}

async function startChild(args: string[], env: Record<string, string>, ready: (out: string, base: string) => Promise<boolean>): Promise<Child> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // BENCH_NODE_ARGS go to the servers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where a workload's time goes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root, stdio: ["ignore", "pipe", "pipe"],
    env: {
      // BENCH_LD_PRELOAD and BENCH_MALLOC_ARENA_MAX set the servers' allocator only, to compare allocators
      // (docs/performance.md, memory); the runner and its floors keep theirs.
      ...Object.fromEntries(Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR,
        LD_PRELOAD: process.env.BENCH_LD_PRELOAD, MALLOC_ARENA_MAX: process.env.BENCH_MALLOC_ARENA_MAX })
        .filter((e): e is [string, string] => e[1] !== undefined)),
      NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", BASE_URL: base,
      ...env,
    },
  });
  let out = "";
  // BENCH_SERVER_LOG: a file that gets everything the servers write (with BENCH_NODE_ARGS="--trace-gc", how the heap behaves).
  const log = process.env.BENCH_SERVER_LOG ? fs.createWriteStream(process.env.BENCH_SERVER_LOG, { flags: "a" }) : null;
  const keep = (d: string) => { out = (out + d).slice(-20_000); log?.write(d); };
  child.stdout!.setEncoding("utf8").on("data", keep);
  child.stderr!.setEncoding("utf8").on("data", keep);
  let alive = true;
  const exited = new Promise<void>((resolve) => child.once("exit", () => { alive = false; resolve(); }));
  const stop = async () => {
    if (alive) {
      child.kill("SIGTERM");
      const t = setTimeout(() => { if (alive) child.kill("SIGKILL"); }, 10_000);
      await exited;
      clearTimeout(t);
    }
    log?.end();
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive) throw new Error(`${args.join(" ")} exited before it was ready:\n${out}`);
    if (Date.now() > deadline) { await stop(); throw new Error(`${args.join(" ")} was not ready within 60 s:\n${out}`); }
    if (await ready(out, base)) break;
    await sleep(10);
  }
  return { base, pid: child.pid!, startMs: Math.round(performance.now() - started), output: () => out, stop };
}

const healthy = (base: string) => fetch(`${base}/healthz`).then((r) => r.ok, () => false);

/** The Intact server on the bench database. The limits that would stop one client from sending thousands of reports
 *  an hour are raised, and the client's address comes from X-Forwarded-For (TRUST_PROXY), so each connection of the
 *  load generator is a reporter of its own; everything else is the production default. */
export function startIntact(dbEnv: Record<string, string>, extra: Record<string, string> = {}): Promise<Child> {
  return startChild([path.join(root, "bin", "intact.js"), "serve"], {
    LOG_LEVEL: "warn", TRUST_PROXY: "true", INTAKE_MAX_PER_HOUR: "1000000", RECEIPT_MAX_FAILURES: "1000000",
    ATTACHMENT_MAX_FILES: "1000", ATTACHMENT_MAX_REPORT_MB: "10240", ATTACHMENT_MAX_PENDING_MB: "1048576",
    ...dbEnv, ...extra,
  }, async (out, base) => out.includes("Intact runs at") && healthy(base));
}

/** The ceiling of a page: a bare Fastify route answering `bytes` bytes of HTML (bench/lib/bare-server.ts). */
export function startBare(bytes: number): Promise<Child> {
  return startChild(["--import", "tsx", path.join(root, "bench", "lib", "bare-server.ts")], { BARE_BYTES: String(bytes) },
    async (out, base) => out.includes("bare server ready") && healthy(base));
}
