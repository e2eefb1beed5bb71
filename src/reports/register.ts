import { DateTime } from "luxon";
import { z } from "zod";
import type { Actor } from "../access/actor.ts";
import { auditActorOf, canForWholeOrganisation } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { now } from "../crypto/tokens.ts";
import type { ReportCategoriesTable, UnitsTable } from "../db/schema.ts";
import { Conflict, Forbidden, Invalid, NotFound, type FieldErrors } from "../http/errors.ts";
import { fieldErrors, parseInput } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import type { MessageKey } from "../ui/messages.ts";
import { today, ZONE } from "./deadlines.ts";
import { addEntry, caseKey } from "./entries.ts";
import { ensureSettings, insertReport, intakeTarget, newReceipt, receiptHash, type Submitted } from "./intake.ts";
import { lockMinutes, setMinutesState, versionSchema } from "./minutes.ts";
import { noticeReporter } from "./notices.ts";
import { LIMITS, reportInputSchema } from "./schema.ts";
import { loadCase, may } from "./service.ts";
import { CHANNELS, type Channel, type Kind, type Mode } from "./workflow.ts";

// A report that reached the desk another way (phone, e-mail, letter, a conversation, a manager, a
// confidential advisor, an own signal, an external desk) is registered by a coordinator with the same
// answers as the public intake, through the same insert (intake.ts `insertReport`): one report row, one
// case key, sealed entries, one audit event. What differs: the statutory clock starts on the day the
// report came in, an oral report is recorded as minutes the reporter may check (minutes.ts), and a
// receipt is given only where the desk can hand it over.

/** Every channel but the public web form (that one is the intake itself). */
export const REGISTER_CHANNELS = CHANNELS.filter((c): c is Exclude<Channel, "web"> => c !== "web");
/** Oral reports: the description is recorded as minutes (EU directive 2019/1937 art. 18). */
export const ORAL_CHANNELS: readonly Channel[] = ["phone", "in_person"];
/** Where the desk can hand a report code over, to a reporter it cannot reach otherwise: spoken, or in a letter back. */
export const RECEIPT_CHANNELS: readonly Channel[] = ["phone", "in_person", "letter"];
export const RECEIPT_MODES: readonly Mode[] = ["anonymous", "confidential"];

const checkbox = z.union([z.literal("1"), z.literal(true), z.literal(""), z.literal(false)]).optional().transform((v) => v === "1" || v === true);

/** What registering adds to the intake's answers. */
export const registerSchema = z.object({
  channel: z.enum(REGISTER_CHANNELS, { error: "register.channelRequired" }),
  receivedOn: z.string({ error: "register.receivedOnRequired" }).trim().min(1, { error: "register.receivedOnRequired" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "field.date" }).refine((v) => DateTime.fromISO(v, { zone: ZONE }).isValid, { error: "field.date" }),
  /** The language the reporter gets the acknowledgement in. */
  locale: z.enum(["nl", "en"]).optional().default("nl"),
  /** Give the reporter a report code (and so a mailbox). */
  receipt: checkbox,
  /** Channel "advisor": the visitor agreed that the confidential advisor passes the report on. */
  consent: checkbox,
});

/** The intake's words are addressed to the reporter ("Vul uw naam in."); on the desk's form they speak about the reporter. */
const STAFF_WORDS: Partial<Record<MessageKey, MessageKey>> = {
  "report.nameRequired": "register.nameRequired",
  "report.categoryRequired": "register.categoryRequired",
  "report.modeRequired": "register.modeRequired",
  "report.descriptionRequired": "register.descriptionRequired",
};

/** The instant a report counts as received: now when it came in today, otherwise noon (Amsterdam) of that day — a
 *  time that is on that day in every season, so the day, the reference year and the 7-day clock all follow from it. */
export function receivedAtFor(receivedOn: string, day = today()): string {
  if (receivedOn === day) return now();
  return new Date(DateTime.fromISO(receivedOn, { zone: ZONE }).set({ hour: 12 }).toMillis()).toISOString();
}

/** Whether the actor may register reports in their active organisation (for the links to the form). */
export const mayRegister = (actor: Actor): boolean =>
  !!actor.activeOrganisationId && canForWholeOrganisation(actor, "report.handle", actor.activeOrganisationId);

export type RegisterForm = {
  organisation: { id: string; name: string; slug: string };
  categories: ReportCategoriesTable[];
  units: UnitsTable[];
  hasAlternativeRecipient: boolean;
  today: string;
};

async function target(ctx: Context, actor: Actor, organisationId: string) {
  if (!canForWholeOrganisation(actor, "report.handle", organisationId)) throw new Forbidden();
  const organisation = await orgRepo.findOrganisation(ctx.db, [organisationId], organisationId);
  if (!organisation) throw new NotFound();
  return intakeTarget(ctx, organisation.slug);
}

/** What the form offers: the organisation's active categories, its units and whether reports about handlers have a recipient. */
export async function registerForm(ctx: Context, actor: Actor, organisationId: string): Promise<RegisterForm> {
  const t = await target(ctx, actor, organisationId);
  return {
    organisation: t.organisation, categories: t.categories, units: await orgRepo.listUnits(ctx.db, organisationId),
    hasAlternativeRecipient: t.hasAlternativeRecipient, today: today(),
  };
}

export type Registered = Submitted & {
  /** Whether the registering coordinator can open the case (not when it went to the alternative recipient). */
  visible: boolean;
  minutes: boolean;
  /** For the mailbox address the desk passes on with the receipt. */
  organisationSlug: string;
};

/** Registers a report that came in through another channel. The coordinator needs report.handle for the whole organisation. */
export async function registerReport(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<Registered> {
  const t = await target(ctx, actor, organisationId);
  const { identity, ...body } = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  // An anonymous report carries no name; one typed anyway more likely means the wrong choice than a name to drop.
  const anonymous = body.mode === "anonymous";
  const named = anonymous && identity && typeof identity === "object"
    && ["name", "email", "phone"].some((k) => String((identity as Record<string, unknown>)[k] ?? "").trim());
  const reg = registerSchema.safeParse(body);
  // No notice address: the desk would have to type it, and an anonymous reporter's address is theirs alone.
  const rep = reportInputSchema.safeParse({ ...body, ...(anonymous ? {} : { identity }), noticeEmail: "" });
  const errors: FieldErrors = {
    ...(rep.success ? {} : fieldErrors(rep.error)), ...(reg.success ? {} : fieldErrors(reg.error)),
    ...(named ? { "identity.name": "register.nameWithAnonymous" as const } : {}),
  };
  if (reg.success) {
    const r = reg.data;
    if (r.receivedOn > today()) errors.receivedOn = "register.receivedOnFuture";
    if (r.channel === "advisor" && !r.consent) errors.consent = "register.consentRequired";
    const mode = rep.success ? rep.data.mode : undefined;
    if (r.receipt && !(RECEIPT_CHANNELS.includes(r.channel) && mode && RECEIPT_MODES.includes(mode))) errors.receipt = "register.receiptNotPossible";
  }
  if (rep.success) {
    const input = rep.data;
    if (!t.categories.some((c) => c.id === input.categoryId)) errors.categoryId = "register.categoryRequired";
    if (input.unitId && !t.units.some((u) => u.id === input.unitId)) errors.unitId = "report.unitUnknown";
    if (input.concernsHandler === "yes" && !t.hasAlternativeRecipient) errors.concernsHandler = "register.noAlternativeRecipient";
  }
  for (const [field, key] of Object.entries(errors)) errors[field] = STAFF_WORDS[key] ?? key;
  if (Object.keys(errors).length || !reg.success || !rep.success) throw new Invalid(errors);

  const { channel, receivedOn, locale, receipt: giveReceipt, consent } = reg.data;
  const input = rep.data;
  const category = t.categories.find((c) => c.id === input.categoryId)!;
  const minutes = ORAL_CHANNELS.includes(channel);
  // As in the intake: the slow hash before the transaction opens.
  const receipt = giveReceipt ? newReceipt() : null;
  const hash = receipt ? await receiptHash(ctx, await ensureSettings(ctx, organisationId), receipt) : null;
  const author = { type: "account" as const, id: actor.accountId };
  const saved = await inTransaction(ctx, async (trx) => {
    const r = await insertReport(ctx, trx, {
      organisationId, input, kind: category.kind as Kind, channel, locale, receiptHash: hash, reporterTag: null, author,
      registered: {
        receivedAt: receivedAtFor(receivedOn),
        details: { receivedOn, receipt: !!receipt, minutes, ...(channel === "advisor" ? { consent } : {}) },
      },
    });
    if (minutes) {
      // The description as the desk wrote it down is version 1 of the minutes, for the reporter to check.
      await addEntry(trx, await caseKey(ctx, trx, r.reportId), {
        reportId: r.reportId, kind: "minutes", author, visibleToReporter: true, meta: { version: 1, state: "pending" }, sealed: { body: input.description },
      });
    }
    return r;
  });
  // A report about a handler goes to the alternative recipient: the coordinator who registered it may not see it.
  const visible = await loadCase(ctx, actor, saved.reportId).then(() => true, (e: unknown) => {
    if (e instanceof NotFound) return false;
    throw e;
  });
  return { ...saved, receipt, visible, minutes, organisationSlug: t.organisation.slug };
}

// ---- the desk's side of the minutes ------------------------------------------------------------------

const minutesBodySchema = z.object({
  body: z.string({ error: "minutes.bodyRequired" }).trim().min(1, { error: "minutes.bodyRequired" }).max(LIMITS.description, { error: "field.tooLong" }),
});
const outsideApprovalSchema = versionSchema.extend({
  approvedOn: z.string({ error: "minutes.approvedOnRequired" }).trim().min(1, { error: "minutes.approvedOnRequired" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "field.date" }).refine((v) => DateTime.fromISO(v, { zone: ZONE }).isValid, { error: "field.date" })
    .refine((v) => v <= today(), { error: "minutes.approvedOnFuture" }),
});

/** A case the actor handles and that is still open, for a change to its minutes. */
async function handledCase(ctx: Context, actor: Actor, id: string, field: string) {
  const report = await loadCase(ctx, actor, id);
  if (!may(actor, report, "report.handle")) throw new NotFound();
  if (report.status === "closed") throw new Invalid({ [field]: "minutes.closed" }, "case_closed");
  return report;
}

/** A new version of the minutes (after the reporter's correction, or on the desk's own account): pending again, for the reporter to check. */
export async function reviseMinutes(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<number> {
  const input = parseInput(minutesBodySchema, raw);
  await handledCase(ctx, actor, id, "body");
  return inTransaction(ctx, async (trx) => {
    const { report, minutes } = await lockMinutes(trx, id);
    if (!minutes) throw new Conflict("no_minutes", "minutes.none");
    const version = minutes.version + 1;
    const key = await caseKey(ctx, trx, id);
    await addEntry(trx, key, {
      reportId: id, kind: "minutes", author: { type: "account", id: actor.accountId }, visibleToReporter: true,
      meta: { version, state: "pending" }, sealed: { body: input.body },
    });
    await noticeReporter(ctx, trx, report, key);
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.minutesRevised", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference, version },
    });
    return version;
  });
}

/** The reporter approved the minutes outside Intact (signed on paper, or a reporter without a mailbox): the desk records it with its date. */
export async function recordMinutesApproval(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(outsideApprovalSchema, raw);
  await handledCase(ctx, actor, id, "approvedOn");
  await inTransaction(ctx, async (trx) => {
    const { report, minutes } = await lockMinutes(trx, id);
    await setMinutesState(trx, id, minutes, input.version, { state: "approved", approvedOn: input.approvedOn, approvedVia: "desk" });
    await audit.record(ctx, trx, {
      actor: auditActorOf(actor), action: "report.minutesApproved", objectType: "report", objectId: id, organisationId: report.organisation_id,
      details: { reference: report.reference, version: input.version, approvedOn: input.approvedOn },
    });
  });
}
