// The benchmark runner end to end at the small scale with one-second runs: it generates the data, starts the real
// server, runs every workload and its floor or ceiling, and writes a result with a figure, a baseline and a ratio for
// each. Nothing here looks at how fast anything was (that depends on the machine); only that every figure was measured.
// SQLite only: PostgreSQL doubles the time, and the runner's PostgreSQL path is the same code with another driver
// (run `npm run bench -- --db postgres --scale small` for it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchResult } from "../../bench/lib/result.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const EXPECTED = ["intake", "inbox-filtered", "inbox-page50", "case-page", "advisor-report", "receipt", "footprint"];

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench", "run.ts"), ...args], {
    cwd: root, env: { ...process.env, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "", stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
  child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
  const timer = setTimeout(() => child.kill("SIGKILL"), 280_000);
  return new Promise((resolve) => child.once("exit", (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); }));
}

const positive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;

test("npm run bench at the small scale: every workload measured against its floor or ceiling, JSON and Markdown written", { timeout: 300_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "intact-bench-test-"));
  try {
    const r = await runBench(["--db", "sqlite", "--scale", "small", "--duration", "1", "--warmup", "0", "--seed", "7", "--out", out]);
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    const files = fs.readdirSync(out).sort();
    const json = files.find((f) => /^\d{4}-\d{2}-\d{2}-sqlite-small\.json$/.test(f));
    assert.ok(json, `no result file among ${files.join(", ")}`);
    assert.ok(files.includes(json.replace(/\.json$/, ".md")));
    const result = JSON.parse(fs.readFileSync(path.join(out, json), "utf8")) as BenchResult;

    assert.equal(result.db, "sqlite");
    assert.equal(result.scale, "small");
    assert.equal(result.seed, 7);
    assert.ok(result.machine.cores >= 1 && result.machine.cpu && result.machine.node === process.version);
    assert.match(result.machine.database, /^SQLite \d/);
    assert.ok(result.data.counts.reports > 0 && result.data.generateMs > 0);

    assert.deepEqual(result.workloads.map((w) => w.id).sort(), [...EXPECTED].sort());
    for (const w of result.workloads) {
      assert.ok(positive(w.intact.value), `${w.id}: Intact's figure ${w.intact.value}`);
      assert.ok(positive(w.baseline.value), `${w.id}: the ${w.baseline.kind}'s figure ${w.baseline.value}`);
      assert.ok(positive(w.ratio), `${w.id}: ratio ${w.ratio}`);
      assert.ok(w.targets.length > 0 && w.targets.every((t) => typeof t.met === "boolean" && t.text), `${w.id}: targets`);
      if (w.intact.measure) assert.equal(w.intact.measure.errors, 0, `${w.id}: errors in the server run`);
    }
    const intake = result.workloads.find((w) => w.id === "intake")!;
    assert.ok(intake.intact.measure!.ops > 0, "no intake was sent");
    assert.ok(intake.baseline.measure!.ops > 0, "the floor sent nothing");
    const footprint = result.workloads.find((w) => w.id === "footprint")!.intact.detail as Record<string, number>;
    assert.ok(positive(footprint.startMs) && positive(footprint.underIntakeMb) && positive(footprint.peakMb));

    // The table printed and saved: a line per workload, with the machine.
    for (const w of result.workloads) assert.ok(r.stdout.includes(`| ${w.title} |`), `${w.id} missing from the printed table`);
    assert.match(fs.readFileSync(path.join(out, json.replace(/\.json$/, ".md")), "utf8"), /Machine: \d+ cores/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
