import { z } from "zod";
import type { Context } from "../context.ts";
import type { Db, Trx } from "../db/database.ts";
import type { ReportEntriesTable } from "../db/schema.ts";
import { newId, now } from "../crypto/tokens.ts";
import * as repo from "./repository.ts";
import { contentSchema, identitySchema, noticeSchema } from "./schema.ts";
import { INSTANCE_HOLDER, newDataKey, openEntry, sealEntry, unwrapForInstance, wrapForInstance } from "./sealing.ts";

// The timeline of a case: every entry has metadata in the clear (kind, author, time, meta) and, where it
// carries words, one sealed blob under the case key. Each kind has one schema for its sealed part.

const body = z.object({ body: z.string() });
export const ENTRY_SCHEMAS = {
  content: contentSchema,
  identity: identitySchema,
  notice: noticeSchema,
  message_in: body,
  message_out: body,
  note: body,
  status: z.object({
    reason: z.string().default(""), approvedBy: z.string().default(""), approvedOn: z.string().default(""),
    allegations: z.array(z.string()).default([]),
  }),
  referral: z.object({ reason: z.string().default("") }),
  disclosure: z.object({ reason: z.string() }),
  exclusion: z.object({ name: z.string() }),
  /** Handed over to the alternative recipient (handover.ts); who is in meta.accountId. */
  handover: z.object({ reason: z.string() }),
  assignment: z.object({}),
  /** Files came in (intake, mailbox): the names are sealed on the attachments themselves (report_attachments.entry_id). */
  attachment: z.object({}),
  /** A version of an oral report's minutes; its approval state is in meta (minutes.ts). */
  minutes: body,
} as const;
export type EntryKind = keyof typeof ENTRY_SCHEMAS;
export type SealedOf<K extends EntryKind> = z.output<(typeof ENTRY_SCHEMAS)[K]>;

export type Author = { type: "reporter" } | { type: "account"; id: string } | { type: "system" };

/** A new case's data key, wrapped for the instance. */
export async function createCaseKey(ctx: Context, trx: Trx, reportId: string): Promise<Buffer> {
  const key = newDataKey();
  await repo.insertKey(trx, {
    report_id: reportId, holder_type: INSTANCE_HOLDER.type, holder_id: INSTANCE_HOLDER.id,
    wrapped_key: wrapForInstance(ctx.masterKey, reportId, key), created_at: now(),
  });
  return key;
}

export async function caseKey(ctx: Context, db: Db | Trx, reportId: string): Promise<Buffer> {
  const row = await repo.findKey(db, reportId, INSTANCE_HOLDER.type, INSTANCE_HOLDER.id);
  if (!row) throw new Error(`Case ${reportId} has no instance key`);
  return unwrapForInstance(ctx.masterKey, reportId, row.wrapped_key);
}

/** Appends an entry. The caller has locked the case row (by updating it) in the same transaction. */
export async function addEntry<K extends EntryKind>(trx: Trx, dataKey: Buffer, e: {
  reportId: string; kind: K; author: Author; visibleToReporter?: boolean; meta?: Record<string, unknown>; sealed?: z.input<(typeof ENTRY_SCHEMAS)[K]>;
}): Promise<ReportEntriesTable> {
  const id = newId();
  const row: ReportEntriesTable = {
    id, report_id: e.reportId, position: await repo.nextPosition(trx, e.reportId), kind: e.kind, author_type: e.author.type,
    author_account_id: e.author.type === "account" ? e.author.id : null, visible_to_reporter: e.visibleToReporter ? 1 : 0,
    meta: JSON.stringify(e.meta ?? {}),
    sealed: e.sealed === undefined ? null : sealEntry(dataKey, ENTRY_SCHEMAS[e.kind], e.sealed as never, { reportId: e.reportId, entryId: id, kind: e.kind }),
    created_at: now(),
  };
  await repo.insertEntry(trx, row);
  return row;
}

export type OpenedEntry = {
  id: string; position: number; kind: EntryKind; authorType: Author["type"]; authorAccountId: string | null; visibleToReporter: boolean;
  meta: Record<string, unknown>; sealed: unknown; createdAt: string;
};

/** Opens entries; kinds outside `kinds` stay sealed (their blob is not decrypted at all). */
export function openEntries(dataKey: Buffer, rows: ReportEntriesTable[], kinds: ReadonlySet<EntryKind>): OpenedEntry[] {
  return rows.map((r) => {
    const kind = r.kind as EntryKind;
    const sealed = r.sealed && kinds.has(kind) ? openEntry(dataKey, ENTRY_SCHEMAS[kind], r.sealed, { reportId: r.report_id, entryId: r.id, kind }) : null;
    return {
      id: r.id, position: Number(r.position), kind, authorType: r.author_type as Author["type"], authorAccountId: r.author_account_id,
      visibleToReporter: r.visible_to_reporter === 1, meta: JSON.parse(r.meta) as Record<string, unknown>, sealed, createdAt: r.created_at,
    };
  });
}
