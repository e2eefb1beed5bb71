import type { Actor } from "../access/actor.ts";
import type { Context } from "../context.ts";
import { NotFound } from "../http/errors.ts";
import { localDate } from "./deadlines.ts";
import { addFromReporter, type AttachmentInfo, type IncomingFile } from "./attachments/service.ts";
import { accountTag, readMailbox, replyInMailbox, type Mailbox } from "./intake.ts";
import * as repo from "./repository.ts";
import type { Status } from "./workflow.ts";

// "Mijn meldingen": the reports an employee made while signed in (open or confidential, no receipt). A report
// knows its reporter only as reports.reporter_tag, an HMAC of the account id under the instance key, so the
// database does not say who reported. The reporter sees exactly what the receipt mailbox shows (intake.ts
// readMailbox): the status in words, the dates and the messages both ways; never notes or internal steps.
// A report of someone else is NotFound, exactly like one that does not exist.

export type MyReport = {
  id: string; reference: string; organisationName: string; mode: string; status: Status;
  receivedOn: string; ackDueOn: string; acknowledgedOn: string | null; feedbackDueOn: string | null; feedbackGivenOn: string | null; closedOn: string | null;
};

/** The reports this account made, newest first, in every organisation (also one it no longer works for). */
export async function listMyReports(ctx: Context, actor: Actor): Promise<MyReport[]> {
  const rows = await repo.listByReporterTag(ctx.db, accountTag(ctx, actor.accountId));
  return rows.map((r) => ({
    id: r.id, reference: r.reference, organisationName: r.organisation_name, mode: r.mode, status: r.status as Status,
    receivedOn: localDate(r.received_at), ackDueOn: r.ack_due_on, acknowledgedOn: r.acknowledged_at ? localDate(r.acknowledged_at) : null,
    feedbackDueOn: r.feedback_due_on, feedbackGivenOn: r.feedback_given_at ? localDate(r.feedback_given_at) : null,
    closedOn: r.closed_at ? localDate(r.closed_at) : null,
  }));
}

/** The id of a report this account made; NotFound for any other, whether it exists or not. */
export async function myReportId(ctx: Context, actor: Actor, reportId: string): Promise<string> {
  const found = await repo.findByReporterTag(ctx.db, reportId, accountTag(ctx, actor.accountId));
  if (!found) throw new NotFound();
  return found.id;
}

/** One of my reports as its reporter sees it (the mailbox's view). */
export async function readMyReport(ctx: Context, actor: Actor, reportId: string): Promise<Mailbox> {
  return readMailbox(ctx, await myReportId(ctx, actor, reportId));
}

/** A message to the desk about one of my reports (as in the mailbox: from "the reporter", never naming the account). */
export async function replyToMyReport(ctx: Context, actor: Actor, reportId: string, raw: unknown): Promise<void> {
  await replyInMailbox(ctx, await myReportId(ctx, actor, reportId), raw);
}

/** A file for the desk about one of my reports (cleaned and attached at once, as from the mailbox). */
export async function addFileToMyReport(ctx: Context, actor: Actor, reportId: string, file: IncomingFile): Promise<AttachmentInfo> {
  return addFromReporter(ctx, await myReportId(ctx, actor, reportId), file);
}
