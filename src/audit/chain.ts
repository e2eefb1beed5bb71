import { sha256Hex } from "../crypto/tokens.ts";

export const GENESIS = "0".repeat(64);

export type ChainRow = {
  seq: number; id: string; occurred_at: string; actor_type: string; actor_id: string | null; action: string;
  object_type: string; object_id: string | null; organisation_id: string | null; details: string;
};

/** The canonical form is a JSON array in a fixed column order, so it is identical on every dialect. */
export function canonical(row: ChainRow): string {
  return JSON.stringify([row.seq, row.id, row.occurred_at, row.actor_type, row.actor_id, row.action,
    row.object_type, row.object_id, row.organisation_id, row.details]);
}

export function chainHash(prevHash: string, row: ChainRow): string {
  return sha256Hex(prevHash + canonical(row));
}
