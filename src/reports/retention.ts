import { systemActor } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import { addYears, localDate, today } from "./deadlines.ts";
import { destroyForReport } from "./attachments/service.ts";
import * as repo from "./repository.ts";

// Retention (AVG minimisation, SECURITY.md control 10): a closed case keeps its content for the
// organisation's retention period (report_settings.retention_years, default 5) after closure. Then the
// daily job destroys everything a person wrote — the sealed entries, the case key that could open them,
// the attachments, the receipt and the mailbox — and keeps only the metadata the statistics count
// (dates, category, kind, channel, mode, status history, decision, findings and measures as codes).

/** Cases whose content will be destroyed within this many days carry a warning in the inbox and on the case page. */
export const RETENTION_WARNING_DAYS = 30;

/** The date on which a case closed at `closedAt` loses its content. */
export function retainUntil(closedAt: string, retentionYears: number): string {
  return addYears(localDate(closedAt), retentionYears);
}

/** Destroys the content of every closed case whose retention date has passed; one transaction and one audit event per case. */
export async function runRetention(ctx: Context, at: number = Date.now(), limit = 500): Promise<{ destroyed: number }> {
  const day = today(new Date(at));
  const due = await repo.dueForDestruction(ctx.db, day, limit);
  let destroyed = 0;
  for (const r of due) {
    await inTransaction(ctx, async (trx) => {
      // Re-check inside the transaction: a reopened case (retain_until cleared) is never destroyed.
      if (!(await repo.markDestroyed(trx, r.id, day, now()))) return;
      await repo.destroyContent(trx, r.id);
      await destroyForReport(trx, r.id);
      await audit.record(ctx, trx, {
        actor: systemActor("retention"), action: "report.destroy", objectType: "report", objectId: r.id, organisationId: r.organisation_id,
        details: { reference: r.reference, retainUntil: r.retain_until },
      });
      destroyed++;
    });
  }
  return { destroyed };
}
