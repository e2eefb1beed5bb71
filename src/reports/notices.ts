import type { Context } from "../context.ts";
import type { Trx } from "../db/database.ts";
import type { ReportsTable } from "../db/schema.ts";
import { enqueue, isMailAddress } from "../notify/outbox.ts";
import type { Locale } from "../ui/messages.ts";
import * as orgRepo from "../organisations/repository.ts";
import { openEntries } from "./entries.ts";
import * as repo from "./repository.ts";

// "There is a new message in your mailbox": for a reporter who left an address for notices. Called in the
// transaction that writes the desk's message, so the message and its notice commit together or not at all.
// The mail says only that there is something to read and where: never the message, never the report. An
// anonymous reporter's mail carries no reference either, so nothing in their inbox ties them to a case.

/** Queues the notice when the case has a notice address; returns whether it did. */
export async function noticeReporter(ctx: Context, trx: Trx, report: ReportsTable, key: Buffer): Promise<boolean> {
  const rows = await repo.latestEntryOfKind(trx, report.id, "notice");
  const notice = openEntries(key, rows, new Set(["notice"]))[0]?.sealed as { email?: string } | undefined;
  if (!notice?.email) return false;
  // The intake checked the address; should it not pass now, the desk's message still goes through.
  if (!isMailAddress(notice.email)) {
    ctx.log.warn({ reportId: report.id }, "notice address not usable; no notice queued");
    return false;
  }
  const organisation = (await orgRepo.findOrganisation(trx, [report.organisation_id], report.organisation_id))!;
  // A receipt opens the mailbox on the public page; a reporter with an account reads it after signing in.
  const viaReceipt = !!report.receipt_hash;
  await enqueue(ctx, trx, {
    kind: "mailbox", organisationId: report.organisation_id, to: notice.email, locale: (report.locale === "en" ? "en" : "nl") satisfies Locale,
    template: "mailbox.newMessage",
    params: {
      organisation: organisation.name, via: viaReceipt ? "receipt" : "account",
      url: viaReceipt ? `${ctx.config.baseUrl}/melden/${organisation.slug}/postbus` : `${ctx.config.baseUrl}/`,
      ...(report.mode !== "anonymous" ? { reference: report.reference } : {}),
    },
  });
  return true;
}
