// The crash suite's machinery: a fresh data directory or PostgreSQL database, a seeded PRNG, and the CLI. The
// server child process that can be killed with SIGKILL and started again, the cookie-keeping fetch for the intake
// pages and the way to tell a connection error (the server was down) from anything else are shared with the
// cluster suite and live in test/helpers/server.ts; they are re-exported here under the names the suite uses.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DbKind } from "../helpers/db.ts";
import { createPgDatabase, type ServerProcess } from "../helpers/server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

// ---- a seeded PRNG -----------------------------------------------------------------------------

/** mulberry32: small, fast, good enough to pick contents and moments; the same seed gives the same stream. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Prng = ReturnType<typeof prng>;

// ---- the database ------------------------------------------------------------------------------

export type CrashDb = { dataDir: string; databaseUrl?: string; describe: string; drop(): Promise<void> };

/** A fresh data directory, and for PostgreSQL a fresh database on PG_TEST_URL's server. */
export async function crashDatabase(kind: DbKind): Promise<CrashDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-crash-"));
  if (kind === "sqlite") {
    return { dataDir, describe: `SQLite in ${dataDir}`, async drop() { fs.rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const pgDb = await createPgDatabase("intact_crash");
  return {
    dataDir, databaseUrl: pgDb.url, describe: `PostgreSQL database ${pgDb.name}`,
    async drop() {
      await pgDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- the server --------------------------------------------------------------------------------

/** The crash suite's server: the shared child-process server (test/helpers/server.ts). */
export { ServerProcess as CrashServer } from "../helpers/server.ts";

/** `node bin/intact.js <args>` with the server's environment: stdout, stderr and the exit code. */
export async function cli(server: ServerProcess, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, "bin", "intact.js"), ...args], {
    cwd: root, env: { ...server.env }, stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "", stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
  child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

// ---- HTTP ----------------------------------------------------------------------------------------

// Shared with the cluster suite: test/helpers/server.ts.
export { Browser, isConnectionError, json, pool, Unexpected } from "../helpers/server.ts";
