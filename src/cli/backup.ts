import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { loadConfig } from "../config.ts";
import { masterKeyPath } from "../crypto/keys.ts";

/** intact backup <file>: SQLite's online backup API gives a consistent copy while the server runs.
 *  The master key is deliberately not in it: a backup alone cannot open sealed content. */
export async function backup(args: string[]) {
  const target = args[0];
  if (!target) throw new Error("Usage: intact backup <file>");
  const config = loadConfig();
  if (config.databaseUrl) throw new Error("DATABASE_URL is set: back up PostgreSQL with pg_dump (see docs/operations.md).");
  const source = path.join(config.dataDir, "intact.sqlite");
  if (!fs.existsSync(source)) throw new Error(`No database at ${source}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file name`);
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  fs.chmodSync(target, 0o600);
  const keyNote = config.masterKey ? "the INTACT_MASTER_KEY secret" : masterKeyPath(config.dataDir);
  console.log(`Backup written to ${target}.`);
  console.log(`The master key is NOT in the backup. Keep a copy of ${keyNote} apart from the backups: without it sealed content cannot be read, and with it anyone holding a backup can.`);
}

/** intact restore <file>: replaces the database with a backup. The server must be stopped. */
export async function restore(args: string[]) {
  const source = args[0];
  if (!source) throw new Error("Usage: intact restore <file>");
  const config = loadConfig();
  if (config.databaseUrl) throw new Error("DATABASE_URL is set: restore PostgreSQL with pg_restore/psql (see docs/operations.md).");
  if (!fs.existsSync(source)) throw new Error(`No file at ${source}`);
  const check = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const ok = check.pragma("integrity_check", { simple: true });
    if (ok !== "ok") throw new Error(`${source} fails SQLite's integrity check: ${ok}`);
    check.prepare("select count(*) from audit_events").get();
  } finally {
    check.close();
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const target = path.join(config.dataDir, "intact.sqlite");
  // Leaving WAL mode needs the only connection to the database: it fails (the mode stays "wal")
  // while a server, or any other process, has the database open.
  if (fs.existsSync(target)) {
    const live = new SQLite(target);
    let mode: unknown;
    try {
      live.pragma("busy_timeout = 0");
      mode = live.pragma("journal_mode = DELETE", { simple: true });
    } catch {
      mode = "busy";
    } finally {
      live.close();
    }
    if (mode !== "delete") throw new Error("The database is in use: stop the server before restoring.");
  }
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(target + suffix, { force: true });
  const tmp = `${target}.restore-${process.pid}`;
  fs.copyFileSync(source, tmp);
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, target);
  console.log(`Restored ${source} to ${target}. Start the server with the same master key as when the backup was made.`);
}
