import type pino from "pino";
import type { Config } from "./config.ts";
import type { Db, Dialect, Trx } from "./db/database.ts";

/** What every service needs, built once at start-up and passed explicitly (no ambient state). */
export type Context = {
  config: Config;
  db: Db;
  dialect: Dialect;
  masterKey: Buffer;
  log: pino.Logger;
};

/** One use case, one transaction: its writes and its audit event commit together or not at all. */
export function inTransaction<T>(ctx: Context, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(fn);
}
