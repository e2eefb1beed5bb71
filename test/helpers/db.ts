import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig, type Config } from "../../src/config.ts";
import type { Context } from "../../src/context.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { createLogger } from "../../src/log.ts";

export type DbKind = "sqlite" | "postgres";

/** The databases every service test runs on. PostgreSQL is skipped, with the reason, only where
 *  scripts/test.mjs found no server and CI is not set. */
export const DB_KINDS: { kind: DbKind; skip: string | false }[] = [
  { kind: "sqlite", skip: false },
  { kind: "postgres", skip: process.env.INTACT_TEST_PG === "0" ? "PostgreSQL not reachable (set PG_TEST_URL to run)" : false },
];

export type TestDb = { ctx: Context; database: Database; config: Config; dataDir: string; url?: string; drop(): Promise<void> };

/** A fresh, migrated database: a temp SQLite file, or a new PostgreSQL database dropped afterwards.
 *  migrate: false leaves it empty (a migration test runs the migrations itself). */
export async function freshDatabase(kind: DbKind, env: Record<string, string> = {}, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-test-"));
  let url: string | undefined;
  let dropPg = async () => {};
  if (kind === "postgres") {
    const admin = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const name = `intact_t_${crypto.randomBytes(6).toString("hex")}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    const u = new URL(admin); u.pathname = `/${name}`; url = u.toString();
    dropPg = async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      // pg's pool.end() resolves before its sockets have closed; dropping with FORCE at that moment
      // kills a closing connection, whose error then surfaces as an uncaught exception. Wait until
      // the server no longer counts any session on this database (FORCE stays as the last resort).
      for (let i = 0; i < 50; i++) {
        const r = await d.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
        if (r.rows[0].n === 0) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    };
  }
  const config = loadConfig({
    DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}), LOG_LEVEL: "silent", ARGON2_MEMORY_KIB: "1024", LOGIN_MIN_MS: "0", RECEIPT_MIN_MS: "0",
    INTACT_MASTER_KEY: crypto.randomBytes(32).toString("base64"), ...env,
  });
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  if (opts.migrate !== false) await migrateToLatest(database.db);
  const ctx: Context = { config, db: database.db, dialect: database.dialect, masterKey: Buffer.from(config.masterKey!, "base64"), log: createLogger("silent") };
  return {
    ctx, database, config, dataDir, url,
    async drop() { await database.close(); await dropPg(); fs.rmSync(dataDir, { recursive: true, force: true }); },
  };
}
