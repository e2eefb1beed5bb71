import { systemActor } from "../access/actor.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import { addMonths, today } from "../reports/deadlines.ts";
import { accountsWithRoles } from "../reports/repository.ts";
import * as repo from "./repository.ts";
import { unattributed } from "./service.ts";
import * as audit from "../audit/service.ts";

// The advisor's notes are for the advisor's memory while a contact runs, not an archive (issue 4): a
// configurable time after closing (advisor_settings.notes_retention_months, default 12) the notes and the
// key that opened them are deleted; the contact's counts stay for the yearly report. One transaction and
// one audit event per contact; the audit event says only that it happened.
//
// A contact nobody can close any more — its advisor and successor no longer hold the advisor role for its
// organisation (they left, or the role was taken away) — would keep its notes for ever. The same job closes
// such a contact, which starts the clock as if the advisor had closed it that day.

const RETENTION = systemActor("retention");

export async function runNotesRetention(ctx: Context, at: number = Date.now(), limit = 500): Promise<{ destroyed: number; closed: number }> {
  const day = today(new Date(at));
  const closed = await closeOrphans(ctx, day, limit);
  const due = await repo.notesDueForDestruction(ctx.db, day, limit);
  let destroyed = 0;
  for (const c of due) {
    await inTransaction(ctx, async (trx) => {
      // Re-check inside the transaction: only a contact still closed and not yet destroyed.
      if (!(await repo.markNotesDestroyed(trx, c.id, day, now()))) return;
      await repo.destroyNotes(trx, c.id);
      await audit.record(ctx, trx, { actor: RETENTION, action: "advisorContact.destroyNotes", objectType: "advisorContact", ...unattributed(c.id) });
      destroyed++;
    });
  }
  return { destroyed, closed };
}

async function closeOrphans(ctx: Context, day: string, limit: number): Promise<number> {
  let closed = 0;
  for (const organisationId of await repo.organisationsWithOpenContacts(ctx.db)) {
    const advisors = [...new Set((await accountsWithRoles(ctx.db, [organisationId], ["advisor"])).map((a) => a.id))];
    const orphans = await repo.orphanedOpenContacts(ctx.db, organisationId, advisors, limit);
    if (!orphans.length) continue;
    const months = (await repo.findSettings(ctx.db, organisationId))?.notes_retention_months ?? 12;
    for (const c of orphans) {
      await inTransaction(ctx, async (trx) => {
        const patch = { status: "closed", closed_on: day, notes_destroy_on: addMonths(day, months), updated_at: now() };
        if (!(await repo.updateContactIf(trx, c.id, undefined, patch, { status: "open" }))) return;
        await audit.record(ctx, trx, { actor: RETENTION, action: "advisorContact.closeOrphaned", objectType: "advisorContact", ...unattributed(c.id) });
        closed++;
      });
    }
  }
  return closed;
}
