import crypto from "node:crypto";
import type { Db } from "../db/database.ts";

// "One instance at a time" for periodic jobs, on SQLite and PostgreSQL alike: a row per job in job_leases.
// Taking it is one atomic upsert that succeeds only when the row is new, expired, or already ours; an
// instance that dies leaves its lease to run out, and the next instance to try takes over.

/** This process's holder id: random, nothing about the host. */
export const PROCESS_HOLDER = `p-${crypto.randomBytes(9).toString("base64url")}`;

/** Takes or renews the lease until `untilIso`; true when this holder has it. */
export async function acquireLease(db: Db, name: string, holder: string, atIso: string, untilIso: string): Promise<boolean> {
  const row = await db.insertInto("job_leases").values({ name, holder, expires_at: untilIso })
    .onConflict((oc) => oc.column("name").doUpdateSet({ holder, expires_at: untilIso })
      .where((eb) => eb.or([eb("job_leases.expires_at", "<", atIso), eb("job_leases.holder", "=", holder)])))
    .returning("holder").executeTakeFirst();
  return row?.holder === holder;
}

/** Keeps the lease until `untilIso` (after a run: the rest of the period), only if this holder still has it. */
export async function holdLeaseUntil(db: Db, name: string, holder: string, untilIso: string): Promise<boolean> {
  const r = await db.updateTable("job_leases").set({ expires_at: untilIso }).where("name", "=", name).where("holder", "=", holder).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives the lease up at once (on shutdown), so another instance need not wait for it to run out. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom("job_leases").where("name", "=", name).where("holder", "=", holder).execute();
}

export const leaseOf = (db: Db, name: string) =>
  db.selectFrom("job_leases").selectAll().where("name", "=", name).executeTakeFirst();

