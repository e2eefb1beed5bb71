// Multi-row INSERTs in batches: one statement binds at most MAX_PARAMETERS values, below SQLite's limit
// (32 766 bound variables) and PostgreSQL's (65 535), whatever the table's width.
import type { Insertable } from "kysely";
import type { Trx } from "../db/database.ts";
import type { DB } from "../db/schema.ts";

export const MAX_PARAMETERS = 30_000;
/** A cap on rows per statement as well: past a few hundred rows a statement gets no faster, only bigger. */
export const MAX_ROWS = 1_000;

export const batchSize = (columns: number) => Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, columns))));

/** Inserts the rows (all of one shape) in as few statements as the limits allow; returns how many were written. */
export async function insertRows<T extends keyof DB & string>(trx: Trx, table: T, rows: readonly Insertable<DB[T]>[]): Promise<number> {
  if (!rows.length) return 0;
  const size = batchSize(Object.keys(rows[0]!).length);
  for (let i = 0; i < rows.length; i += size) {
    // Kysely's insert types do not narrow over a table-name parameter; the rows are typed by the caller.
    await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
  return rows.length;
}
