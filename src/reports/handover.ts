import type { Actor } from "../access/actor.ts";
import { auditActorOf } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import * as authRepo from "../auth/repository.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import { Conflict, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import { enqueue } from "../notify/outbox.ts";
import * as orgRepo from "../organisations/repository.ts";
import { addEntry, caseKey } from "./entries.ts";
import { exclusionTag } from "./intake.ts";
import * as repo from "./repository.ts";
import { handOverSchema } from "./schema.ts";
import { loadCase, may } from "./service.ts";

// A report can turn out to be about someone who handles reports — the reporter did not say so, or it came
// in by phone. Then any coordinator of the desk hands it over to the organisation's alternative recipient
// (the settings page), and from that moment only that recipient sees it, exactly as if the reporter had
// said so on the form (Wbk: a report must not reach the person it is about). The step cannot be undone by
// the desk: handing back is not offered, so a handler who is the subject cannot pull the case back. The recipient
// cannot hand a case to themself (another coordinator must), and the assigned investigator leaves the case.
// The timeline and the audit trail record who handed it over, to whom, and why; the recipient gets an
// e-mail that says only that a report was handed to them (reference and link, no content).

export type HandOverResult = { recipientName: string; stillVisible: boolean };

export async function handOver(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<HandOverResult> {
  const input = parseInput(handOverSchema, raw);
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  if (report.routing !== "desk") throw new Conflict("already_alternative", "report.handOverAlready");
  // Not by the recipient: otherwise the recipient could, alone, take a report about themself away from the desk.
  const recipientFor = async (db: Parameters<typeof repo.findSettings>[0]) => {
    const recipientId = (await repo.findSettings(db, report.organisation_id))?.alternative_account_id ?? null;
    if (recipientId === actor.accountId) throw new Conflict("recipient_is_actor", "report.handOverSelf");
    const coordinators = await repo.accountsWithRoles(db, [report.organisation_id], ["coordinator"]);
    if (!recipientId || !coordinators.some((c) => c.id === recipientId)) throw new Conflict("no_alternative", "report.handOverNoRecipient");
    // Someone excluded from the case (named as involved) can never be its recipient.
    if (await repo.isExcluded(db, id, exclusionTag(ctx, recipientId))) throw new Conflict("recipient_excluded", "report.handOverRecipientExcluded");
    return recipientId;
  };
  await recipientFor(ctx.db); // a clear answer before anything is locked
  const organisation = await orgRepo.findOrganisation(ctx.db, [report.organisation_id], report.organisation_id);
  const recipientId = await inTransaction(ctx, async (trx) => {
    // The row first (a lock on PostgreSQL, the single writer on SQLite), then the checks again inside the transaction, so an
    // exclusion or a settings change that lands meanwhile is seen. The investigator leaves the case with the desk: after a
    // handover only the recipient sees it (they may assign an investigator again).
    const patch = { routing: "alternative", updated_at: now(), investigator_account_id: null };
    if (!(await repo.updateReportIf(trx, id, { routing: "desk", version: input.version }, patch))) {
      throw new Conflict("changed_meanwhile", "report.changedMeanwhile");
    }
    const chosen = await recipientFor(trx);
    await repo.updateReportIf(trx, id, {}, { alternative_account_id: chosen, coordinator_account_id: chosen });
    await addEntry(trx, await caseKey(ctx, trx, id), {
      reportId: id, kind: "handover", author: { type: "account", id: actor.accountId },
      meta: { accountId: chosen, ...(report.investigator_account_id ? { previousInvestigatorId: report.investigator_account_id } : {}) },
      sealed: { reason: input.reason },
    });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.handOver", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference, accountId: chosen, ...(report.investigator_account_id ? { investigatorRemoved: report.investigator_account_id } : {}) },
    });
    const recipient = (await authRepo.findAccount(trx, chosen))!;
    if (!recipient.disabled) {
      await enqueue(ctx, trx, {
        kind: "reminder", organisationId: report.organisation_id, to: recipient.email, locale: recipient.locale === "en" ? "en" : "nl",
        template: "case.handedOver",
        params: { organisation: organisation?.name ?? "-", reference: report.reference, url: `${ctx.config.baseUrl}/meldingen/${id}` },
      });
    }
    return chosen;
  });
  const name = (await repo.accountNames(ctx.db, [recipientId])).get(recipientId) ?? "";
  return { recipientName: name, stillVisible: false };
}
