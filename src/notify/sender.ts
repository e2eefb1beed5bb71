import type { Context } from "../context.ts";
import type { Locale } from "../ui/messages.ts";
import type { MailTransport } from "./mailer.ts";
import * as outbox from "./outbox.ts";
import { render } from "./templates.ts";

// Delivers the outbox. Every row is claimed before it is sent (one conditional UPDATE), so any number of
// senders at once — two timers, two instances — send each row once. A failure is retried with backoff:
// 1, 5 and 30 minutes, then hourly; after MAX_ATTEMPTS, or at once when the server refuses the message
// for good (5xx), the row is failed. Logs name the outbox id and an error code, never an address or a body.

export const BATCH_SIZE = 20;
export const MAX_ATTEMPTS = 10;
/** How long a claim holds: a sender that dies mid-send leaves the row due again after this. */
export const CLAIM_MS = 10 * 60_000;
const BACKOFF_MINUTES = [1, 5, 30];
const MINUTE = 60_000;

/** Minutes until the next try after the given (1-based) failed attempt. */
export const backoffMinutes = (attempt: number) => BACKOFF_MINUTES[attempt - 1] ?? 60;

export type SendResult = { sent: number; retried: number; failed: number };

/** Errors that say the server (not this message) is the problem: the run stops, and the other rows keep
 *  their attempts for when the server is back. */
const SERVER_DOWN = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "EAUTH", "ETLS", "EPROTOCOL", "ECONNREFUSED"]);

const warnedUnconfigured = new WeakSet<object>();

/** A short error description for the table and the log: nodemailer's code and the SMTP reply code. The
 *  error message is left out on purpose: SMTP replies often repeat the recipient's address. */
export function errorCode(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  const code = typeof e.code === "string" && /^[A-Z][A-Z0-9_]{0,31}$/.test(e.code) ? e.code : "ERROR";
  const reply = typeof e.responseCode === "number" && Number.isInteger(e.responseCode) ? ` ${e.responseCode}` : "";
  return `${code}${reply}`;
}

/** Sends the due rows in small batches until none are left, the server is down, or the time budget is spent. */
export async function sendPending(ctx: Context, transport: MailTransport | null, at: number = Date.now(),
  opts: { maxBatches?: number; budgetMs?: number; claimMs?: number; signal?: AbortSignal } = {}): Promise<SendResult> {
  const result: SendResult = { sent: 0, retried: 0, failed: 0 };
  if (!transport) {
    if (!warnedUnconfigured.has(ctx)) {
      warnedUnconfigured.add(ctx);
      ctx.log.warn("e-mail is not configured (SMTP_URL is unset): the outbox keeps its messages until it is");
    }
    return result;
  }
  const atIso = new Date(at).toISOString();
  const maxBatches = opts.maxBatches ?? 50;
  const stopAt = Date.now() + (opts.budgetMs ?? 2 * MINUTE);
  const claimUntil = new Date(at + (opts.claimMs ?? CLAIM_MS)).toISOString();
  for (let batch = 0; batch < maxBatches; batch++) {
    const due = await outbox.dueIds(ctx.db, atIso, BATCH_SIZE);
    if (!due.length) break;
    let claimedAny = false;
    for (const { id } of due) {
      // Out of time, or shutting down: stop before claiming, so no row is left half-sent.
      if (Date.now() > stopAt || opts.signal?.aborted) return result;
      if (!(await outbox.claim(ctx.db, id, atIso, claimUntil))) continue;
      claimedAny = true;
      if ((await sendOne(ctx, transport, id, at, result)) === "serverDown") return result;
    }
    // Everything in this batch went to another sender: it is working through the same rows.
    if (!claimedAny) break;
  }
  return result;
}

async function sendOne(ctx: Context, transport: MailTransport, id: string, at: number, result: SendResult): Promise<"done" | "serverDown"> {
  const row = await outbox.findRow(ctx.db, id);
  if (!row || row.status !== "sending") return "done";
  const attempt = Number(row.attempts);
  let mail: { to: string; subject: string; text: string };
  try {
    const { subject, text } = render(row.template, row.locale as Locale, JSON.parse(row.params));
    mail = { to: outbox.recipientOf(ctx, row), subject, text };
  } catch {
    // A row that cannot be rendered or opened will not get better by waiting.
    await outbox.markFailed(ctx.db, id, attempt, "ETEMPLATE");
    ctx.log.error({ outboxId: id, code: "ETEMPLATE" }, "e-mail cannot be composed; marked failed");
    result.failed++;
    return "done";
  }
  try {
    await transport.sendMail({ from: ctx.config.mailFrom, ...mail, disableFileAccess: true, disableUrlAccess: true });
  } catch (err) {
    const code = errorCode(err);
    const serverDown = SERVER_DOWN.has(code.split(" ")[0]!);
    // A 5xx reply to this message (an unknown mailbox, say) will not change; a refused login will, once fixed.
    const permanent = !serverDown && (err as { permanent?: unknown }).permanent === true;
    if (permanent || attempt >= MAX_ATTEMPTS) {
      await outbox.markFailed(ctx.db, id, attempt, code);
      ctx.log.error({ outboxId: id, code, attempt }, "e-mail not sent; giving up");
      result.failed++;
    } else {
      const next = new Date(at + backoffMinutes(attempt) * MINUTE).toISOString();
      await outbox.markRetry(ctx.db, id, attempt, next, code);
      ctx.log.warn({ outboxId: id, code, attempt, nextAttemptAt: next }, "e-mail not sent; will retry");
      result.retried++;
    }
    return serverDown ? "serverDown" : "done";
  }
  await outbox.markSent(ctx.db, id, attempt, new Date(at).toISOString());
  ctx.log.info({ outboxId: id, kind: row.kind, attempt }, "e-mail sent");
  result.sent++;
  return "done";
}
