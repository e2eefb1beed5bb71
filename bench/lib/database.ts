// The database a bench run owns: a fresh SQLite data directory or a fresh PostgreSQL database (on PG_TEST_URL's
// server, as the tests make theirs), its environment for the server child, and a Context on it for the runner
// (the generator and the in-process floors). Dropped at the end.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { loadConfig } from "../../src/config.ts";
import type { Context } from "../../src/context.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { createLogger } from "../../src/log.ts";

export type DbKind = "sqlite" | "postgres";

export type BenchDatabase = {
  kind: DbKind;
  /** DATA_DIR, DATABASE_URL and the instance key: the server child gets exactly these. */
  env: Record<string, string>;
  ctx: Context;
  database: Database;
  /** "SQLite 3.x" or "PostgreSQL 15.x". */
  version: string;
  drop(): Promise<void>;
};

const adminUrl = () => process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function createBenchDatabase(kind: DbKind): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-bench-"));
  const env: Record<string, string> = { DATA_DIR: dataDir, INTACT_MASTER_KEY: crypto.randomBytes(32).toString("base64") };
  let dropPg = async () => {};
  if (kind === "postgres") {
    const name = `intact_bench_${crypto.randomBytes(6).toString("hex")}`;
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    try { await c.query(`create database ${name}`); } finally { await c.end(); }
    const u = new URL(adminUrl());
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    dropPg = async () => {
      const d = new pg.Client({ connectionString: adminUrl() });
      await d.connect();
      try { await d.query(`drop database if exists ${name} with (force)`); } finally { await d.end(); }
    };
  }
  // The runner hashes as the server does (production Argon2id cost: the defaults), with the server's key.
  const config = loadConfig({ ...env, LOG_LEVEL: "silent" });
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await migrateToLatest(database.db);
  const ctx: Context = { config, db: database.db, dialect: database.dialect, masterKey: Buffer.from(env.INTACT_MASTER_KEY!, "base64"), log: createLogger("silent") };
  const version = kind === "postgres"
    ? `PostgreSQL ${String((await sql<{ v: string }>`select current_setting(${"server_version"}) as v`.execute(database.db)).rows[0]!.v)}`
    : `SQLite ${String((await sql<{ v: string }>`select sqlite_version() as v`.execute(database.db)).rows[0]!.v)}`;
  return {
    kind, env, ctx, database, version,
    async drop() {
      await database.close().catch(() => {});
      await dropPg();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fresh planner statistics after the bulk load, as autovacuum would have them on a running installation. */
export async function analyze(db: BenchDatabase): Promise<void> {
  await sql`analyze`.execute(db.database.db);
}
