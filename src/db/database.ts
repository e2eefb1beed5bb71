import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type SQLiteDriver from "better-sqlite3";
import type PgDriver from "pg";
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from "kysely";
import type { DB } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";
export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
export type Database = { db: Db; dialect: Dialect; sqlitePath?: string; close(): Promise<void> };

// Only the driver in use is loaded (both are CommonJS, so this stays synchronous): an instance on SQLite does not
// carry pg, nor one on PostgreSQL better-sqlite3 (docs/performance.md, memory).
const load = createRequire(import.meta.url);

export function openDatabase(opts: { databaseUrl?: string; dataDir: string; onConnectionError?: (err: Error) => void }): Database {
  if (opts.databaseUrl && /^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
    const pg = load("pg") as typeof PgDriver;
    // pg would hand back bigint and numeric as strings; our counts fit in a JS number.
    pg.types.setTypeParser(20, (v) => Number(v));
    pg.types.setTypeParser(1700, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection that the server closes (a restart, a failover) must not crash the process:
    // the pool drops it and the next query opens a new one.
    pool.on("error", (err) => opts.onConnectionError?.(err));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", close: () => db.destroy() };
  }
  if (opts.databaseUrl) throw new Error("DATABASE_URL must start with postgres:// (leave it unset for SQLite)");
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(opts.dataDir, "intact.sqlite");
  const SQLite = load("better-sqlite3") as typeof SQLiteDriver;
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", sqlitePath: file, close: () => db.destroy() };
}

/** Serialises writers of a shared resource (the audit chain) across instances on PostgreSQL.
 *  SQLite has a single writer already. */
export async function lockForChain(trx: Trx, dialect: Dialect, key: number): Promise<void> {
  if (dialect === "postgres") await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
