// Starts the REAL server (`node bin/intact.js serve`) as a child process for the browser tests:
// a free port, a fresh SQLite data directory or a fresh PostgreSQL database, fast password hashing.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { DbKind } from "./db.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export type TestServer = {
  /** http://127.0.0.1:<port>, no trailing slash */
  base: string;
  kind: DbKind;
  /** The one-time setup link the server printed on first start (null when it printed none). */
  setupUrl: string | null;
  /** Everything the server wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** The server's environment (DATA_DIR, DATABASE_URL, INTACT_MASTER_KEY, …): a CLI command run with it
   *  (`runCli`) works on the same database with the same keys. */
  env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const name = `intact_e2e_${crypto.randomBytes(6).toString("hex")}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try { await c.query(`create database ${name}`); } finally { await c.end(); }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      try { await d.query(`drop database if exists ${name} with (force)`); } finally { await d.end(); }
    },
  };
}

/** Starts the server and resolves once /healthz answers 200 and (on first start) the setup link is printed.
 *  freePort() releases the port before the server takes it, so another run can grab it in between: then try another. */
export async function startServer(kind: DbKind, env: Record<string, string> = {}): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(kind, env);
    } catch (e) {
      if (attempt >= 3 || !String((e as Error).message).includes("EADDRINUSE")) throw e;
    }
  }
}

async function startServerOnce(kind: DbKind, env: Record<string, string>): Promise<TestServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-e2e-"));
  const pgDb = kind === "postgres" ? await createPgDatabase() : null;
  const base = `http://127.0.0.1:${port}`;
  const childEnv: Record<string, string> = {
    ...Object.fromEntries(Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR })
      .filter((e): e is [string, string] => e[1] !== undefined)),
    PORT: String(port), HOST: "127.0.0.1", BASE_URL: base, DATA_DIR: dataDir,
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    INTACT_MASTER_KEY: crypto.randomBytes(32).toString("base64"),
    ARGON2_MEMORY_KIB: "1024", LOGIN_MIN_MS: "0", LOG_LEVEL: "warn",
    ...env,
  };
  let out = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "bin", "intact.js"), "serve"], {
    cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.setEncoding("utf8").on("data", (d: string) => { out += d; });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let alive = true;
  void exited.then(() => { alive = false; });

  const cleanup = async () => {
    if (pgDb) await pgDb.drop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (alive) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => { if (alive) child.kill("SIGKILL"); }, 5000);
      await exited;
      clearTimeout(timer);
    }
    await cleanup();
  };

  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (!alive) throw new Error(`The server exited before it was ready:\n${out}`);
      if (Date.now() > deadline) throw new Error(`The server did not become healthy within 30 s:\n${out}`);
      // The setup link is printed right after listen(); wait for the "runs at" line so it is in `out`.
      if (out.includes("Intact runs at")) {
        const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (ok) break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // The link, when there is one, follows the "runs at" line in the same write burst; give it a moment.
    await new Promise((r) => setTimeout(r, 50));
  } catch (e) {
    await stop();
    throw e;
  }
  const m = /(https?:\/\/\S+\/inrichten\?token=[A-Za-z0-9_-]+)/.exec(out);
  return { base, kind, setupUrl: m ? m[1]! : null, output: () => out, env: childEnv, stop };
}

/** Runs `node bin/intact.js <args>` against a started server's database (e.g. `demo --json`) and
 *  resolves with its stdout; rejects with stderr when it exits non-zero or takes longer than 60 s. */
export async function runCli(server: TestServer, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [path.join(root, "bin", "intact.js"), ...args], {
    cwd: root, env: { ...server.env }, stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "", stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
  child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`intact ${args.join(" ")} exited with ${code}:\n${stderr}`);
  return stdout;
}
