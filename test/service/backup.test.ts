import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { freshDatabase } from "../helpers/db.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ["bin/intact.js", ...args], { env: { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "", ...env }, encoding: "utf8" });

test("SQLite backup while the database is open, restore refused while in use, then restored", async () => {
  const t = await freshDatabase("sqlite");
  const env = { DATA_DIR: t.dataDir, INTACT_MASTER_KEY: t.config.masterKey! };
  try {
    await makeOrganisation(t.ctx, "Gemeente Voor");
    const file = path.join(t.dataDir, "backup.sqlite");
    const b = cli(["backup", file], env);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /master key is NOT in the backup/);
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), "600");
    const copy = new SQLite(file, { readonly: true });
    assert.deepEqual(copy.prepare("select name from organisations").all(), [{ name: "Gemeente Voor" }]);
    copy.close();
    const bytes = fs.readFileSync(file);
    const key = Buffer.from(t.config.masterKey!, "base64");
    assert.equal(bytes.includes(key) || bytes.includes(Buffer.from(t.config.masterKey!)), false, "the master key is not in the backup");
    assert.notEqual(cli(["backup", file], env).status, 0, "an existing file is never overwritten");

    await makeOrganisation(t.ctx, "Gemeente Na");
    const busy = cli(["restore", file], env);
    assert.notEqual(busy.status, 0);
    assert.match(busy.stderr, /in use/);
    await t.database.close();

    const r = cli(["restore", file], env);
    assert.equal(r.status, 0, r.stderr);
    const restored = new SQLite(path.join(t.dataDir, "intact.sqlite"), { readonly: true });
    assert.deepEqual(restored.prepare("select name from organisations order by name").all(), [{ name: "Gemeente Voor" }]);
    restored.close();
    fs.writeFileSync(path.join(t.dataDir, "junk.sqlite"), "not a database");
    assert.notEqual(cli(["restore", path.join(t.dataDir, "junk.sqlite")], env).status, 0);
  } finally {
    fs.rmSync(t.dataDir, { recursive: true, force: true });
  }
});
