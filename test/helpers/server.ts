// Starts the REAL server (`node bin/intact.js serve`) as a child process: `startServer` for the browser tests
// (a free port, a fresh SQLite data directory or a fresh PostgreSQL database, fast password hashing), and
// `ServerProcess` for the suites that kill and restart servers or run several on one database (test/crash/,
// test/cluster/).
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

/** The variables a server child process inherits from this one: nothing else of the test's environment. */
export const inheritedEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR })
    .filter((e): e is [string, string] => e[1] !== undefined));

/** A new database on PG_TEST_URL's server (`<prefix>_<random>`); `drop` waits for its sessions to end first. */
export async function createPgDatabase(prefix = "intact_e2e"): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const admin = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const name = `${prefix}_${crypto.randomBytes(6).toString("hex")}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try { await c.query(`create database ${name}`); } finally { await c.end(); }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    name, url: u.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      try {
        // A server just killed may leave sessions that end a moment later; FORCE stays as the last resort.
        for (let i = 0; i < 50; i++) {
          const r = await d.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
          if (r.rows[0].n === 0) break;
          await new Promise((res) => setTimeout(res, 20));
        }
        await d.query(`drop database if exists ${name} with (force)`);
      } finally { await d.end(); }
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
    ...inheritedEnv(),
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

// ---- a server process that can be killed, restarted, or run beside others ---------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `node bin/intact.js serve` that can be SIGKILLed and started again on the same database and port, or run next
 *  to other instances on one PostgreSQL database. The
 *  clients read `base` on every request; `epoch` counts kills and `up` is true only between a healthy start and the
 *  next kill, so a client can tell whether a connection error had a reason. */
export class ServerProcess {
  base = "";
  up = false;
  epoch = 0;
  starts = 0;
  /** Milliseconds from spawn to a healthy /healthz, per start. */
  startMs: number[] = [];
  /** Lines the server wrote at level error or fatal (pino level ≥ 50), with the start they came from. */
  errorLines: string[] = [];
  /** How long a start may take to a healthy /healthz (on a loaded 2-core machine a cold start of two at once can take long). */
  startTimeoutMs = 60_000;
  private child: ChildProcess | null = null;
  private exited: Promise<unknown> = Promise.resolve();
  private out = "";
  private port = 0;
  readonly env: Record<string, string>;

  /** `db`: where the data lives (a data directory, and a PostgreSQL URL); `extraEnv` overrides the defaults (give
   *  several instances of one database the same INTACT_MASTER_KEY). */
  constructor(db: { dataDir: string; databaseUrl?: string }, extraEnv: Record<string, string>) {
    this.env = {
      ...inheritedEnv(),
      HOST: "127.0.0.1", DATA_DIR: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
      INTACT_MASTER_KEY: crypto.randomBytes(32).toString("base64"), LOG_LEVEL: "warn",
      ...extraEnv,
    };
  }

  /** The server's output of the current start (the tail, for failure messages). */
  output(tail = 4000) { return tail === Infinity ? this.out : this.out.slice(-tail); }

  /** Starts the server (the same port as before when there was one) and waits for /healthz. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!this.port || attempt > 1) this.port = await freePort();
      try {
        await this.startOnce();
        return;
      } catch (e) {
        // Another process took the port meanwhile: another port (the clients read `base` afresh).
        if (attempt >= 3 || !String((e as Error).message).includes("EADDRINUSE")) throw e;
      }
    }
  }

  private async startOnce(): Promise<void> {
    const base = `http://127.0.0.1:${this.port}`;
    const started = performance.now();
    this.out = "";
    const child = spawn(process.execPath, [path.join(root, "bin", "intact.js"), "serve"], {
      cwd: root, env: { ...this.env, PORT: String(this.port), BASE_URL: base }, stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.starts++;
    const start = this.starts;
    const take = (d: string) => {
      this.out += d;
      for (const line of d.split("\n")) if (/"level":(50|60)/.test(line)) this.errorLines.push(`[start ${start}] ${line}`);
    };
    child.stdout!.setEncoding("utf8").on("data", take);
    child.stderr!.setEncoding("utf8").on("data", take);
    let alive = true;
    this.exited = new Promise((resolve) => child.once("exit", () => { alive = false; resolve(undefined); }));
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      if (!alive) throw new Error(`The server exited before it was ready (start ${start}):\n${this.output()}`);
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        await this.exited;
        throw new Error(`The server did not become healthy within ${this.startTimeoutMs / 1000} s (start ${start}):\n${this.output()}`);
      }
      if (this.out.includes("Intact runs at")) {
        const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (ok) break;
      }
      await sleep(25);
    }
    this.startMs.push(Math.round(performance.now() - started));
    this.base = base;
    this.up = true;
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    this.up = false;
    this.epoch++;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
    this.child = null;
  }

  /** SIGTERM (a normal stop), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    this.up = false;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await this.exited;
      clearTimeout(t);
    }
    this.child = null;
  }
}

// ---- HTTP against a ServerProcess ---------------------------------------------------------------

/** A wrong answer from a server that was up: never expected, always reported. */
export class Unexpected extends Error {}

/** An error of the connection itself (refused, reset, closed mid-answer): what a kill causes. */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof Unexpected) return false;
  if (!(e instanceof Error)) return false;
  if (e.name === "TimeoutError" || e.name === "AbortError") return false;
  const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code ?? "";
  // undici: "fetch failed" (refused, reset before the answer) or "terminated" (the body was cut off), with the socket's code.
  return (e instanceof TypeError && (e.message === "fetch failed" || e.message === "terminated")) || /^(ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)/.test(code);
}

/** A browser without JavaScript, in miniature: keeps cookies and answers with status and body. */
export class Browser {
  private cookies = new Map<string, string>();
  /** `server` may be changed between requests: the cookies go along (the cluster suite moves a browser between instances). */
  constructor(public server: ServerProcess, private readonly timeoutMs = 60_000) {}

  async request(method: string, url: string, body?: { type: string; data: string | Buffer }) {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (body) headers["content-type"] = body.type;
    const res = await fetch(this.server.base + url, {
      method, headers, body: body?.data, redirect: "manual", signal: AbortSignal.timeout(this.timeoutMs),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i).trim(), value = pair!.slice(i + 1).trim();
      if (value === "" || /max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
    return { status: res.status, text: await res.text() };
  }
  form(url: string, fields: Record<string, string>) {
    return this.request("POST", url, { type: "application/x-www-form-urlencoded", data: new URLSearchParams(fields).toString() });
  }
  multipart(url: string, fields: Record<string, string>, file: { name: string; content: Buffer; type: string }) {
    const boundary = `----intact-crash-${crypto.randomBytes(8).toString("hex")}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
    return this.request("POST", url, { type: `multipart/form-data; boundary=${boundary}`, data: Buffer.concat(parts) });
  }
}

/** JSON over fetch against the server's current address. */
export async function json(server: ServerProcess, method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 60_000) {
  const res = await fetch(server.base + url, {
    method, headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* left null: the caller reports the text */ }
  return { status: res.status, body: parsed as Record<string, unknown> | null, text };
}

/** Runs `fn` over `items` with at most `n` at once. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}
