import type { Permission } from "../access/permissions.ts";
import { isRole, roleHas } from "../access/permissions.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Db } from "../db/database.ts";
import type { ReportsTable } from "../db/schema.ts";
import { enqueue, isMailAddress } from "../notify/outbox.ts";
import { exclusionTag } from "../reports/intake.ts";
import { addDays, deadlineState, today, DUE_SOON_DAYS } from "../reports/deadlines.ts";
import type { Locale } from "../ui/messages.ts";
import * as repo from "./reminders-repository.ts";

// Deadline reminders for handlers: an open case whose acknowledgement (7 days) or feedback (3 months) is
// due within DUE_SOON_DAYS gets one reminder per deadline and due date, and one more when it is overdue.
// reminders_sent records each, in the same transaction as the mails, so a reminder goes out once however
// often (and on however many instances) the job runs. Recipients are exactly those who can see the case:
// the assigned coordinator, or else every coordinator of the organisation (or of a group containing it);
// for a case routed to the alternative recipient, only that account. Nobody the case excludes.

type Deadline = "acknowledgement" | "feedback";
type Candidate = Pick<ReportsTable, "id" | "organisation_id" | "reference" | "routing" | "coordinator_account_id" | "alternative_account_id">;
type Recipient = { id: string; email: string; locale: Locale };


/** Queues the reminders that are due; returns how many mails were queued. */
export async function runDeadlineReminders(ctx: Context, at: number = Date.now()): Promise<{ reminders: number; mails: number }> {
  const day = today(new Date(at));
  const soon = addDays(day, DUE_SOON_DAYS);
  const [ack, feedback] = await Promise.all([repo.acknowledgementsDue(ctx.db, soon), repo.feedbackDue(ctx.db, soon)]);
  const due: { report: Candidate; deadline: Deadline; dueOn: string }[] = [
    ...ack.map((r) => ({ report: r, deadline: "acknowledgement" as const, dueOn: r.ack_due_on })),
    ...feedback.map((r) => ({ report: r, deadline: "feedback" as const, dueOn: r.feedback_due_on! })),
  ];
  let reminders = 0, mails = 0;
  for (const d of due) {
    try {
      const queued = await remind(ctx, d, day);
      if (queued) { reminders++; mails += queued; }
    } catch (err) {
      // One case that cannot be reminded (a database hiccup) does not stop the others; the next run tries again.
      ctx.log.error({ reportId: d.report.id, deadline: d.deadline, err }, "deadline reminder failed");
    }
  }
  if (reminders) ctx.log.info({ reminders, mails }, "deadline reminders queued");
  return { reminders, mails };
}

async function remind(ctx: Context, d: { report: Candidate; deadline: Deadline; dueOn: string }, day: string): Promise<number> {
  const state = deadlineState(d.dueOn, null, day);
  if (state !== "overdue" && state !== "dueToday" && state !== "dueSoon") return 0;
  const kind = state === "overdue" ? `${d.deadline}.overdue` : d.deadline;
  if (await repo.alreadySent(ctx.db, d.report.id, kind, d.dueOn)) return 0;
  const recipients = await recipientsOf(ctx, d.report);
  if (!recipients.length) {
    // Not recorded as sent: once someone can handle the case, the next run reminds them.
    ctx.log.warn({ reportId: d.report.id, deadline: d.deadline }, "deadline reminder: nobody can handle this case");
    return 0;
  }
  const organisation = await repo.organisationName(ctx.db, d.report.organisation_id);
  return inTransaction(ctx, async (trx) => {
    if (!(await repo.recordSent(trx, d.report.id, kind, d.dueOn))) return 0;
    for (const r of recipients) {
      await enqueue(ctx, trx, {
        kind: "reminder", organisationId: d.report.organisation_id, to: r.email, locale: r.locale,
        template: d.deadline === "acknowledgement" ? "reminder.acknowledgement" : "reminder.feedback",
        params: {
          organisation: organisation ?? "-", reference: d.report.reference, dueOn: d.dueOn, state,
          url: `${ctx.config.baseUrl}/meldingen/${d.report.id}`,
        },
      });
    }
    return recipients.length;
  });
}

/** Enabled accounts with a whole-organisation grant (organisation scope, or a group containing it) and the
 *  permissions those grants give — the same rule the case list uses to decide who sees a case. */
async function wholeOrganisationStaff(db: Db, organisationId: string): Promise<Map<string, Recipient & { permissions: Set<Permission> }>> {
  const rows = await repo.wholeOrganisationGrants(db, organisationId);
  const staff = new Map<string, Recipient & { permissions: Set<Permission> }>();
  for (const r of rows) {
    if (!isRole(r.role)) continue;
    const s = staff.get(r.id) ?? { id: r.id, email: r.email, locale: r.locale === "en" ? "en" : "nl", permissions: new Set<Permission>() };
    for (const p of ["report.list", "report.handle"] as const) if (roleHas(r.role, p)) s.permissions.add(p);
    staff.set(r.id, s);
  }
  return staff;
}

async function recipientsOf(ctx: Context, report: Candidate): Promise<Recipient[]> {
  // An account the case excludes (someone involved) never learns that it exists.
  const excluded = new Set(await repo.exclusionTagsOf(ctx.db, report.id));
  const staff = [...(await wholeOrganisationStaff(ctx.db, report.organisation_id)).values()]
    .filter((s) => !excluded.has(exclusionTag(ctx, s.id)));
  let chosen: typeof staff;
  if (report.routing === "alternative") {
    chosen = staff.filter((s) => s.id === report.alternative_account_id && s.permissions.has("report.handle"));
  } else {
    const desk = staff.filter((s) => s.permissions.has("report.list") && s.permissions.has("report.handle"));
    const assigned = desk.filter((s) => s.id === report.coordinator_account_id);
    chosen = assigned.length ? assigned : desk;
  }
  return chosen.filter((r) => isMailAddress(r.email)).map(({ id, email, locale }) => ({ id, email, locale }));
}
