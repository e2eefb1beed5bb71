import { systemActor } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import { today } from "../reports/deadlines.ts";
import * as repo from "./repository.ts";

// The advisor's notes are for the advisor's memory while a contact runs, not an archive (issue 4): a
// configurable time after closing (advisor_settings.notes_retention_months, default 12) the notes and the
// key that opened them are deleted; the contact's counts stay for the yearly report. One transaction and
// one audit event per contact; the audit event says only that it happened.

export async function runNotesRetention(ctx: Context, at: number = Date.now(), limit = 500): Promise<{ destroyed: number }> {
  const day = today(new Date(at));
  const due = await repo.notesDueForDestruction(ctx.db, day, limit);
  let destroyed = 0;
  for (const c of due) {
    await inTransaction(ctx, async (trx) => {
      // Re-check inside the transaction: only a contact still closed and not yet destroyed.
      if (!(await repo.markNotesDestroyed(trx, c.id, day, now()))) return;
      await repo.destroyNotes(trx, c.id);
      await audit.record(ctx, trx, {
        actor: systemActor("retention"), action: "advisorContact.destroyNotes", objectType: "advisorContact", objectId: c.id,
        organisationId: c.organisation_id, details: {},
      });
      destroyed++;
    });
  }
  return { destroyed };
}
