import type { Context } from "../context.ts";
import * as authRepo from "../auth/repository.ts";
import { deleteExpiredPending } from "../reports/attachments/service.ts";
import * as reportRepo from "../reports/repository.ts";

const HOUR = 3_600_000;

/** Removes sessions past their idle or absolute limit, throttle counters nobody has touched for a day (once
 *  their lock has run out), and intake uploads whose report was never sent (after 24 hours). Idempotent, so
 *  a run that dies halfway is simply finished by the next. Runs hourly under its lease (scheduler.ts, "housekeeping"). */
export async function runHousekeeping(ctx: Context, at = Date.now()): Promise<{ sessions: number; throttles: number; mailboxes: number; uploads: number }> {
  const sessions = await authRepo.deleteExpiredSessions(ctx.db, new Date(at).toISOString(), new Date(at - ctx.config.sessionIdleMs).toISOString());
  const throttles = await authRepo.deleteStaleThrottles(ctx.db, new Date(at - Math.max(24 * HOUR, ctx.config.loginLockMs)).toISOString());
  const n = (r: { numDeletedRows: bigint }[]) => r.reduce((s, x) => s + Number(x.numDeletedRows), 0);
  const mailboxes = Number((await reportRepo.deleteExpiredMailboxSessions(ctx.db, new Date(at).toISOString())).numDeletedRows);
  const uploads = await deleteExpiredPending(ctx, at);
  return { sessions: n(sessions), throttles: n(throttles), mailboxes, uploads };
}
