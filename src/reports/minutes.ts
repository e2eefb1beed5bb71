import { z } from "zod";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import type { Trx } from "../db/database.ts";
import type { ReportsTable } from "../db/schema.ts";
import { Conflict, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import { today } from "./deadlines.ts";
import { addEntry, caseKey, openEntries, type OpenedEntry } from "./entries.ts";
import * as repo from "./repository.ts";
import { LIMITS } from "./schema.ts";

// The minutes (verslag) of an oral report: what the desk wrote down of a phone call or a conversation.
// The reporter may check, correct and approve them (EU directive 2019/1937 art. 18(2)-(4)). Each version
// is a "minutes" entry (sealed words, visible to the reporter); its approval state is clear metadata on
// that entry: pending → approved (by the reporter, with the date) or corrected (the reporter's correction
// is a mailbox message marked as such; the desk then records a new version, pending again).
// The reporter's side lives here; the desk's side in register.ts.

export const MINUTES_STATES = ["pending", "approved", "corrected"] as const;
export type MinutesState = (typeof MINUTES_STATES)[number];

const metaSchema = z.object({
  version: z.number().int().min(1),
  state: z.enum(MINUTES_STATES),
  /** yyyy-mm-dd; "mailbox": the reporter approved in the mailbox; "desk": the desk recorded an approval given outside Intact. */
  approvedOn: z.string().optional(),
  approvedVia: z.enum(["mailbox", "desk"]).optional(),
  /** yyyy-mm-dd, and the reporter's message that says what is wrong. */
  correctedOn: z.string().optional(),
  correctionId: z.string().optional(),
});
export type MinutesMeta = z.infer<typeof metaSchema>;
export type Minutes = MinutesMeta & { entryId: string; body: string | null; recordedAt: string };

/** The minutes in force: the latest version among the entries, or null when the report has none (it was not oral). */
export function currentMinutes(entries: OpenedEntry[]): Minutes | null {
  let current: Minutes | null = null;
  for (const e of entries) {
    if (e.kind !== "minutes") continue;
    const meta = metaSchema.safeParse(e.meta);
    if (!meta.success || (current && meta.data.version <= current.version)) continue;
    current = { ...meta.data, entryId: e.id, body: (e.sealed as { body?: string } | null)?.body ?? null, recordedAt: e.createdAt };
  }
  return current;
}

const metaOf = ({ entryId: _e, body: _b, recordedAt: _r, ...meta }: Minutes): MinutesMeta => meta;

/** Locks the case (by updating its row, as every writer does) and reads its current minutes' metadata. */
export async function lockMinutes(trx: Trx, reportId: string): Promise<{ report: ReportsTable; minutes: Minutes | null }> {
  if (!(await repo.updateReportIf(trx, reportId, {}, { updated_at: now() }))) throw new NotFound();
  const report = (await repo.findReport(trx, reportId))!;
  if (report.destroyed_at) throw new NotFound();
  const rows = (await repo.listEntries(trx, reportId)).filter((r) => r.kind === "minutes");
  // Only metadata is needed: no kind is opened, so no key is used.
  return { report, minutes: currentMinutes(openEntries(Buffer.alloc(0), rows, new Set())) };
}

/** Sets the state of the current minutes; the version the reader saw must still be the current one. */
export async function setMinutesState(trx: Trx, reportId: string, minutes: Minutes | null, seenVersion: number, patch: Partial<MinutesMeta>) {
  if (!minutes || minutes.version !== seenVersion) throw new Conflict("minutes_changed", "minutes.changed");
  if (minutes.state !== "pending") throw new Conflict("minutes_not_pending", "minutes.notPending");
  await repo.updateEntryMeta(trx, reportId, minutes.entryId, { ...metaOf(minutes), ...patch });
}

export const versionSchema = z.object({ version: z.coerce.number({ error: "minutes.changed" }).int({ error: "minutes.changed" }) });
const correctionSchema = versionSchema.extend({
  body: z.string({ error: "minutes.correctionRequired" }).trim().min(1, { error: "minutes.correctionRequired" })
    .max(LIMITS.message, { error: "field.tooLong" }),
});

/** "Klopt, ik keur het verslag goed": the reporter approves the version they read. A second click changes nothing. */
export async function approveMinutes(ctx: Context, reportId: string, raw: unknown): Promise<void> {
  const input = parseInput(versionSchema, raw);
  await inTransaction(ctx, async (trx) => {
    const { report, minutes } = await lockMinutes(trx, reportId);
    if (report.status === "closed") throw new Conflict("case_closed", "minutes.closed");
    if (minutes?.version === input.version && minutes.state === "approved") return;
    await setMinutesState(trx, reportId, minutes, input.version, { state: "approved", approvedOn: today(), approvedVia: "mailbox" });
    await audit.record(ctx, trx, {
      actor: { type: "anonymous", id: null }, action: "report.minutesApproved", objectType: "report", objectId: reportId,
      organisationId: report.organisation_id, details: { reference: report.reference, version: input.version },
    });
  });
}

/** "Er klopt iets niet": the reporter's correction becomes a mailbox message, marked as a correction of that version. */
export async function correctMinutes(ctx: Context, reportId: string, raw: unknown): Promise<void> {
  const input = parseInput(correctionSchema, raw);
  await inTransaction(ctx, async (trx) => {
    const { report, minutes } = await lockMinutes(trx, reportId);
    if (report.status === "closed") throw new Invalid({ body: "minutes.closed" }, "case_closed");
    const key = await caseKey(ctx, trx, reportId);
    const message = await addEntry(trx, key, {
      reportId, kind: "message_in", author: { type: "reporter" }, visibleToReporter: true, meta: { minutesCorrection: input.version }, sealed: { body: input.body },
    });
    await setMinutesState(trx, reportId, minutes, input.version, { state: "corrected", correctedOn: today(), correctionId: message.id });
    await audit.record(ctx, trx, {
      actor: { type: "anonymous", id: null }, action: "report.minutesCorrected", objectType: "report", objectId: reportId,
      organisationId: report.organisation_id, details: { reference: report.reference, version: input.version },
    });
  });
}
