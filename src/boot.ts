import type pino from "pino";
import { loadConfig, type Config } from "./config.ts";
import type { Context } from "./context.ts";
import { loadMasterKey } from "./crypto/keys.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { createLogger } from "./log.ts";

/** Opens the database, runs migrations and loads the instance key: everything a command needs. */
export async function boot(opts: { config?: Config; log?: pino.Logger; migrate?: boolean } = {}): Promise<{ ctx: Context; database: Database }> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? createLogger(config.logLevel);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir,
    onConnectionError: (err) => log.warn({ err }, "idle database connection lost") });
  if (opts.migrate !== false) {
    const applied = await migrateToLatest(database.db);
    if (applied.length) log.info({ migrations: applied }, "database migrated");
  }
  const { key } = loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir });
  return { ctx: { config, db: database.db, dialect: database.dialect, masterKey: key, log }, database };
}
