import type { Db, Trx } from "../db/database.ts";
import type { AuditEventsTable } from "../db/schema.ts";

export async function head(trx: Trx): Promise<{ seq: number; hash: string } | undefined> {
  return trx.selectFrom("audit_events").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
}

export async function insert(trx: Trx, row: AuditEventsTable): Promise<void> {
  await trx.insertInto("audit_events").values(row).execute();
}

export async function batchAfter(db: Db, afterSeq: number, size: number): Promise<AuditEventsTable[]> {
  return db.selectFrom("audit_events").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(size).execute();
}

export type AuditFilter = {
  organisationIds: string[]; action?: string; objectType?: string; actorId?: string; from?: string; to?: string;
};

export async function search(db: Db, f: AuditFilter, page: number, pageSize: number) {
  let q = db.selectFrom("audit_events").where("organisation_id", "in", f.organisationIds.length ? f.organisationIds : ["-"]);
  if (f.action) q = q.where("action", "=", f.action);
  if (f.objectType) q = q.where("object_type", "=", f.objectType);
  if (f.actorId) q = q.where("actor_id", "=", f.actorId);
  if (f.from) q = q.where("occurred_at", ">=", f.from);
  if (f.to) q = q.where("occurred_at", "<", f.to);
  const [rows, total] = await Promise.all([
    q.leftJoin("accounts", "accounts.id", "audit_events.actor_id")
      .select(["audit_events.seq", "audit_events.occurred_at", "audit_events.actor_type", "audit_events.actor_id",
        "accounts.display_name as actor_name", "audit_events.action", "audit_events.object_type", "audit_events.object_id",
        "audit_events.organisation_id", "audit_events.details"])
      .orderBy("audit_events.seq", "desc").limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function distinctActions(db: Db, organisationIds: string[]): Promise<string[]> {
  const rows = await db.selectFrom("audit_events").select("action").distinct()
    .where("organisation_id", "in", organisationIds.length ? organisationIds : ["-"]).orderBy("action").execute();
  return rows.map((r) => r.action);
}
