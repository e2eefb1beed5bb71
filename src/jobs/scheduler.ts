import type { Context } from "../context.ts";
import type { MailTransport } from "../notify/mailer.ts";
import { purgeFinished } from "../notify/outbox.ts";
import { sendPending } from "../notify/sender.ts";
import { runNotesRetention } from "../advisors/retention.ts";
import { runRetention } from "../reports/retention.ts";
import { runDeadlineReminders } from "./deadlines.ts";
import { PROCESS_HOLDER, acquireLease, holdLeaseUntil, releaseLease } from "./lease.ts";

// One periodic runner for the jobs that must run once per period across all instances (the outbox, the
// deadline reminders). Each run takes the job's lease first (lease.ts); an instance that does not get it
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
/** A little less than a period, so the holder's own next tick never finds its lease still running. */
const SLACK_MS = 5_000;

export type RunOutcome = { ran: false } | { ran: true; result: unknown };

/** One run of a job under its lease; `{ ran: false }` when another holder has it. Errors of the job propagate. */
export async function runJobOnce(ctx: Context, job: PeriodicJob, holder: string = PROCESS_HOLDER, at: number = Date.now(),
  signal: AbortSignal = new AbortController().signal): Promise<RunOutcome> {
  if (!(await acquireLease(ctx.db, job.name, holder, iso(at), iso(at + job.maxRunMs)))) return { ran: false };
  try {
    return { ran: true, result: await job.run(ctx, at, signal) };
  } finally {
    await holdLeaseUntil(ctx.db, job.name, holder, iso(Math.max(Date.now(), at + job.everyMs - SLACK_MS)))
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
      const p = runJobOnce(ctx, job, holder, Date.now(), stopping.signal).then(
        (r) => { if (r.ran) ctx.log.debug({ job: job.name, result: r.result }, "periodic job ran"); },
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Sent and failed outbox rows are kept this long (for the operator's counts), then deleted. */
export const OUTBOX_KEEP_MS = 30 * 24 * HOUR;

/** The jobs `serve` runs: the outbox every minute, the deadline reminders every hour. */
export function standardJobs(transport: MailTransport | null): PeriodicJob[] {
  return [
    {
      name: "outbox", everyMs: MINUTE, maxRunMs: 5 * MINUTE,
      run: async (ctx, at, signal) => {
        const sent = await sendPending(ctx, transport, at, { budgetMs: 2 * MINUTE, signal });
        await purgeFinished(ctx.db, iso(at - OUTBOX_KEEP_MS));
        return sent;
      },
    },
    { name: "deadline-reminders", everyMs: HOUR, maxRunMs: 15 * MINUTE, run: (ctx, at) => runDeadlineReminders(ctx, at) },
    // Hourly, so a destruction date is met on its day whatever time the instance started; a run with nothing due is one query.
    { name: "retention", everyMs: HOUR, maxRunMs: 30 * MINUTE, run: (ctx, at) => runRetention(ctx, at) },
    { name: "advisor-notes-retention", everyMs: HOUR, maxRunMs: 30 * MINUTE, run: (ctx, at) => runNotesRetention(ctx, at) },
  ];
}
