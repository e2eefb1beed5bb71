#!/usr/bin/env node
// The one test command: finds the test files, checks for PostgreSQL, and runs node's test runner
// through tsx. Usage: npm test [-- unit|service|app|matrix|e2e|crash|fuzz|path/to/file.test.ts ...] (default: all).
// The crash tier is the short crash run here; `npm run test:crash` runs the full one (CRASH_FULL=1, test/crash/).
// The fuzz tier is the short fuzz run (FUZZ_RUNS requests per database, 2 000 by default) and the abuse cases;
// `npm run test:fuzz` runs 60 000 per database (test/fuzz/).
// The cluster tier is the short many-instances run (two servers on one PostgreSQL database; PostgreSQL only, so it
// is skipped with a note where there is none, and fails under CI=true like everything else that needs it);
// `npm run test:cluster` runs the full one (CLUSTER_FULL=1, test/cluster/).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import net from "node:net";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const wanted = process.argv.slice(2);
const tiers = ["unit", "service", "app", "matrix", "e2e", "crash", "fuzz", "cluster"];
const selected = wanted.length ? wanted : tiers;

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const pgUrl = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const pgUp = await new Promise((resolve) => {
  const u = new URL(pgUrl);
  const s = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
  s.setTimeout(2000);
  s.on("connect", () => { s.destroy(); resolve(true); });
  s.on("error", () => resolve(false));
  s.on("timeout", () => { s.destroy(); resolve(false); });
});
const env = { ...process.env, PG_TEST_URL: pgUrl, INTACT_TEST_PG: pgUp ? "1" : "0", LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" };
if (!pgUp) {
  if (process.env.CI === "true") {
    console.error(`PostgreSQL is not reachable at ${pgUrl}, and CI=true requires it. Start it or set PG_TEST_URL.`);
    process.exit(1);
  }
  console.log(`NOTE: PostgreSQL is not reachable at ${pgUrl}: the PostgreSQL variants of the tests are skipped. Set PG_TEST_URL or start a server to run them.`);
  if (selected.includes("cluster")) console.log("NOTE: the cluster tier (several instances on one database) needs PostgreSQL: it is skipped.");
}

// A tier name selects its folder; a path to a test file selects that file.
const list = selected.flatMap((arg) => (/\.test\.tsx?$/.test(arg) ? [path.resolve(arg)].filter((p) => fs.existsSync(p)) : files(path.join(root, "test", arg)))).sort();
if (!list.length) { console.error("No test files found for: " + selected.join(", ")); process.exit(1); }
const res = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...list],
  { stdio: "inherit", env, cwd: root });
process.exit(res.status ?? 1);
