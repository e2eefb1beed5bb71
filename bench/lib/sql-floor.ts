// "The same SELECT through the driver": the statements a service function runs are captured as Kysely compiles them
// (a second Kysely on the same connection with a query log), then replayed on the bare driver — better-sqlite3's
// prepared statement or pg's pool — without Kysely, the service, the page or HTTP. That is the floor of a page.
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Db } from "../../src/db/database.ts";
import type { DB } from "../../src/db/schema.ts";
import type { BenchDatabase } from "./database.ts";

export type Statement = { sql: string; parameters: readonly unknown[] };

export type SqlFloor = {
  /** Runs `fn` on a Kysely that records every statement; returns the statements it ran. */
  capture(fn: (db: Db) => Promise<unknown>): Promise<Statement[]>;
  /** Runs the statements on the bare driver: one after the other, or (PostgreSQL) all at once as Promise.all would. */
  replay(statements: Statement[], opts?: { parallel?: boolean }): Promise<number>;
  close(): Promise<void>;
};

export function sqlFloor(bench: BenchDatabase): SqlFloor {
  if (bench.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: bench.env.DATABASE_URL, max: 10 });
    let log: Statement[] = [];
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: (e) => { log.push({ sql: e.query.sql, parameters: e.query.parameters }); } });
    return {
      async capture(fn) { log = []; await fn(db); return log; },
      async replay(statements, opts) {
        const run = (s: Statement) => pool.query(s.sql, s.parameters as unknown[]).then((r) => r.rowCount ?? 0);
        if (opts?.parallel) return (await Promise.all(statements.map(run))).reduce((a, b) => a + b, 0);
        let rows = 0;
        for (const s of statements) rows += await run(s);
        return rows;
      },
      close: () => db.destroy(),
    };
  }
  const file = bench.database.sqlitePath!;
  const sqlite = new SQLite(file, { readonly: true });
  sqlite.pragma("busy_timeout = 5000");
  let log: Statement[] = [];
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => { log.push({ sql: e.query.sql, parameters: e.query.parameters }); } });
  const prepared = new Map<string, SQLite.Statement>();
  return {
    async capture(fn) { log = []; await fn(db); return log; },
    async replay(statements) {
      let rows = 0;
      for (const s of statements) {
        let st = prepared.get(s.sql);
        if (!st) { st = sqlite.prepare(s.sql); prepared.set(s.sql, st); }
        rows += st.all(...(s.parameters as unknown[])).length;
      }
      return rows;
    },
    close: () => db.destroy(),
  };
}
