import { z } from "zod";
import type { Context } from "../context.ts";
import type { Db, Trx } from "../db/database.ts";
import type { OutboxTable } from "../db/schema.ts";
import { open, seal } from "../crypto/seal.ts";
import { newId, now } from "../crypto/tokens.ts";
import type { Locale } from "../ui/messages.ts";
import { checkParams, type TemplateName, type TemplateParams } from "./templates.ts";

// The transactional outbox: a mail is a row written in the same transaction as the change it reports, so
// the two commit together or not at all. The sender (sender.ts) delivers the rows later. The address is
// sealed with the instance key, so a reader of the database cannot see who reported or who handles what.

export type OutboxKind = "mailbox" | "reminder";

export type NewMail<T extends TemplateName> = {
  kind: OutboxKind;
  organisationId: string | null;
  to: string;
  locale: Locale;
  template: T;
  params: TemplateParams<T>;
};

const address = z.string().trim().max(254).pipe(z.email());
/** Whether enqueue will take this address (callers skip a bad one rather than fail their transaction). */
export const isMailAddress = (v: unknown): v is string => address.safeParse(v).success;
const aad = (id: string) => `outbox:${id}`;

/** Queues one e-mail inside the caller's transaction; returns the outbox id. */
export async function enqueue<T extends TemplateName>(ctx: Pick<Context, "masterKey">, trx: Trx, mail: NewMail<T>): Promise<string> {
  const to = address.parse(mail.to);
  // Only what the template's schema allows goes into the table (no content, no names).
  const params = checkParams(mail.template, mail.params);
  const id = newId();
  const at = now();
  await trx.insertInto("outbox").values({
    id, kind: mail.kind, organisation_id: mail.organisationId, recipient_sealed: seal(ctx.masterKey, to, aad(id)),
    locale: mail.locale, template: mail.template, params: JSON.stringify(params), status: "pending", attempts: 0,
    next_attempt_at: at, last_error: null, created_at: at, sent_at: null,
  }).execute();
  return id;
}

/** The address of an outbox row (only the sender opens it). */
export function recipientOf(ctx: Pick<Context, "masterKey">, row: Pick<OutboxTable, "id" | "recipient_sealed">): string {
  if (!row.recipient_sealed) throw new Error(`Outbox ${row.id} has no recipient`);
  return open(ctx.masterKey, row.recipient_sealed, aad(row.id)).toString("utf8");
}

// ---- repository --------------------------------------------------------------------------------------

type Q = Db | Trx;

/** Ids of rows that are due: pending ones whose time has come, and claims that ran out (a sender died mid-send). */
export const dueIds = (db: Q, atIso: string, limit: number) =>
  db.selectFrom("outbox").select("id")
    .where("status", "in", ["pending", "sending"]).where("next_attempt_at", "<=", atIso)
    .orderBy("next_attempt_at").orderBy("id").limit(limit).execute();

/** Claims one row for one sender: true for exactly one of any number of concurrent callers. The claim
 *  holds until `claimUntil`; a sender that dies leaves it to run out, and the row is due again. */
export async function claim(db: Q, id: string, atIso: string, claimUntil: string): Promise<boolean> {
  const r = await db.updateTable("outbox")
    .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), next_attempt_at: claimUntil }))
    .where("id", "=", id).where("status", "in", ["pending", "sending"]).where("next_attempt_at", "<=", atIso)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const findRow = (db: Q, id: string) => db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();

// The marks below apply only to the claim the caller holds (same attempt number, still "sending"): a sender
// whose claim ran out and was taken over cannot overwrite the newer attempt.

/** Sent: the address is no longer needed and is removed. */
export const markSent = (db: Q, id: string, attempt: number, atIso: string) =>
  db.updateTable("outbox").set({ status: "sent", sent_at: atIso, recipient_sealed: null, last_error: null })
    .where("id", "=", id).where("status", "=", "sending").where("attempts", "=", attempt).execute();

export const markRetry = (db: Q, id: string, attempt: number, nextIso: string, error: string) =>
  db.updateTable("outbox").set({ status: "pending", next_attempt_at: nextIso, last_error: error })
    .where("id", "=", id).where("status", "=", "sending").where("attempts", "=", attempt).execute();

export const markFailed = (db: Q, id: string, attempt: number, error: string) =>
  db.updateTable("outbox").set({ status: "failed", last_error: error })
    .where("id", "=", id).where("status", "=", "sending").where("attempts", "=", attempt).execute();

/** Sent and failed rows older than the cut-off go; the counts per status are all an operator needs after that. */
export const purgeFinished = (db: Q, beforeIso: string) =>
  db.deleteFrom("outbox").where("status", "in", ["sent", "failed"]).where("created_at", "<", beforeIso).executeTakeFirst();

export async function countByStatus(db: Q): Promise<Record<string, number>> {
  const rows = await db.selectFrom("outbox").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
