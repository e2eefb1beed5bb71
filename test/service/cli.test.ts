import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { authenticateBearer } from "../../src/auth/service.ts";
import { freshDatabase } from "../helpers/db.ts";
import { makeAccount } from "../helpers/fixtures.ts";

const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ["bin/intact.js", ...args], { env: { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "", ...env }, encoding: "utf8" });

test("intact migrate, token create, an unknown command, and help", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-cli-"));
  const env = { DATA_DIR: dir };
  try {
    const m = run(["migrate"], env);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /up to date/);
    assert.ok(fs.existsSync(path.join(dir, "intact.sqlite")));
    assert.equal((fs.statSync(path.join(dir, "master.key")).mode & 0o777).toString(8), "600");
    assert.notEqual(run(["token", "create", "--email", "niemand@example.test"], env).status, 0);
    assert.equal(run(["frobnicate"], env).status, 2);
    assert.match(run(["help"], env).stdout, /token create --email/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const t = await freshDatabase("sqlite");
  try {
    const acc = await makeAccount(t.ctx, "koppeling@example.test");
    const r = run(["token", "create", "--email", "Koppeling@example.test", "--name", "HR-koppeling", "--days", "7"], { DATA_DIR: t.dataDir, INTACT_MASTER_KEY: t.config.masterKey! });
    assert.equal(r.status, 0, r.stderr);
    const token = r.stdout.trim();
    assert.match(token, /^intact_/);
    assert.equal((await authenticateBearer(t.ctx, token))?.id, acc.id);
    const ev = await t.ctx.db.selectFrom("audit_events").select(["actor_type", "actor_id"]).where("action", "=", "apiToken.create").execute();
    assert.deepEqual(ev, [{ actor_type: "system", actor_id: "cli" }]);
  } finally {
    await t.drop();
  }
});

test("serve answers /healthz and shuts down cleanly on SIGTERM", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-serve-"));
  const port = await new Promise<number>((resolve) => { const s = net.createServer().listen(0, () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
  const child = spawn(process.execPath, ["bin/intact.js", "serve"], { env: { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "silent", DATABASE_URL: "" } });
  let out = "";
  child.stdout.on("data", (d) => { out += d; });
  try {
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      try { ok = (await fetch(`http://127.0.0.1:${port}/healthz`)).ok; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    assert.ok(ok, "healthz answered");
    assert.deepEqual(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json(), { status: "ok" });
    assert.match(out, /\/inrichten\?token=[A-Za-z0-9_-]{43}/);
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    assert.equal(await exit, 0);
  } finally {
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
