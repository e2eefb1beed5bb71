// The crash suite's machinery: a server child process that can be killed with SIGKILL and started again on
// the same data directory or PostgreSQL database, a seeded PRNG, a cookie-keeping fetch for the intake pages,
// and a way to tell a connection error (the server was down) from anything else.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
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
  constructor(private readonly server: ServerProcess, private readonly timeoutMs = 60_000) {}

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
