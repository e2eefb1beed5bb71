import type { Context } from "../context.ts";
import type { MailTransport } from "../notify/mailer.ts";
import { purgeFinished } from "../notify/outbox.ts";
import { CLAIM_MS, sendPending } from "../notify/sender.ts";
import { runNotesRetention } from "../advisors/retention.ts";
import { runRetention } from "../reports/retention.ts";
import { runDeadlineReminders } from "./deadlines.ts";
import { runHousekeeping } from "./housekeeping.ts";
import { PROCESS_HOLDER, acquireLease, holdLeaseUntil, releaseLease } from "./lease.ts";

// One periodic runner for the jobs that must run once per period across all instances (the outbox, the
// deadline reminders, retention, housekeeping). Each run takes the job's lease first (lease.ts); an instance that does not get it
// skips that tick. After a run the lease is kept for the rest of the period, so the other instances skip
// it too; an instance that dies mid-run leaves its lease to run out after `maxRunMs`, then another takes over.
// On SQLite there is one process anyway; it goes through the same code.

export type PeriodicJob = {
  name: string;
  everyMs: number;
  /** The longest a run may hold the lease: after this another instance may start the job. */
  maxRunMs: number;
  /** `signal` aborts when the process shuts down: a long run should stop at the next safe point. */
  run: (ctx: Context, at: number, signal: AbortSignal) => Promise<unknown>;
};

const iso = (ms: number) => new Date(ms).toISOString();
/** After a run the lease is kept until a little less than a period from its start, so the holder's own next tick
 *  (timers drift) never finds its lease still running: 5 s, or a tenth of a short period. */
const slackMs = (job: PeriodicJob) => Math.min(5_000, Math.floor(job.everyMs / 10));

export type RunOutcome = { ran: false } | { ran: true; result: unknown };

/** One run of a job under its lease; `{ ran: false }` when another holder has it. Errors of the job propagate. */
export async function runJobOnce(ctx: Context, job: PeriodicJob, holder: string = PROCESS_HOLDER, at: number = Date.now(),
  signal: AbortSignal = new AbortController().signal): Promise<RunOutcome> {
  if (!(await acquireLease(ctx.db, job.name, holder, iso(at), iso(at + job.maxRunMs)))) return { ran: false };
  try {
    return { ran: true, result: await job.run(ctx, at, signal) };
  } finally {
    await holdLeaseUntil(ctx.db, job.name, holder, iso(Math.max(Date.now(), at + job.everyMs - slackMs(job))))
      .catch((err: unknown) => ctx.log.warn({ job: job.name, err }, "could not update the job lease"));
  }
}

export type Scheduler = { stop(): Promise<void> };

/** Runs every job now and then every `everyMs`, never two runs of one job at a time in this process. */
export function startScheduler(ctx: Context, jobs: PeriodicJob[], holder: string = PROCESS_HOLDER): Scheduler {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  for (const job of jobs) {
    const tick = () => {
      if (stopping.signal.aborted || running.has(job.name)) return;
      const at = Date.now();
      const p = runJobOnce(ctx, job, holder, at, stopping.signal).then(
        // The run's record (debug level): which holder ran which job when. The cluster test (test/cluster/)
        // reads these lines from every instance to show that each job ran once per period across them.
        (r) => { if (r.ran) ctx.log.debug({ job: job.name, holder, startedAt: iso(at), ms: Date.now() - at, result: r.result }, "periodic job ran"); },
        (err: unknown) => ctx.log.error({ job: job.name, err }, "periodic job failed"),
      ).finally(() => running.delete(job.name));
      running.set(job.name, p);
    };
    tick();
    const timer = setInterval(tick, job.everyMs);
    timer.unref();
    timers.push(timer);
  }
  return {
    async stop() {
      stopping.abort();
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running.values()]);
      // Give the leases back, so another instance need not wait for them to run out.
      await Promise.allSettled(jobs.map((j) => releaseLease(ctx.db, j.name, holder)));
    },
  };
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Sent and failed outbox rows are kept this long (for the operator's counts), then deleted. */
export const OUTBOX_KEEP_MS = 30 * 24 * HOUR;

/** The jobs `serve` runs: the outbox every minute; the deadline reminders, retention and housekeeping every hour.
 *  `speedup` (JOB_SPEEDUP, tests only) divides each job's period, lease, time budget and claim time alike, but no
 *  period goes below a second (the job is then sped up less): the point is to watch the jobs run in a test, and
 *  the times of one job keep their proportions, so a claim never runs out before its run's budget. */
export function standardJobs(transport: MailTransport | null, speedup = 1): PeriodicJob[] {
  const job = (name: string, everyMs: number, maxRunMs: number, run: (ctx: Context, at: number, signal: AbortSignal, scale: (ms: number) => number) => Promise<unknown>): PeriodicJob => {
    const k = Math.min(speedup, everyMs / SECOND);
    const scale = (ms: number) => Math.round(ms / k);
    // A lease that holds for at least a period, so a run slowed by a busy test machine is not started twice.
    return { name, everyMs: scale(everyMs), maxRunMs: Math.max(scale(maxRunMs), scale(everyMs)), run: (ctx, at, signal) => run(ctx, at, signal, scale) };
  };
  return [
    job("outbox", MINUTE, 5 * MINUTE, async (ctx, at, signal, scale) => {
      const sent = await sendPending(ctx, transport, at, { budgetMs: scale(2 * MINUTE), claimMs: scale(CLAIM_MS), signal });
      await purgeFinished(ctx.db, iso(at - OUTBOX_KEEP_MS));
      return sent;
    }),
    job("deadline-reminders", HOUR, 15 * MINUTE, (ctx, at) => runDeadlineReminders(ctx, at)),
    // Hourly, so a destruction date is met on its day whatever time the instance started; a run with nothing due is one query.
    job("retention", HOUR, 30 * MINUTE, (ctx, at) => runRetention(ctx, at)),
    job("advisor-notes-retention", HOUR, 30 * MINUTE, (ctx, at) => runNotesRetention(ctx, at)),
    // Expired sessions, stale throttles, mailbox sessions and unsent uploads. Idempotent, but once an hour is enough.
    job("housekeeping", HOUR, 15 * MINUTE, async (ctx, at) => {
      const r = await runHousekeeping(ctx, at);
      if (r.sessions || r.throttles || r.mailboxes || r.uploads) ctx.log.info(r, "housekeeping");
      return r;
    }),
  ];
}
