import type { Context } from "../context.ts";
import type { Trx } from "../db/database.ts";
import { lockForChain } from "../db/database.ts";
import type { AuditActor } from "../access/actor.ts";
import { newId, now } from "../crypto/tokens.ts";
import { GENESIS, chainHash, type ChainRow } from "./chain.ts";
import * as repo from "./repository.ts";

export type AuditInput = {
  actor: AuditActor;
  action: string;
  objectType: string;
  objectId?: string | null;
  organisationId?: string | null;
  /** Only metadata: never sealed content, never an address or user agent. */
  details?: Record<string, unknown>;
  /** "day": the time is left out (midnight UTC of the day), for events whose exact time could point at a person. */
  precision?: "day";
};

const CHAIN_LOCK = 7_215_001;

/** Appends one event to the hash chain, inside the caller's transaction. */
export async function record(ctx: Pick<Context, "dialect">, trx: Trx, input: AuditInput): Promise<void> {
  if (!input.actor || !input.actor.type) throw new Error("An audit event needs an actor");
  await lockForChain(trx, ctx.dialect, CHAIN_LOCK);
  const prev = await repo.head(trx);
  const row: ChainRow = {
    seq: (prev?.seq ?? 0) + 1,
    id: newId(),
    // What an anonymous reporter does is recorded by the day only: the log is read by administrators and auditors,
    // and a precise time could be matched against a proxy's or a building's logs to find who it was.
    occurred_at: input.actor.type === "anonymous" || input.precision === "day" ? `${now().slice(0, 10)}T00:00:00.000Z` : now(),
    actor_type: input.actor.type,
    actor_id: input.actor.id,
    action: input.action,
    object_type: input.objectType,
    object_id: input.objectId ?? null,
    organisation_id: input.organisationId ?? null,
    details: JSON.stringify(input.details ?? {}),
  };
  const prevHash = prev?.hash ?? GENESIS;
  await repo.insert(trx, { ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) });
}

export type VerifyResult = { ok: true; count: number; head: string } | { ok: false; count: number; brokenSeq: number; reason: string };

/** Recomputes the whole chain in batches and names the first row that does not fit. */
export async function verify(ctx: Pick<Context, "db">): Promise<VerifyResult> {
  let prevHash = GENESIS, lastSeq = 0, count = 0;
  for (;;) {
    const rows = await repo.batchAfter(ctx.db, lastSeq, 1000);
    if (!rows.length) return { ok: true, count, head: prevHash };
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== lastSeq + 1) return { ok: false, count, brokenSeq: seq, reason: `gap after ${lastSeq}` };
      if (r.prev_hash !== prevHash) return { ok: false, count, brokenSeq: seq, reason: "prev_hash does not match the row before" };
      const expected = chainHash(prevHash, { ...r, seq });
      if (expected !== r.hash) return { ok: false, count, brokenSeq: seq, reason: "hash does not match the row's content" };
      prevHash = r.hash; lastSeq = seq; count++;
    }
  }
}
